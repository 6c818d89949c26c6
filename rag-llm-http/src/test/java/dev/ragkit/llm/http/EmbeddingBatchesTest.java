package dev.ragkit.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingBatchesTest {
    private final List<List<String>> requests = new ArrayList<>();

    /** Embeds each text as {length, 1, 2}. */
    private List<float[]> embed(List<String> inputs) {
        requests.add(List.copyOf(inputs));
        List<float[]> out = new ArrayList<>();
        for (String input : inputs) {
            out.add(new float[] {input.length(), 1, 2});
        }
        return out;
    }

    private EmbeddingBatches batches(int batchSize, Integer dimension, String doc, String query) {
        EmbeddingBatches.Builder b = new EmbeddingBatches.Builder();
        b.batchSize(batchSize);
        b.dimension(dimension);
        b.documentPrefix(doc);
        b.queryPrefix(query);
        return b.build(this::embed);
    }

    private static List<JsonNode> rows(String json) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        Exchange.JSON.readTree(json).forEach(rows::add);
        return rows;
    }

    @Test
    void documentsArePrefixedAndBatchedInOrder() {
        List<float[]> vectors = batches(2, 3, "d: ", "q: ").embedDocuments(List.of("a", "bb", "ccc"));
        assertThat(requests).containsExactly(List.of("d: a", "d: bb"), List.of("d: ccc"));
        assertThat(vectors).extracting(v -> v[0]).containsExactly(4f, 5f, 6f);
    }

    @Test
    void aQueryGetsTheQueryPrefix() {
        assertThat(batches(32, null, null, "q: ").embedQuery("x")[0]).isEqualTo(4f);
        assertThat(requests).containsExactly(List.of("q: x"));
    }

    @Test
    void blankInputNamesTheField() {
        EmbeddingBatches b = batches(32, 3, null, null);
        assertThatThrownBy(() -> b.embedDocuments(Arrays.asList("ok", " ")))
                .isInstanceOf(InvalidInputException.class).hasMessage("texts[1] was ' ' but it must be non-blank text");
        assertThatThrownBy(() -> b.embedQuery(null))
                .isInstanceOf(InvalidInputException.class).hasMessage("query was null but it must be non-blank text");
        assertThat(requests).isEmpty();
    }

    @Test
    void theDimensionIsProbedOnceWhenNotSet() {
        EmbeddingBatches b = batches(32, null, null, null);
        assertThat(b.dimension()).isEqualTo(3);
        assertThat(b.dimension()).isEqualTo(3);
        assertThat(requests).hasSize(1);
        assertThat(batches(32, 7, null, null).dimension()).isEqualTo(7);
        assertThat(requests).hasSize(1);
    }

    @Test
    void theIdShowsThePrefixesOnlyWhenSet() {
        assertThat(batches(32, null, null, null).id("x:m")).isEqualTo("x:m");
        assertThat(batches(32, null, "d: ", null).id("x:m")).isEqualTo("x:m[doc='d: ',query='']");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> batches(0, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize was 0 but it must be >= 1");
        assertThatThrownBy(() -> batches(1, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dimension was 0 but it must be >= 1");
    }

    @Test
    void vectorsAreReadAndCheckedAgainstTheDimension() throws Exception {
        EmbeddingBatches unknown = batches(32, null, null, null);
        assertThat(unknown.vectors(rows("[[1, 2.5], [3, 4]]"), "m", 200)).containsExactly(
                new float[] {1f, 2.5f}, new float[] {3f, 4f});
        assertThatThrownBy(() -> unknown.vectors(rows("[[1, 2], [3]]"), "m", 200))
                .isInstanceOf(CallFailure.class)
                .hasMessageContaining("vector 1 has 1 dimensions but the embedder's dimension is 2");
        EmbeddingBatches three = batches(32, 3, null, null);
        assertThatThrownBy(() -> three.vectors(rows("[[1, 2]]"), "m", 200))
                .isInstanceOf(CallFailure.class)
                .hasMessageContaining("vector 0 has 2 dimensions but the embedder's dimension is 3");
        assertThatThrownBy(() -> three.vectors(rows("[[1, \"x\", 3]]"), "m", 200))
                .isInstanceOf(CallFailure.class).hasMessageContaining("embedding 0 component 1 is \"x\", not a finite number");
        assertThatThrownBy(() -> three.vectors(rows("[[]]"), "m", 200))
                .isInstanceOf(CallFailure.class).hasMessageContaining("embedding 0 is not a non-empty array of numbers");
    }
}
