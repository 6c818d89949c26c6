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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench pipeline --cache}: end to end on a tiny corpus, and the Zipf log's shape (no timing is asserted). */
class CachePipelineBenchTest {
    @TempDir
    Path tmp;

    @Test
    void bothPipelinesAnswerEveryQuestionOfTheLogAndRepeatsHitTheCache() throws Exception {
        Path data = TinyBeirAccess.write(tmp.resolve("tiny"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CachePipelineBench.Result r = CachePipelineBench.run(new CachePipelineBench.Settings(data, 40, 5, 1.0, 7,
                RetrievalMode.HYBRID, 2, "memory", "memory", null), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(r.uncached().count()).isEqualTo(40);
        assertThat(r.cached().count()).isEqualTo(40);
        // every lookup after a question's first asking is a hit: hits = 1 - distinct / asked
        assertThat(r.resultHitRatio()).isEqualTo(1 - (double) r.distinctQuestions() / 40,
                org.assertj.core.api.Assertions.within(1e-9));
        JsonNode json = new ObjectMapper().readTree(r.json());
        assertThat(json.get("benchmark").asText()).isEqualTo("pipeline-cache");
        assertThat(json.get("with_cache_ms").get("p95").asDouble()).isEqualTo(r.cached().p95Ms(),
                org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void theZipfLogAsksTheTopRankedQuestionMostAndFollowsOneOverRank() {
        List<String> ranked = IntStream.range(0, 100).mapToObj(i -> "q" + i).toList();
        List<String> log = CachePipelineBench.zipfLog(ranked, 100_000, 1.0, new Random(1));
        int first = Collections.frequency(log, "q0");
        int second = Collections.frequency(log, "q1");
        int tenth = Collections.frequency(log, "q9");
        double harmonic = IntStream.rangeClosed(1, 100).mapToDouble(r -> 1.0 / r).sum();
        assertThat(first / 100_000.0).isCloseTo(1 / harmonic, org.assertj.core.api.Assertions.within(0.01));
        assertThat((double) first / second).isCloseTo(2.0, org.assertj.core.api.Assertions.within(0.15));
        assertThat((double) first / tenth).isCloseTo(10.0, org.assertj.core.api.Assertions.within(1.5));
    }
}
