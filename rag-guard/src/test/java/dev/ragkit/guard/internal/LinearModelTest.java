package dev.ragkit.guard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.guard.InjectionDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinearModelTest {
    private static LinearModel small(Map<String, Float> languages) {
        float[] w = new float[1 << 4];
        w[3] = 0.5f;
        w[9] = -1.25f;
        return new LinearModel(4, w, 0.1f, 0.26f, languages);
    }

    private static byte[] bytes(LinearModel m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return out.toByteArray();
    }

    @Test
    void languageThresholdsSurviveWriteAndRead() throws Exception {
        LinearModel m = small(Map.of("fr", 0.18f, "en", 0.28f));
        LinearModel read = LinearModel.read(new ByteArrayInputStream(bytes(m)));
        assertThat(read.threshold()).isEqualTo(0.26f);
        assertThat(read.languageThresholds()).containsExactly(Map.entry("en", 0.28f), Map.entry("fr", 0.18f));
        assertThat(read.threshold("fr")).isEqualTo(0.18f);
        assertThat(read.threshold("de")).as("a language without its own threshold gets the general one").isEqualTo(0.26f);
    }

    @Test
    void aModelWithoutLanguageThresholdsIsWrittenInTheFirstFormat() throws Exception {
        byte[] plain = bytes(small(Map.of()));
        byte[] withLanguages = bytes(small(Map.of("fr", 0.18f)));
        DataView first = DataView.of(plain);
        assertThat(first.format()).isEqualTo(1);
        assertThat(DataView.of(withLanguages).format()).isEqualTo(2);
        LinearModel read = LinearModel.read(new ByteArrayInputStream(plain));
        assertThat(read.languageThresholds()).isEmpty();
        assertThat(read.threshold("fr")).isEqualTo(0.26f);
    }

    /** The injection model has no thresholds per language: reading and writing it must not change a byte. */
    @Test
    void bundledInjectionModelRewritesByteIdentical() throws Exception {
        byte[] original;
        try (InputStream in = LinearModelTest.class.getResourceAsStream(InjectionDetector.MODEL)) {
            original = in.readAllBytes();
        }
        LinearModel m = LinearModel.read(new ByteArrayInputStream(original));
        assertThat(bytes(m)).isEqualTo(original);
    }

    @Test
    void rejectsBadLanguageThresholds() {
        assertThatThrownBy(() -> small(Map.of("fr", 1.5f))).hasMessageContaining("fr=1.5");
        assertThatThrownBy(() -> small(Map.of("French", 0.2f))).hasMessageContaining("French");
    }

    /** The format field of a model file (after gunzip: magic, then format). */
    private record DataView(int format) {
        static DataView of(byte[] gz) throws Exception {
            try (java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz)))) {
                in.readInt();
                return new DataView(in.readInt());
            }
        }
    }
}
