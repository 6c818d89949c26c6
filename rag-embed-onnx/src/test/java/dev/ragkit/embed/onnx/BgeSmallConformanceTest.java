package dev.ragkit.embed.onnx;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.testkit.EmbedderConformanceTest;

/** The embedder kit against the real bge-small-en-v1.5 quantized model, in small batches. */
class BgeSmallConformanceTest extends EmbedderConformanceTest {
    @Override
    protected Embedder createEmbedder() {
        // A batch size of 3 makes the kit's 7-text batches span several model calls.
        return OnnxEmbedder.builder().model("bge-small-en-v1.5-q").batchSize(3).build();
    }
}
