package dev.ragkit.embed.onnx;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.testkit.EmbedderConformanceTest;

/** The embedder kit against the real all-MiniLM-L6-v2 quantized model. */
class AllMiniLmConformanceTest extends EmbedderConformanceTest {
    @Override
    protected Embedder createEmbedder() {
        return OnnxEmbedder.builder().model(OnnxModel.ALL_MINILM_L6_V2_Q).build();
    }
}
