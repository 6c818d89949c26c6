package dev.ragkit.testkit;

import dev.ragkit.core.spi.Embedder;

/** Exercises the embedder kit itself against a deterministic fake. */
class HashingEmbedderConformanceTest extends EmbedderConformanceTest {
    @Override
    protected Embedder createEmbedder() {
        return new HashingEmbedder();
    }
}
