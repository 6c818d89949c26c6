package dev.ragkit.core.index;

import dev.ragkit.core.retrieval.Agreement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AgreementGateTest {
    private static List<SearchHit> hits(String... chunkIds) {
        List<SearchHit> out = new ArrayList<>();
        for (String id : chunkIds) {
            String[] parts = id.split("#");
            out.add(new SearchHit(Chunk.of(parts[0], Integer.parseInt(parts[1]), "text " + id, Map.of()), 0.5));
        }
        return out;
    }

    private static VersionSearcher searcher(int number, Function<String, List<SearchHit>> answers) {
        IndexVersion v = IndexVersion.building(number, new IndexInfo("e", 4, ""), Instant.EPOCH).ready("f", 1, 1);
        return new VersionSearcher() {
            @Override
            public IndexVersion version() {
                return v;
            }

            @Override
            public List<SearchHit> search(String query, int topK) {
                return answers.apply(query);
            }
        };
    }

    @Test
    void comparesDocumentsNotChunksAndCountsWhatTheLiveVersionReturns() {
        assertThat(Agreement.ofDocuments(hits("a#0", "b#0"), hits("b#3", "a#1"))).isEqualTo(1.0);
        assertThat(Agreement.ofDocuments(hits("a#0", "a#1", "b#0"), hits("a#2"))).isEqualTo(0.5);
        assertThat(Agreement.ofDocuments(hits("a#0"), hits("a#0", "c#0", "d#0", "e#0"))).isEqualTo(0.25);
        assertThat(Agreement.ofDocuments(hits(), hits())).isEqualTo(1.0);
        assertThat(Agreement.ofDocuments(hits(), hits("a#0"))).isEqualTo(0.0);
    }

    @Test
    void averagesOverASeededSampleAndPassesAtTheThreshold() {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queries.add("q" + i);
        }
        AgreementGate gate = AgreementGate.builder(queries).sampleSize(10).minAgreement(0.5).k(2).build();
        assertThat(gate.queries()).hasSize(10).isEqualTo(AgreementGate.builder(queries).sampleSize(10).build().queries());
        // Even queries agree fully, odd ones not at all.
        VersionSearcher live = searcher(1, q -> hits("x#0"));
        VersionSearcher candidate = searcher(2, q -> Integer.parseInt(q.substring(1)) % 2 == 0 ? hits("x#0")
                : hits("y#0"));
        long even = gate.queries().stream().filter(q -> Integer.parseInt(q.substring(1)) % 2 == 0).count();
        GateVerdict verdict = gate.evaluate(new PromotionCandidate(candidate, Optional.of(live)));
        assertThat(verdict.gate()).isEqualTo("agreement@2");
        assertThat(verdict.figures().get("agreement@2")).isEqualTo(even / 10.0);
        assertThat(verdict.passed()).isEqualTo(even >= 5);
        assertThat(verdict.figures()).containsEntry("worst-query", 0.0).containsEntry("queries", 10.0);

        GateVerdict first = gate.evaluate(new PromotionCandidate(candidate, Optional.empty()));
        assertThat(first.passed()).isTrue();
        assertThat(first.explanation()).contains("no live version");
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> AgreementGate.builder(List.of()).build()).hasMessageContaining("at least one query");
        assertThatThrownBy(() -> AgreementGate.builder(List.of("q")).minAgreement(1.2).build())
                .hasMessageContaining("minAgreement was 1.2");
        assertThatThrownBy(() -> AgreementGate.builder(List.of("q")).k(0).build()).hasMessageContaining("k was 0");
        assertThatThrownBy(() -> AgreementGate.builder(List.of("q", " ")).build()).hasMessageContaining("none blank");
    }
}
