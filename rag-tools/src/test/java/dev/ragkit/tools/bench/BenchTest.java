package dev.ragkit.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.eval.TinyBeirAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks run end to end on a tiny corpus and report consistent, parseable numbers (no timing is asserted). */
class BenchTest {
    @TempDir
    Path tmp;

    @Test
    void pipelineBenchMeasuresEveryQuestionAndWritesValidJson() throws Exception {
        Path data = TinyBeirAccess.write(tmp.resolve("tiny"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineBench.Result r = PipelineBench.run(new PipelineBench.Settings(data, 12, 3, RetrievalMode.HYBRID, 2),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.overhead().count()).isEqualTo(12);
        assertThat(r.chunks()).isEqualTo(4);
        assertThat(r.overhead().p95Ms()).isLessThanOrEqualTo(r.total().maxMs());
        assertThat(r.search().p50Ms()).isLessThanOrEqualTo(r.overhead().maxMs());
        JsonNode json = new ObjectMapper().readTree(r.json());
        assertThat(json.get("questions").asInt()).isEqualTo(12);
        assertThat(json.get("pipeline_overhead_p95_ms").asDouble()).isEqualTo(r.overhead().p95Ms(),
                org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void hashEmbedderIsDeterministicAndUnitLength() {
        float[] a = PipelineBench.HashEmbedder.vector("same text");
        float[] b = PipelineBench.HashEmbedder.vector("same text");
        float[] c = PipelineBench.HashEmbedder.vector("other text");
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        double norm = 0;
        for (float f : a) {
            norm += f * f;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void ingestBenchGivesBothSidesTheSameChunks() throws Exception {
        Path data = TinyBeirAccess.write(tmp.resolve("tiny"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // 40-character chunks so that documents split; the real MiniLM model embeds them
        IngestBench.Result r = IngestBench.run(new IngestBench.Settings(data, "all-minilm-l6-v2-q", 0, 40, 10, 8),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.documents()).isEqualTo(4);
        assertThat(r.ragkitChunks()).isGreaterThan(4).isEqualTo(r.langchain4jChunks());
        JsonNode json = new ObjectMapper().readTree(r.json());
        assertThat(json.get("ingest_speedup_vs_langchain4j").asDouble()).isPositive();
        assertThat(json.at("/ragkit/chunks").asLong()).isEqualTo(r.ragkitChunks());
    }

    @Test
    void rolloutBenchMeasuresEveryPhaseOfEveryCompareShare() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RolloutBench.Result r = RolloutBench.run(new RolloutBench.Settings(60, 5, 20, 0, 0, java.util.List.of(1.0, 0.1), 3),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.latencies()).containsOnlyKeys("1.0", "0.1");
        r.latencies().values().forEach(phases -> {
            assertThat(phases).containsOnlyKeys(RolloutBench.PHASES);
            phases.values().forEach(s -> assertThat(s.count()).isEqualTo(20));
        });
        JsonNode json = new ObjectMapper().readTree(r.json());
        assertThat(json.at("/parameters/documents_per_version").asInt()).isEqualTo(60);
        assertThat(json.at("/latency_by_compare_share/0.1/shadow/queries").asInt()).isEqualTo(20);
    }

    @Test
    void versionSwitchBenchSeesEverySwitchAndNoFailedSearch() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VersionSwitchBench.Result r = VersionSwitchBench.run(new VersionSwitchBench.Settings(50, 6, 3,
                        java.time.Duration.ofMillis(20), 1, java.time.Duration.ofMillis(400), java.time.Duration.ofMillis(50), 3),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.promote().count()).isEqualTo(6);
        assertThat(r.notice().count()).isEqualTo(3);
        assertThat(r.steady().promotes()).isZero();
        assertThat(r.switching().promotes()).isPositive();
        assertThat(r.steady().searches()).isPositive();
        assertThat(r.switching().searches()).isPositive();
        assertThat(r.switching().failed()).isZero();
        assertThat(r.switching().empty()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.json());
        assertThat(json.at("/parameters/documents_per_version").asInt()).isEqualTo(50);
        assertThat(json.at("/notice_ms/count").asInt()).isEqualTo(3);
    }
}
