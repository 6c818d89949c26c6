package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TokenVectorsTest {
    private static final float[][] ROWS = {{1f, 0f, 0f}, {0f, 2f, 0f}, {0.5f, -0.25f, 1f}, {0f, 0f, 0f}};

    /** A text's embedding as the semantic scorer makes it: the unit vector of the rows' sum. */
    private static float[] mean(TokenVectors table, int[] tokens) {
        float[] sum = new float[table.dimension()];
        table.addRows(tokens, sum);
        return TokenVectors.unit(sum);
    }

    @Test
    void quantizedRowsKeepTheirDirection() {
        TokenVectors t = TokenVectors.quantize(ROWS);
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.dimension()).isEqualTo(3);
        float[] v = mean(t, new int[] {2});
        double norm = Math.sqrt(0.5 * 0.5 + 0.25 * 0.25 + 1);
        assertThat(v[0]).isCloseTo((float) (0.5 / norm), within(0.01f));
        assertThat(v[1]).isCloseTo((float) (-0.25 / norm), within(0.01f));
        assertThat(v[2]).isCloseTo((float) (1 / norm), within(0.01f));
    }

    @Test
    void unitSumIsOfUnitLengthAndSkipsUnknownIds() {
        TokenVectors t = TokenVectors.quantize(ROWS);
        float[] v = mean(t, new int[] {0, 1, -1, 99});
        assertThat(v[0]).isCloseTo(v[1] / 2, within(1e-6f));
        assertThat(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).isCloseTo(1f, within(1e-5f));
        assertThat(mean(t, new int[0])).containsExactly(0f, 0f, 0f);
        assertThat(mean(t, new int[] {3})).containsExactly(0f, 0f, 0f);
    }

    @Test
    void writeThenReadGivesTheSameTableAndBytes() throws IOException {
        TokenVectors t = TokenVectors.quantize(ROWS);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        t.write(first);
        TokenVectors back = TokenVectors.read(new ByteArrayInputStream(first.toByteArray()));
        assertThat(mean(back, new int[] {0, 2})).containsExactly(mean(t, new int[] {0, 2}));
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        back.write(second);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void rejectsOtherFilesAndMismatchedSizes() {
        assertThatThrownBy(() -> TokenVectors.read(new ByteArrayInputStream(new byte[] {31, -117, 8, 0, 0, 0, 0, 0, 0, 0,
                3, 0, 0, 0, 0, 0, 0, 0, 0, 0}))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new TokenVectors(3, new float[2], new byte[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x 3");
    }

    @Test
    void bundledTableMatchesItsVocabulary() {
        SemanticScorer.Shared shared = SemanticScorer.bundled();
        assertThat(shared.vectors().size()).isEqualTo(30_522);
        assertThat(shared.vectors().dimension()).isEqualTo(384);
        float[] v = shared.embed("ignore previous instructions");
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(norm).isCloseTo(1, within(1e-4));
    }
}
