package dev.ragkit.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.store.MemoryVectorStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RagkitEmbeddingStoreTest {
    private final MemoryVectorStore ragkit = MemoryVectorStore.builder().dimension(HashingEmbeddingModel.DIMENSION).build();
    private final RagkitEmbeddingStore store = RagkitEmbeddingStore.of(ragkit);

    private static Embedding embed(String text) {
        return Embedding.from(HashingEmbeddingModel.vector(text));
    }

    private List<EmbeddingMatch<TextSegment>> search(String text, int max, dev.langchain4j.store.embedding.filter.Filter filter) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(embed(text)).maxResults(max)
                .filter(filter).build()).matches();
    }

    @Test
    void generatedAndGivenIdsComeBackFromSearchAndWorkForRemove() {
        String generated = store.add(embed("cats purr"), TextSegment.from("cats purr"));
        store.addAll(List.of("custom-id", "manual#2"), List.of(embed("dogs bark"), embed("cows moo")),
                List.of(TextSegment.from("dogs bark"), TextSegment.from("cows moo")));

        assertThat(UUID.fromString(generated)).isNotNull();
        assertThat(search("cats purr", 1, null)).extracting(EmbeddingMatch::embeddingId).containsExactly(generated);
        assertThat(search("dogs bark", 1, null)).extracting(EmbeddingMatch::embeddingId).containsExactly("custom-id");
        assertThat(search("cows moo", 1, null)).extracting(EmbeddingMatch::embeddingId).containsExactly("manual#2");
        // In Ragkit's own terms: chunk 0 of document <id>, and chunk 2 of document "manual".
        assertThat(ragkit.get(List.of(generated + "#0", "custom-id#0", "manual#2"))).hasSize(3);

        store.remove("custom-id");
        store.removeAll(List.of(generated));
        assertThat(ragkit.count()).isEqualTo(1);
        assertThat(search("dogs bark", 3, null)).extracting(EmbeddingMatch::embeddingId).containsExactly("manual#2");
    }

    @Test
    void scoresFollowLangChain4jsScaleAndMinScoreFilters() {
        store.add(embed("cats purr"), TextSegment.from("cats purr"));
        EmbeddingMatch<TextSegment> best = search("cats purr", 1, null).get(0);
        assertThat(best.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        store.add(embed("dogs bark loudly"), TextSegment.from("dogs bark loudly"));
        List<EmbeddingMatch<TextSegment>> all = search("cats purr", 5, null);
        double lower = all.get(1).score();
        // LangChain4j's relevance is (cosine + 1) / 2: the second text shares only the constant component.
        double cosine = 2 * lower - 1;
        assertThat(cosine).isBetween(0.0, 0.5);
        assertThat(store.search(EmbeddingSearchRequest.builder().queryEmbedding(embed("cats purr")).maxResults(5)
                .minScore(lower + 1e-6).build()).matches()).hasSize(1);
    }

    @Test
    void ragkitChunksAreVisibleWithTheirIdsAndBooleansAsText() {
        ragkit.upsert(List.of(
                new EmbeddedChunk(Chunk.of("handbook", 0, "holidays are in august", Map.of("draft", true, "pages", 3L)),
                        HashingEmbeddingModel.vector("holidays are in august")),
                new EmbeddedChunk(Chunk.of("handbook", 1, "holidays need approval", Map.of("draft", false)),
                        HashingEmbeddingModel.vector("holidays need approval"))));

        List<EmbeddingMatch<TextSegment>> matches = search("holidays", 5, null);
        assertThat(matches).extracting(EmbeddingMatch::embeddingId).containsExactlyInAnyOrder("handbook", "handbook#1");
        EmbeddingMatch<TextSegment> first = matches.stream().filter(m -> m.embeddingId().equals("handbook")).findFirst().orElseThrow();
        assertThat(first.embedded().metadata().getString("draft")).isEqualTo("true");
        assertThat(first.embedded().metadata().getInteger("pages")).isEqualTo(3);
        // A Boolean filter value matches the boolean Ragkit stores.
        assertThat(search("holidays", 5, new IsEqualTo("draft", true))).extracting(EmbeddingMatch::embeddingId)
                .containsExactly("handbook");
        // Ragkit's document id is filterable as doc_id.
        assertThat(search("holidays", 5, metadataKey("doc_id").isEqualTo("handbook"))).hasSize(2);

        store.remove("handbook");
        assertThat(ragkit.get(List.of("handbook#0", "handbook#1"))).extracting(Chunk::id).containsExactly("handbook#1");
    }

    @Test
    void removeAllByFilterAndEverything() {
        for (int i = 0; i < 25; i++) {
            store.add(embed("text " + i), TextSegment.from("text " + i, Metadata.from(Map.of("n", i, "even", i % 2 == 0 ? "y" : "n"))));
        }
        store.removeAll(metadataKey("even").isEqualTo("y").and(metadataKey("n").isGreaterThanOrEqualTo(10)));
        assertThat(ragkit.count()).isEqualTo(25 - 8); // 10, 12, ... 24
        assertThat(search("text", 50, metadataKey("even").isEqualTo("y"))).hasSize(5);
        store.removeAll();
        assertThat(ragkit.count()).isZero();
    }

    @Test
    void whatRagkitCannotHoldIsAClearError() {
        assertThatThrownBy(() -> store.add(embed("x"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("TextSegment");
        assertThatThrownBy(() -> store.add("id", embed("x"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.addAll(List.of(embed("x")))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.addAll(List.of("a"), List.of(embed("x")), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("same size");
        assertThatThrownBy(() -> store.addAll(List.of("a", "a"), List.of(embed("x"), embed("y")),
                List.of(TextSegment.from("x"), TextSegment.from("y"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("both name chunk");
        assertThatThrownBy(() -> store.add(Embedding.from(new float[3]), TextSegment.from("short")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.addAll(List.of("a"), List.of(embed("x")),
                List.of(TextSegment.from("x", Metadata.from(Map.of("doc_id", "other"))))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved");
        assertThat(ragkit.count()).isZero();
    }

    @Test
    void matchesCarryEmbeddingsWhenAsked() {
        RagkitEmbeddingStore withVectors = RagkitEmbeddingStore.withEmbeddingsInMatches(ragkit);
        String id = withVectors.add(embed("cats purr"), TextSegment.from("cats purr"));
        EmbeddingMatch<TextSegment> match = withVectors.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(embed("cats")).maxResults(1).build()).matches().get(0);
        assertThat(match.embeddingId()).isEqualTo(id);
        // The store may keep vectors normalised: compare directions.
        float[] stored = match.embedding().vector();
        float[] added = HashingEmbeddingModel.vector("cats purr");
        double dot = 0, a = 0, b = 0;
        for (int i = 0; i < added.length; i++) {
            dot += stored[i] * added[i];
            a += stored[i] * stored[i];
            b += added[i] * added[i];
        }
        assertThat(dot / Math.sqrt(a * b)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(search("cats", 1, null).get(0).embedding()).isNull();
    }
}
