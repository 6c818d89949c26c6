package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {
    @Test
    void parsesTheSeedsGoNoGoGate() {
        List<Gate> gates = Gate.parseAll("recall@5>=0.8, retrieval.p95<=2500ms");
        assertThat(gates).hasSize(2);
        assertThat(gates.get(0).metric()).isEqualTo("recall@5");
        assertThat(gates.get(0).operator()).isEqualTo(Gate.Operator.GE);
        assertThat(gates.get(0).threshold()).isEqualTo(0.8);
        assertThat(gates.get(1).metric()).isEqualTo("retrieval.p95");
        assertThat(gates.get(1).threshold()).isEqualTo(2500);
    }

    @Test
    void secondsAreConvertedToMilliseconds() {
        assertThat(Gate.parse("generation.p95<=10s").threshold()).isEqualTo(10_000);
    }

    @Test
    void checksPassFailAndUnmeasuredValues() {
        Map<String, Double> values = Map.of("recall@5", 0.75, "retrieval.p95", 120.0);
        List<Gate.Result> results = Gate.checkAll(Gate.parseAll("recall@5>=0.8,retrieval.p95<=2500ms,ndcg@10>0.5"),
                values);
        assertThat(results).extracting(Gate.Result::passed).containsExactly(false, true, false);
        assertThat(results.get(0).describe()).isEqualTo("FAIL recall@5>=0.8 (was 0.7500)");
        assertThat(results.get(2).describe()).contains("not measured");
        assertThat(Gate.parse("P@5>0.1").metric()).isEqualTo("precision@5");
    }

    @Test
    void rejectsMalformedGatesAndUnitsOnNonLatencies() {
        assertThatThrownBy(() -> Gate.parse("recall@5 => 0.8")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("recall@5 => 0.8");
        assertThatThrownBy(() -> Gate.parse("recall@5>=0.8ms")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a latency");
        assertThat(Gate.parseAll(" ")).isEmpty();
    }

    @Test
    void reportExposesLatencyStatisticsAndDurationsToGates() {
        EvalReport r = EvalReport.builder("t", "beir").metric("recall@5", 0.9)
                .latency("retrieval", List.of(1.0, 2.0, 3.0)).duration("ingest", 4.0).build();
        assertThat(r.gateValues()).containsEntry("recall@5", 0.9).containsEntry("retrieval.p95", 3.0)
                .containsEntry("retrieval.p50", 2.0).containsEntry("ingest.seconds", 4.0);
    }
}
