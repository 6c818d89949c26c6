package dev.ragkit.embed.onnx;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.embed.onnx.internal.OnnxEmbedderProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The provider contract against {@code onnx}; it has no required key, so bad values are checked instead. */
class OnnxEmbedderProviderContractTest extends ProviderContractTest {
    @Override
    protected Provider<?> provider() {
        return new OnnxEmbedderProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("model", "bge-small-en-v1.5-q", "batch-size", "16", "threads", "1", "texts-per-call", "4");
    }

    @Override
    protected Map<String, String> invalidValues() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("model", "all-minilm-l12");
        bad.put("batch-size", "0");
        bad.put("threads", "many");
        bad.put("texts-per-call", "0");
        return bad;
    }
}
