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
    void benchStoreWithLuceneSweepsBothEnginesAndReportsTheInterpolatedQps() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = StoreBenchmark.run(List.of("--store", "lucene", "--n", "400", "--dim", "16", "--clusters", "8",
                "--queries", "20", "--m", "8", "--ef-construction", "32"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("# lucene: JDK", "faiss-hnsw8", "lucene-hnsw8", "qps@0.95", "qps@0.98",
                "ragkit-lucene-hnsw8");
        assertThat(out.lines().filter(l -> l.startsWith("lucene-hnsw8 ")).count())
                .as("one sweep line per width plus the summary").isGreaterThanOrEqualTo(13);
    }
}
