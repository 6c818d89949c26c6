package dev.ragkit.tools.bench;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.faiss.FaissVectorStore;
import dev.ragkit.store.lucene.LuceneVectorStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * {@code bench store --store lucene}: the Lucene store next to Ragkit's FAISS HNSW store, both built
 * persisted with the same M and efConstruction (Lucene's beam width) from the same vectors, then a
 * recall-versus-QPS sweep over the search width (FAISS efSearch, Lucene's candidates per query), the
 * two engines alternating at each width so that machine noise hits both alike. Reports build time,
 * index size on disk, each sweep point, and the QPS at recall@10 0.95 and 0.98 interpolated linearly
 * between the two widths around each target.
 */
final class LuceneStoreRows {
    private static final int K = 10;
    private static final int[] WIDTHS = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512};
    private static final double[] TARGETS = {0.95, 0.98};

    private LuceneStoreRows() {
    }

    /** One point of a sweep. */
    record Point(int width, double qps, double recall) {
    }

    static List<StoreBenchmark.Row> measure(List<EmbeddedChunk> chunks, List<float[]> queries,
                                            List<List<String>> truth, StoreBenchmark.Settings o, PrintStream out) {
        int dim = chunks.get(0).dimension();
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        out.printf(Locale.ROOT, "# lucene: JDK %s, jdk.incubator.vector %s; M=%d, efConstruction/beamWidth=%d%n",
                Runtime.version(), vectorModule ? "loaded" : "not loaded", o.m(), o.efConstruction());
        Path root;
        try {
            root = Files.createTempDirectory("ragkit-bench-lucene");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<StoreBenchmark.Row> rows = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            LuceneVectorStore lucene = LuceneVectorStore.builder().dimension(dim).maxConn(o.m())
                    .beamWidth(o.efConstruction()).directory(root.resolve("lucene")).build();
            upsertInBatches(lucene, chunks);
            double luceneBuild = StoreBenchmark.seconds(t0);
            double luceneMb = sizeMb(root.resolve("lucene"));

            t0 = System.nanoTime();
            FaissVectorStore faiss = FaissVectorStore.builder().dimension(dim).index("HNSW" + o.m())
                    .efConstruction(o.efConstruction()).threads(o.threads()).directory(root.resolve("faiss")).build();
            upsertInBatches(faiss, chunks);
            faiss.flush();
            double faissBuild = StoreBenchmark.seconds(t0);
            double faissMb = sizeMb(root.resolve("faiss"));

            List<Point> lucenePoints = new ArrayList<>();
            List<Point> faissPoints = new ArrayList<>();
            // One untimed pass each, so that the first width does not pay the JIT's warm-up.
            StoreBenchmark.timeQueries(lucene, queries, new ArrayList<>());
            StoreBenchmark.timeQueries(faiss, queries, new ArrayList<>());
            for (int width : WIDTHS) {
                faissPoints.add(point(faiss, faiss::efSearch, width, queries, truth));
                lucenePoints.add(point(lucene, lucene::efSearch, width, queries, truth));
            }
            faiss.close();
            lucene.close();

            out.printf(Locale.ROOT, "# sweep (one thread, %d queries per point, k=%d)%n", queries.size(), K);
            out.printf(Locale.ROOT, "%-22s %6s %10s %10s%n", "engine", "width", "qps", "recall@10");
            for (int i = 0; i < WIDTHS.length; i++) {
                out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f%n", "faiss-hnsw" + o.m(), faissPoints.get(i).width(),
                        faissPoints.get(i).qps(), faissPoints.get(i).recall());
                out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f%n", "lucene-hnsw" + o.m(), lucenePoints.get(i).width(),
                        lucenePoints.get(i).qps(), lucenePoints.get(i).recall());
            }
            String jdk = "JDK " + Runtime.version().feature() + (vectorModule ? " + vector API" : "");
            out.printf(Locale.ROOT, "%-22s %-22s %9s %9s %12s %12s%n", "engine", "jdk", "build_s", "disk_mb",
                    "qps@0.95", "qps@0.98");
            summary(out, "faiss-hnsw" + o.m(), jdk, faissBuild, faissMb, faissPoints);
            summary(out, "lucene-hnsw" + o.m(), jdk, luceneBuild, luceneMb, lucenePoints);
            Point best = lucenePoints.stream().filter(p -> p.recall() >= TARGETS[0]).findFirst()
                    .orElse(lucenePoints.get(lucenePoints.size() - 1));
            rows.add(new StoreBenchmark.Row("ragkit-lucene-hnsw" + o.m(), luceneBuild, best.qps(), best.recall(),
                    Double.NaN, Double.NaN, String.format(Locale.ROOT, "efSearch=%d (smallest width of the sweep reaching"
                    + " recall@10>=0.95); %.0f MB on disk; %s", best.width(), luceneMb, jdk)));
        } finally {
            deleteTree(root);
        }
        return rows;
    }

    private static void summary(PrintStream out, String engine, String jdk, double build, double mb, List<Point> points) {
        out.printf(Locale.ROOT, "%-22s %-22s %9.1f %9.0f %12s %12s%n", engine, jdk, build, mb,
                shown(interpolate(points, TARGETS[0])), shown(interpolate(points, TARGETS[1])));
    }

    private static String shown(double qps) {
        return Double.isNaN(qps) ? "not reached" : String.format(Locale.ROOT, "%.0f", qps);
    }

    /**
     * QPS at {@code target} recall, interpolated linearly in recall between the last width below the
     * target and the first at or above it; the first point's QPS when even it reaches the target (its QPS is
     * then a lower bound); NaN when no width reaches it.
     */
    static double interpolate(List<Point> points, double target) {
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p.recall() >= target) {
                if (i == 0) {
                    return p.qps();
                }
                Point below = points.get(i - 1);
                if (p.recall() == below.recall()) {
                    return p.qps();
                }
                double f = (target - below.recall()) / (p.recall() - below.recall());
                return below.qps() + f * (p.qps() - below.qps());
            }
        }
        return Double.NaN;
    }

    private static Point point(VectorStore store, IntConsumer setWidth, int width, List<float[]> queries,
                               List<List<String>> truth) {
        setWidth.accept(width);
        List<List<String>> got = new ArrayList<>(queries.size());
        long t0 = System.nanoTime();
        for (float[] q : queries) {
            got.add(store.search(SearchRequest.dense(q, K)).stream().map(SearchHit::id).toList());
        }
        double qps = queries.size() / StoreBenchmark.seconds(t0);
        return new Point(width, qps, StoreBenchmark.recall(got, truth));
    }

    private static void upsertInBatches(VectorStore store, List<EmbeddedChunk> chunks) {
        for (int i = 0; i < chunks.size(); i += 10_000) {
            store.upsert(chunks.subList(i, Math.min(chunks.size(), i + 10_000)));
        }
    }

    private static double sizeMb(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum() / 1048576.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }
}
