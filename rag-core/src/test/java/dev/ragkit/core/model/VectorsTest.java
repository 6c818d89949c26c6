package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ragkit.core.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void requireFiniteNamesWhatAndThePosition() {
        assertThatCode(() -> Vectors.requireFinite("v", new float[] {0, -1e30f, Float.MIN_VALUE})).doesNotThrowAnyException();
        assertThatThrownBy(() -> Vectors.requireFinite("chunk 'a#0' vector", new float[] {1, Float.NaN}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chunk 'a#0' vector")
                .hasMessageContaining("NaN").hasMessageContaining("position 1");
        assertThatThrownBy(() -> Vectors.requireFinite("q", new float[] {Float.POSITIVE_INFINITY}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Infinity").hasMessageContaining("position 0");
        assertThatThrownBy(() -> Vectors.requireFinite("q", new float[] {1, 2, 3, Float.NEGATIVE_INFINITY}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("-Infinity").hasMessageContaining("position 3");
    }

    @Test
    void requireDimensionNamesBothDimensions() {
        assertThatCode(() -> Vectors.requireDimension("v", new float[3], 3)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Vectors.requireDimension("query vector", new float[2], 384))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("query vector")
                .hasMessageContaining("dimension 2").hasMessageContaining("384");
    }

    @Test
    void normalisedIsAUnitLengthCopy() {
        float[] v = {3, 4};
        float[] n = Vectors.normalised("v", v);
        assertThat(n[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(n[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(v).containsExactly(3f, 4f);
        assertThat(Vectors.dot(n, n)).isCloseTo(1f, within(1e-6f));
        float[] tiny = Vectors.normalised("v", new float[] {1e-30f, 0, 0});
        assertThat(tiny[0]).isCloseTo(1f, within(1e-6f));
        float[] huge = Vectors.normalised("v", new float[] {3e38f, 3e38f});
        assertThat(huge[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    }

    @Test
    void normalisedHandlesSubnormalComponents() {
        // Finite and non-zero, so accepted; its norm (1.4e-45) has a reciprocal beyond Float.MAX_VALUE.
        float[] n = Vectors.normalised("v", new float[] {Float.MIN_VALUE, 0});
        assertThat(n).containsExactly(1f, 0f);
        float[] m = Vectors.normalised("v", new float[] {1e-39f, 1e-39f});
        assertThat(m[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    }

    @Test
    void zeroVectorHasNoDirection() {
        assertThatThrownBy(() -> Vectors.normalised("chunk 'a#0' vector", new float[] {0, 0, 0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chunk 'a#0' vector")
                .hasMessageContaining("zero");
    }

    @Test
    void dot() {
        assertThat(Vectors.dot(new float[] {1, 2, 3}, new float[] {4, -5, 6})).isEqualTo(12f);
    }

    @Test
    void cosineScoreClampsToTheUnitInterval() {
        assertThat(Vectors.cosineScore(0.42)).isEqualTo(0.42);
        assertThat(Vectors.cosineScore(0)).isZero();
        assertThat(Vectors.cosineScore(-0.3)).isZero();
        assertThat(Vectors.cosineScore(-1)).isZero();
        assertThat(Vectors.cosineScore(1)).isEqualTo(1.0);
        assertThat(Vectors.cosineScore(1.0000001)).isEqualTo(1.0);
    }

    @Test
    void embeddedChunkRejectsBadVectorsAndCopies() {
        Chunk c = Chunk.of("a", 0, "t", Map.of());
        assertThatThrownBy(() -> new EmbeddedChunk(c, new float[] {1, Float.NaN, 0})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a#0'").hasMessageContaining("position 1");
        assertThatThrownBy(() -> new EmbeddedChunk(c, new float[0])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a#0'");
        assertThatThrownBy(() -> new EmbeddedChunk(c, null)).isInstanceOf(InvalidInputException.class);
        float[] v = {1, 2};
        EmbeddedChunk e = new EmbeddedChunk(c, v);
        v[0] = 7;
        e.vector()[1] = 7;
        assertThat(e.vector()).containsExactly(1f, 2f);
        assertThat(e.dimension()).isEqualTo(2);
        assertThat(e.id()).isEqualTo("a#0");
        assertThat(e).isEqualTo(new EmbeddedChunk(c, new float[] {1, 2})).hasSameHashCodeAs(new EmbeddedChunk(c, new float[] {1, 2}));
        assertThat(e).isNotEqualTo(new EmbeddedChunk(c, new float[] {1, 3}));
    }

    @Test
    void searchHitScoreMustBeInTheUnitInterval() {
        Chunk c = Chunk.of("a", 0, "t", Map.of());
        assertThat(new SearchHit(c, 0).id()).isEqualTo("a#0");
        assertThat(new SearchHit(c, 1).score()).isEqualTo(1.0);
        for (double bad : new double[] {-0.001, 1.001, Double.NaN}) {
            assertThatThrownBy(() -> new SearchHit(c, bad)).as("%s", bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'a#0'");
        }
    }
}
