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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * {@code bench store --store lucene}: the Lucene store next to Ragkit's FAISS HNSW store, both built
 * persisted with the same M and efConstruction (Lucene's beam width) from the same vectors, then a
 * recall-versus-QPS sweep over the search width (FAISS efSearch, Lucene's candidates per query), the
 * two engines alternating at each width so that machine noise hits both alike, and bare Lucene (no
 * Ragkit code) on the store's own index, so that the store's overhead over Lucene is a figure. The
 * Lucene build ends with {@link LuceneVectorStore#compact()}. Reports build time,
 * index size on disk, each sweep point, and the QPS at recall@10 0.95 and 0.98 interpolated linearly
 * between the two widths around each target.
 */
final class LuceneStoreRows {
    private static final int K = 10;
    /**
     * Search widths (FAISS efSearch, Lucene's k), from the k = 10 hits asked up: neither engine searches fewer
     * candidates than the hits it returns (FAISS raises efSearch to k, Lucene's width is its k), so below 10
     * there is nothing else to measure.
     */
    static final int[] WIDTHS = {10, 12, 16, 20, 24, 32, 48, 64, 96, 128, 192, 256};
    static final int ROUNDS = 3;
    static final double[] TARGETS = {0.95, 0.98};

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
            double cpu0 = StoreBenchmark.processCpuSeconds();
            LuceneVectorStore lucene = LuceneVectorStore.builder().dimension(dim).maxConn(o.m())
                    .beamWidth(o.efConstruction()).directory(root.resolve("lucene")).build();
            upsertInBatches(lucene, chunks);
            double writes = StoreBenchmark.seconds(t0);
            long tc = System.nanoTime();
            // One segment, one graph: what a bulk build should end with (see LuceneVectorStore.compact).
            lucene.compact();
            double compaction = StoreBenchmark.seconds(tc);
            double luceneBuild = StoreBenchmark.seconds(t0);
            double luceneCpu = StoreBenchmark.processCpuSeconds() - cpu0;
            double luceneMb = sizeMb(root.resolve("lucene"));
            out.printf(Locale.ROOT, "# lucene build: %.1f s of writes (batches of 10,000, one commit each) + %.1f s"
                    + " compact() into one segment; %.1f s of CPU (load average %.2f)%n", writes, compaction, luceneCpu,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            t0 = System.nanoTime();
            cpu0 = StoreBenchmark.processCpuSeconds();
            FaissVectorStore faiss = FaissVectorStore.builder().dimension(dim).index("HNSW" + o.m())
                    .efConstruction(o.efConstruction()).threads(o.threads()).directory(root.resolve("faiss")).build();
            upsertInBatches(faiss, chunks);
            faiss.flush();
            double faissBuild = StoreBenchmark.seconds(t0);
            double faissCpu = StoreBenchmark.processCpuSeconds() - cpu0;
            double faissMb = sizeMb(root.resolve("faiss"));
            out.printf(Locale.ROOT, "# faiss build: %.1f s, %.1f s of CPU (load average %.2f)%n", faissBuild, faissCpu,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            List<Point> lucenePoints = new ArrayList<>();
            List<Point> barePoints = new ArrayList<>();
            List<Point> faissPoints = new ArrayList<>();
            try (BareLucene bare = new BareLucene(root.resolve("lucene"))) {
                // One untimed pass each, so that the first width does not pay the JIT's warm-up.
                StoreBenchmark.timeQueries(lucene, queries, new ArrayList<>());
                StoreBenchmark.timeQueries(faiss, queries, new ArrayList<>());
                bare.point(queries, truth, WIDTHS[0]);
                for (int width : WIDTHS) {
                    // Engines in turn, ROUNDS times, best of each: a shared machine's load hits all alike.
                    Point f = null;
                    Point l = null;
                    Point b = null;
                    for (int round = 0; round < ROUNDS; round++) {
                        f = best(f, point(faiss, faiss::efSearch, width, queries, truth));
                        l = best(l, point(lucene, lucene::efSearch, width, queries, truth));
                        b = best(b, bare.point(queries, truth, width));
                    }
                    faissPoints.add(f);
                    lucenePoints.add(l);
                    barePoints.add(b);
                }
            }
            faiss.close();
            lucene.close();

            String faissName = "faiss-hnsw" + o.m();
            String luceneName = "lucene-hnsw" + o.m();
            String bareName = "bare-lucene-hnsw" + o.m();
            out.printf(Locale.ROOT, "# sweep (one thread, %d queries per point, k=%d, best of %d rounds; load average"
                    + " %.2f)%n", queries.size(), K, ROUNDS, ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            out.printf(Locale.ROOT, "%-22s %6s %10s %10s %12s%n", "engine", "width", "qps", "recall@10",
                    "overhead");
            for (int i = 0; i < WIDTHS.length; i++) {
                out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f%n", faissName, WIDTHS[i], faissPoints.get(i).qps(),
                        faissPoints.get(i).recall());
                out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f %11.1f%%%n", luceneName, WIDTHS[i],
                        lucenePoints.get(i).qps(), lucenePoints.get(i).recall(),
                        100 * (barePoints.get(i).qps() / lucenePoints.get(i).qps() - 1));
                out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f%n", bareName, WIDTHS[i], barePoints.get(i).qps(),
                        barePoints.get(i).recall());
            }
            String jdk = "JDK " + Runtime.version().feature() + (vectorModule ? " + vector API" : "");
            out.printf(Locale.ROOT, "%-22s %-22s %9s %9s %12s %12s%n", "engine", "jdk", "build_s", "disk_mb",
                    "qps@0.95", "qps@0.98");
            summary(out, faissName, jdk, faissBuild, faissMb, faissPoints);
            summary(out, luceneName, jdk, luceneBuild, luceneMb, lucenePoints);
            summary(out, bareName, jdk, luceneBuild, luceneMb, barePoints);
            out.println(MARKS);
            double overhead = medianOverhead(lucenePoints, barePoints);
            out.printf(Locale.ROOT, "# lucene store overhead over bare Lucene (median over widths of bare QPS / store"
                    + " QPS - 1): %.1f %%%n", overhead);
            Point best = lucenePoints.stream().filter(p -> p.recall() >= TARGETS[0]).findFirst()
                    .orElse(lucenePoints.get(lucenePoints.size() - 1));
            rows.add(new StoreBenchmark.Row("ragkit-lucene-hnsw" + o.m(), luceneBuild, best.qps(), best.recall(),
                    Double.NaN, Double.NaN, String.format(Locale.ROOT, "efSearch=%d (smallest width of the sweep reaching"
                    + " recall@10>=0.95); %.0f MB on disk; %s; %.1f %% over bare Lucene", best.width(), luceneMb, jdk,
                    overhead)));
        } finally {
            deleteTree(root);
        }
        return rows;
    }

    static Point best(Point a, Point b) {
        return a == null || b.qps() > a.qps() ? b : a;
    }

    /** The store's overhead over bare Lucene in percent: the median over widths of bare QPS / store QPS - 1. */
    static double medianOverhead(List<Point> store, List<Point> bare) {
        double[] ratios = new double[store.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = bare.get(i).qps() / store.get(i).qps() - 1;
        }
        java.util.Arrays.sort(ratios);
        int mid = ratios.length / 2;
        double median = ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
        return 100 * median;
    }

    /**
     * Lucene alone on the store's index: an {@link IndexSearcher} over the committed index and a
     * {@link KnnFloatVectorQuery} with the same width, the hits' ids read from the id doc values (the least
     * a caller needs to know which vectors matched). No Ragkit code runs in its queries; what the store
     * adds on top (query checks, score conversion, tie order, chunks for the hits) is the difference.
     */
    private static final class BareLucene implements AutoCloseable {
        // The store's field names (LuceneVectorStore.F_VECTOR and F_ID), part of its on-disk format.
        private static final String VECTOR = "vector";
        private static final String ID = "id";
        private final DirectoryReader reader;
        private final IndexSearcher searcher;

        BareLucene(Path index) {
            try {
                reader = DirectoryReader.open(FSDirectory.open(index));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            searcher = new IndexSearcher(reader);
        }

        Point point(List<float[]> queries, List<List<String>> truth, int width) {
            List<List<String>> got = new ArrayList<>(queries.size());
            try {
                long t0 = System.nanoTime();
                for (float[] q : queries) {
                    TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, q, width), K);
                    List<String> ids = new ArrayList<>(top.scoreDocs.length);
                    for (ScoreDoc sd : top.scoreDocs) {
                        LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(sd.doc, reader.leaves()));
                        SortedDocValues values = DocValues.getSorted(leaf.reader(), ID);
                        values.advanceExact(sd.doc - leaf.docBase);
                        ids.add(values.lookupOrd(values.ordValue()).utf8ToString());
                    }
                    got.add(ids);
                }
                double qps = queries.size() / StoreBenchmark.seconds(t0);
                return new Point(width, qps, StoreBenchmark.recall(got, truth));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void summary(PrintStream out, String engine, String jdk, double build, double mb, List<Point> points) {
        out.printf(Locale.ROOT, "%-22s %-22s %9.1f %9.0f %12s %12s%n", engine, jdk, build, mb,
                atTarget(points, TARGETS[0]), atTarget(points, TARGETS[1]));
    }

    /** The line under a summary that explains {@link #atTarget}'s marks. */
    static final String MARKS = "# qps@r: interpolated between the two widths around recall r; '>=' the smallest width"
            + " (10, k) already reaches r, so the figure is that width's QPS, a lower bound (no engine searches fewer"
            + " candidates than k); 'not reached' no width reaches r";

    /** QPS at {@code target} recall as shown: interpolated, {@code >=} a lower bound, or not reached. */
    static String atTarget(List<Point> points, double target) {
        double qps = interpolate(points, target);
        if (Double.isNaN(qps)) {
            return "not reached";
        }
        return (points.get(0).recall() >= target ? ">=" : "") + String.format(Locale.ROOT, "%.0f", qps);
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

    static Point point(VectorStore store, IntConsumer setWidth, int width, List<float[]> queries,
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

    static void upsertInBatches(VectorStore store, List<EmbeddedChunk> chunks) {
        for (int i = 0; i < chunks.size(); i += 10_000) {
            store.upsert(chunks.subList(i, Math.min(chunks.size(), i + 10_000)));
        }
    }

    static double sizeMb(Path dir) {
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

    static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }
}
