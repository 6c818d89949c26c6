package dev.ragkit.tools.bench;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench store --store faiss-builds}: Ragkit's FAISS HNSW store built once per {@code --builds}
 * pair (M, efConstruction) from the same vectors, each persisted (build time includes the write, as a
 * store's first {@code flush()} does), then a recall-versus-QPS sweep over efSearch, the builds taking
 * turns at each width, best of three rounds each, so that machine noise hits all alike. Reports per
 * build: build time, index size on disk, each sweep point, the QPS at recall@10 0.95 and 0.98
 * (interpolated as in {@link LuceneStoreRows}) and the smallest efSearch of the sweep reaching each. This
 * is the measurement behind the store's default efConstruction.
 */
final class FaissBuildRows {
    private FaissBuildRows() {
    }

    /** One build: its settings, store, build time and size. */
    private record Build(int m, int efConstruction, FaissVectorStore store, double seconds, double cpuSeconds,
                         double mb) {
        String name() {
            return "faiss-hnsw" + m + "-efc" + efConstruction;
        }
    }

    static List<StoreBenchmark.Row> measure(List<EmbeddedChunk> chunks, List<float[]> queries,
                                            List<List<String>> truth, StoreBenchmark.Settings o, PrintStream out) {
        int dim = chunks.get(0).dimension();
        Path root;
        try {
            root = Files.createTempDirectory("ragkit-bench-faiss-builds");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Build> builds = new ArrayList<>();
        List<StoreBenchmark.Row> rows = new ArrayList<>();
        try {
            for (int[] b : o.builds()) {
                Path dir = root.resolve("hnsw" + b[0] + "-efc" + b[1]);
                long t0 = System.nanoTime();
                double cpu0 = StoreBenchmark.processCpuSeconds();
                FaissVectorStore store = FaissVectorStore.builder().dimension(dim).index("HNSW" + b[0])
                        .efConstruction(b[1]).threads(o.threads()).directory(dir).build();
                LuceneStoreRows.upsertInBatches(store, chunks);
                store.flush();
                double seconds = StoreBenchmark.seconds(t0);
                double cpu = StoreBenchmark.processCpuSeconds() - cpu0;
                builds.add(new Build(b[0], b[1], store, seconds, cpu, LuceneStoreRows.sizeMb(dir)));
                out.printf(Locale.ROOT, "# built HNSW%d efConstruction %d in %.1f s, %.1f s of CPU (load average %.2f)%n",
                        b[0], b[1], seconds, cpu, load());
            }
            int[] widths = LuceneStoreRows.WIDTHS;
            List<List<LuceneStoreRows.Point>> sweeps = new ArrayList<>();
            for (Build b : builds) {
                sweeps.add(new ArrayList<>());
                StoreBenchmark.timeQueries(b.store(), queries, new ArrayList<>()); // untimed: the JIT's warm-up
            }
            for (int width : widths) {
                LuceneStoreRows.Point[] best = new LuceneStoreRows.Point[builds.size()];
                for (int round = 0; round < LuceneStoreRows.ROUNDS; round++) {
                    for (int i = 0; i < builds.size(); i++) {
                        FaissVectorStore store = builds.get(i).store();
                        best[i] = LuceneStoreRows.best(best[i],
                                LuceneStoreRows.point(store, store::efSearch, width, queries, truth));
                    }
                }
                for (int i = 0; i < builds.size(); i++) {
                    sweeps.get(i).add(best[i]);
                }
            }
            out.printf(Locale.ROOT, "# sweep (one thread, %d queries per point, k=10, best of %d rounds; load average"
                    + " %.2f)%n", queries.size(), LuceneStoreRows.ROUNDS, load());
            out.printf(Locale.ROOT, "%-22s %6s %10s %10s%n", "build", "width", "qps", "recall@10");
            for (int w = 0; w < widths.length; w++) {
                for (int i = 0; i < builds.size(); i++) {
                    LuceneStoreRows.Point p = sweeps.get(i).get(w);
                    out.printf(Locale.ROOT, "%-22s %6d %10.1f %10.4f%n", builds.get(i).name(), p.width(), p.qps(),
                            p.recall());
                }
            }
            out.printf(Locale.ROOT, "%-22s %9s %9s %9s %12s %8s %12s %8s%n", "build", "build_s", "cpu_s", "disk_mb",
                    "qps@0.95", "ef@0.95", "qps@0.98", "ef@0.98");
            for (int i = 0; i < builds.size(); i++) {
                Build b = builds.get(i);
                List<LuceneStoreRows.Point> points = sweeps.get(i);
                out.printf(Locale.ROOT, "%-22s %9.1f %9.1f %9.0f %12s %8s %12s %8s%n", b.name(), b.seconds(),
                        b.cpuSeconds(), b.mb(),
                        LuceneStoreRows.atTarget(points, LuceneStoreRows.TARGETS[0]),
                        smallestWidth(points, LuceneStoreRows.TARGETS[0]),
                        LuceneStoreRows.atTarget(points, LuceneStoreRows.TARGETS[1]),
                        smallestWidth(points, LuceneStoreRows.TARGETS[1]));
                LuceneStoreRows.Point at = points.stream().filter(p -> p.recall() >= LuceneStoreRows.TARGETS[0])
                        .findFirst().orElse(points.get(points.size() - 1));
                rows.add(new StoreBenchmark.Row(b.name(), b.seconds(), at.qps(), at.recall(), Double.NaN, Double.NaN,
                        String.format(Locale.ROOT, "efSearch=%d (smallest width of the sweep reaching recall@10>=0.95);"
                                + " %.0f MB on disk", at.width(), b.mb())));
            }
            out.println(LuceneStoreRows.MARKS);
            out.println("# ef@r: the smallest efSearch of the sweep whose recall@10 is >= r; cpu_s: the process's CPU"
                    + " time during the build (steadier than build_s, its wall time, on a shared machine)");
        } finally {
            for (Build b : builds) {
                b.store().close();
            }
            LuceneStoreRows.deleteTree(root);
        }
        return rows;
    }

    /** The smallest width of the sweep reaching {@code target}, or "-". */
    static String smallestWidth(List<LuceneStoreRows.Point> points, double target) {
        return points.stream().filter(p -> p.recall() >= target).findFirst()
                .map(p -> Integer.toString(p.width())).orElse("-");
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
