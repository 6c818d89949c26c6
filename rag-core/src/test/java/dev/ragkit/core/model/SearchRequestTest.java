package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

    @Test
    void denseRequestHasAVectorAndNoText() {
        SearchRequest r = SearchRequest.dense(new float[] {1, 2}, 3);
        assertThat(r.isDense()).isTrue();
        assertThat(r.vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(1f, 2f));
        assertThat(r.text()).isEmpty();
        assertThat(r.topK()).isEqualTo(3);
        assertThat(r.filter()).isEmpty();
        assertThat(r.minScore()).isZero();
    }

    @Test
    void keywordRequestHasTextAndNoVector() {
        SearchRequest r = SearchRequest.keyword("élève", 1);
        assertThat(r.isDense()).isFalse();
        assertThat(r.text()).contains("élève");
        assertThat(r.vector()).isEmpty();
    }

    @Test
    void exactlyOneOfVectorOrText() {
        assertThatThrownBy(() -> SearchRequest.dense(null, 3)).isInstanceOf(RuntimeException.class).hasMessageContaining("vector");
        assertThatThrownBy(() -> SearchRequest.keyword(null, 3)).isInstanceOf(RuntimeException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> SearchRequest.dense(new float[0], 3)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> SearchRequest.keyword("  ", 3)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void nonFiniteQueryVectorIsRejectedNamingThePosition() {
        assertThatThrownBy(() -> SearchRequest.dense(new float[] {0, 1, Float.NaN}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("position 2").hasMessageContaining("NaN");
    }

    @Test
    void topKMustBeAtLeastOne() {
        assertThat(SearchRequest.keyword("q", 1).topK()).isEqualTo(1);
        assertThatThrownBy(() -> SearchRequest.keyword("q", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("topK was 0");
        assertThatThrownBy(() -> SearchRequest.dense(new float[] {1}, -4)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("-4");
        assertThatThrownBy(() -> SearchRequest.keyword("q", 5).withTopK(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void minScoreMustBeInTheUnitInterval() {
        SearchRequest r = SearchRequest.keyword("q", 5);
        assertThat(r.withMinScore(0).minScore()).isZero();
        assertThat(r.withMinScore(1).minScore()).isEqualTo(1.0);
        assertThat(r.withMinScore(0.35).minScore()).isEqualTo(0.35);
        for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> r.withMinScore(bad)).as("%s", bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("minScore");
        }
    }

    @Test
    void withersKeepEverythingElse() {
        Filter f = Filter.eq("lang", "fr");
        SearchRequest r = SearchRequest.dense(new float[] {1, 0}, 4).withFilter(f).withMinScore(0.2).withTopK(9);
        assertThat(r.filter()).contains(f);
        assertThat(r.minScore()).isEqualTo(0.2);
        assertThat(r.topK()).isEqualTo(9);
        assertThat(r.vector()).hasValueSatisfying(v -> assertThat(v).containsExactly(1f, 0f));
        assertThat(r.withFilter(null).filter()).isEmpty();
    }

    @Test
    void vectorIsCopiedInAndOut() {
        float[] v = {1, 2, 3};
        SearchRequest r = SearchRequest.dense(v, 2);
        v[0] = 99;
        r.vector().orElseThrow()[1] = 99;
        assertThat(r.vector().orElseThrow()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void equalityComparesVectorContents() {
        SearchRequest a = SearchRequest.dense(new float[] {1, 2}, 3).withFilter(Filter.eq("a", 1));
        SearchRequest b = SearchRequest.dense(new float[] {1, 2}, 3).withFilter(Filter.eq("a", 1L));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(SearchRequest.dense(new float[] {1, 3}, 3).withFilter(Filter.eq("a", 1)));
        assertThat(SearchRequest.keyword("q", 3)).isNotEqualTo(SearchRequest.keyword("q", 4));
        assertThat(a.toString()).contains("dim=2");
    }
}
