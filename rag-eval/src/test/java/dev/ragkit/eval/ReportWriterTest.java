package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    @TempDir
    Path tmp;

    private static EvalReport report() {
        return EvalReport.builder("scifact/test dense <model>", "beir")
                .parameter("mode", "dense")
                .queries(2)
                .retrieval("", new RetrievalEvaluation.Scores(2,
                        Map.of(RetrievalMetric.NDCG, Map.of(1, 0.5, 10, 0.75)), Map.of()))
                .metric("em", 0.25)
                .latency("retrieval", List.of(1.0, 2.0, 30.0))
                .duration("total", 1.5)
                .note("a & b")
                .build();
    }

    @Test
    void writesJsonMarkdownAndSelfContainedHtml() throws Exception {
        List<Path> files = ReportWriter.writeAll(report(), tmp.resolve("out"), "run");
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("run.json", "run.md", "run.html");

        JsonNode json = new ObjectMapper().readTree(Files.readString(files.get(0)));
        assertThat(json.at("/metrics/ndcg@10").asDouble()).isEqualTo(0.75);
        assertThat(json.at("/latency/retrieval/p95Ms").asDouble()).isEqualTo(30.0);
        assertThat(json.has("latencySamplesMs")).isFalse();

        String md = Files.readString(files.get(1));
        assertThat(md).contains("| ndcg | 0.5000 | 0.7500 |").contains("| em | 0.2500 |").contains("| retrieval | 3 |");

        String html = Files.readString(files.get(2));
        assertThat(html).contains("<svg", "metric by cut-off k", "latency histogram", "&lt;model&gt;", "a &amp; b");
        assertThat(html).doesNotContain("<script", "<link", "src=\"http", "href=\"http");
    }
}
