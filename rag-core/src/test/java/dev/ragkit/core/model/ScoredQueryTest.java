package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoredQueryTest {

    @Test
    void neitherTheVectorNorTheScoresChangeAfterConstruction() {
        float[] v = {0.6f, 0.8f};
        Map<String, Double> scores = new HashMap<>(Map.of("injection:x", 0.25));
        ScoredQuery q = new ScoredQuery(v, scores);
        v[0] = 9;
        scores.put("other", 1.0);
        q.vector()[1] = 9;

        assertThat(q.vector()).containsExactly(0.6f, 0.8f);
        assertThat(q.scores()).containsOnlyKeys("injection:x");
        assertThat(q.score("injection:x")).hasValue(0.25);
        assertThat(q.score("other")).isEmpty();
    }

    @Test
    void anEmptyOrBrokenVectorOrScoreIsRefusedNamingIt() {
        assertThatThrownBy(() -> new ScoredQuery(new float[0], Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> new ScoredQuery(new float[] {Float.NaN}, Map.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ScoredQuery(new float[] {1}, Map.of("head-a", Double.NaN)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("head-a");
    }
}
