package dev.ragkit.testkit;

import dev.ragkit.core.spi.Embedder;

/** Exercises the embedder kit itself against a deterministic fake. */
class HashingEmbedderConformanceTest extends EmbedderConformanceTest {
    @Override
    protected Embedder createEmbedder() {
        return new HashingEmbedder();
    }

    /** The fake holds nothing, so its default {@code close()} leaves it usable, as documented there. */
    @Override
    protected boolean usableAfterClose() {
        return true;
    }
}
