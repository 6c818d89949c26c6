package dev.ragkit.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LuceneStoreRowsTest {
    private static final List<LuceneStoreRows.Point> SWEEP = List.of(new LuceneStoreRows.Point(10, 1000, 0.90),
            new LuceneStoreRows.Point(16, 800, 0.96), new LuceneStoreRows.Point(24, 600, 0.99));

    @Test
    void qpsAtATargetRecallIsInterpolatedBetweenTheWidthsAroundIt() {
        // 0.95 lies 5/6 of the way from 0.90 (1000 qps) to 0.96 (800 qps).
        assertThat(LuceneStoreRows.interpolate(SWEEP, 0.95)).isCloseTo(1000 - 200 * 5.0 / 6, within(1e-9));
        assertThat(LuceneStoreRows.interpolate(SWEEP, 0.98)).isCloseTo(800 - 200 * 2 / 3.0, within(1e-9));
        assertThat(LuceneStoreRows.interpolate(SWEEP, 0.85)).isEqualTo(1000);
        assertThat(LuceneStoreRows.interpolate(SWEEP, 0.995)).isNaN();
    }

    @Test
    void aTargetTheSmallestWidthAlreadyReachesIsShownAsALowerBound() {
        assertThat(LuceneStoreRows.atTarget(SWEEP, 0.95)).isEqualTo("833");
        assertThat(LuceneStoreRows.atTarget(SWEEP, 0.90)).isEqualTo(">=1000");
        assertThat(LuceneStoreRows.atTarget(SWEEP, 0.995)).isEqualTo("not reached");
    }

    @Test
    void overheadIsTheMedianOverWidthsOfBareQpsOverStoreQps() {
        List<LuceneStoreRows.Point> store = List.of(new LuceneStoreRows.Point(10, 900, 0.9),
                new LuceneStoreRows.Point(16, 400, 0.95), new LuceneStoreRows.Point(24, 300, 0.99));
        List<LuceneStoreRows.Point> bare = List.of(new LuceneStoreRows.Point(10, 1000, 0.9),
                new LuceneStoreRows.Point(16, 500, 0.95), new LuceneStoreRows.Point(24, 300, 0.99));
        // ratios - 1: 11.1 %, 25 %, 0 %: the median is 11.1 %
        assertThat(LuceneStoreRows.medianOverhead(store, bare)).isCloseTo(100 * (1000 / 900.0 - 1), within(1e-9));
    }

    @Test
    void benchStoreWithLuceneSweepsBothEnginesAndReportsTheInterpolatedQps() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = StoreBenchmark.run(List.of("--store", "lucene", "--n", "400", "--dim", "16", "--clusters", "8",
                "--queries", "20", "--m", "8", "--ef-construction", "32"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("# lucene: JDK", "faiss-hnsw8", "lucene-hnsw8", "qps@0.95", "qps@0.98",
                "ragkit-lucene-hnsw8", "compact() into one segment", "best of 3 rounds; load average",
                "# lucene store overhead over bare Lucene");
        for (String engine : List.of("faiss-hnsw8 ", "lucene-hnsw8 ", "bare-lucene-hnsw8 ")) {
            assertThat(out.lines().filter(l -> l.startsWith(engine)).count())
                    .as("%s: one sweep line per width (12) plus the summary", engine)
                    .isEqualTo(LuceneStoreRows.WIDTHS.length + 1);
        }
        // Same index, same widths: bare Lucene finds what the store finds (the store only adds work per hit).
        List<String> store = out.lines().filter(l -> l.startsWith("lucene-hnsw8 "))
                .limit(LuceneStoreRows.WIDTHS.length)
                .map(l -> l.trim().split(" +")[3]).toList();
        List<String> bare = out.lines().filter(l -> l.startsWith("bare-lucene-hnsw8 "))
                .limit(LuceneStoreRows.WIDTHS.length)
                .map(l -> l.trim().split(" +")[3]).toList();
        assertThat(bare).isEqualTo(store);
    }
}
