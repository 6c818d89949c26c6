package dev.ragkit.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedOnnxEmbedderTest {
    private static final String HEAD = "aspirin lowers the risk of heart attack in adults with diabetes and high blood"
            + " pressure according to a large randomised trial";

    @Test
    void textBeyondTheWindowIsIgnoredAndTextWithinItIsNot() {
        WindowedOnnxEmbedder embedder = WindowedOnnxEmbedder.load("all-minilm-l6-v2-q", 16);
        assertThat(embedder.id()).isEqualTo("onnx:all-minilm-l6-v2-q@max-tokens=16");
        List<float[]> v = embedder.embedDocuments(List.of(HEAD, HEAD + " whereas vitamin supplements did nothing",
                "vitamin supplements " + HEAD));
        // the first 14 word pieces are the same, so the vectors are too
        assertThat(v.get(1)).containsExactly(v.get(0));
        // a change inside the window changes the vector
        assertThat(v.get(2)).isNotEqualTo(v.get(0));
        double norm = 0;
        for (float f : v.get(0)) {
            norm += f * f;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void rejectsUnknownModelsAndWindows() {
        assertThatThrownBy(() -> WindowedOnnxEmbedder.load("gpt", 256)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("gpt");
        assertThatThrownBy(() -> WindowedOnnxEmbedder.load("all-minilm-l6-v2-q", 4096))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("4096");
    }
}
