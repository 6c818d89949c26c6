package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreExportedLayersTest {

    @TempDir
    Path dir;

    @Test
    void readsBackTheStatesExportEncoderStatesWrites() throws IOException {
        float[][] first = tokens(3, 0.5f);
        float[][] second = tokens(1, -2f);
        Path file = write(ExportEncoderStates.rowBytes(first), ExportEncoderStates.rowBytes(second));

        List<float[][]> states = ScoreExportedLayers.readStates(file, 2);

        assertThat(states).hasSize(2);
        assertThat(states.get(0)).isDeepEqualTo(first);
        assertThat(states.get(1)).isDeepEqualTo(second);
    }

    @Test
    void aFileOfOtherRowsIsRefused() throws IOException {
        Path file = write(ExportEncoderStates.rowBytes(tokens(2, 1f)), ExportEncoderStates.rowBytes(tokens(2, 1f)));

        assertThatThrownBy(() -> ScoreExportedLayers.readStates(file, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the states of 1 rows");
        assertThatThrownBy(() -> ScoreExportedLayers.readStates(file, 3)).isInstanceOf(EOFException.class);
    }

    /** {@code count} token vectors of 384 distinct values from {@code base}. */
    private static float[][] tokens(int count, float base) {
        float[][] tokens = new float[count][384];
        for (int t = 0; t < count; t++) {
            for (int d = 0; d < 384; d++) {
                tokens[t][d] = base + t * 1000 + d / 7f;
            }
        }
        return tokens;
    }

    private Path write(byte[]... rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] row : rows) {
            bytes.writeBytes(row);
        }
        return Files.write(dir.resolve("states.bin"), bytes.toByteArray());
    }
}
