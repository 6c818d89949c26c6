package dev.ragkit.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.tools.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaissBuildRowsTest {
    @Test
    void buildsAreMAndEfConstructionPairs() {
        List<int[]> builds = StoreBenchmark.Settings.parseBuilds("32:40, 16:200");
        assertThat(builds).hasSize(2);
        assertThat(builds.get(0)).containsExactly(32, 40);
        assertThat(builds.get(1)).containsExactly(16, 200);
        for (String bad : List.of("32", "32:0", "1:40", "x:40", "32:40,,16:100")) {
            assertThatThrownBy(() -> StoreBenchmark.Settings.parseBuilds(bad)).as(bad)
                    .isInstanceOf(UsageException.class).hasMessageContaining("M:efConstruction");
        }
    }

    @Test
    void theSmallestWidthReachingATargetIsReported() {
        List<LuceneStoreRows.Point> sweep = List.of(new LuceneStoreRows.Point(10, 1000, 0.90),
                new LuceneStoreRows.Point(16, 800, 0.96), new LuceneStoreRows.Point(24, 600, 0.99));
        assertThat(FaissBuildRows.smallestWidth(sweep, 0.95)).isEqualTo("16");
        assertThat(FaissBuildRows.smallestWidth(sweep, 0.99)).isEqualTo("24");
        assertThat(FaissBuildRows.smallestWidth(sweep, 0.999)).isEqualTo("-");
    }

    @Test
    void benchStoreWithFaissBuildsSweepsEachBuildAndOnlyThose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = StoreBenchmark.run(List.of("--store", "faiss-builds", "--builds", "8:16,8:64", "--n", "400",
                "--dim", "16", "--clusters", "8", "--queries", "20", "--sweep-only"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("# built HNSW8 efConstruction 16", "# built HNSW8 efConstruction 64", "qps@0.95",
                "ef@0.98", "sweep only");
        for (String build : List.of("faiss-hnsw8-efc16 ", "faiss-hnsw8-efc64 ")) {
            assertThat(out.lines().filter(l -> l.startsWith(build)).count())
                    .as("%s: one sweep line per width, the summary and the row", build)
                    .isEqualTo(LuceneStoreRows.WIDTHS.length + 2);
        }
        // --sweep-only: the exact reference, no Flat, tuned HNSW or LangChain4j rows.
        assertThat(out).contains("ragkit-memory").doesNotContain("ragkit-faiss-flat", "langchain4j-inmemory");
    }
}
