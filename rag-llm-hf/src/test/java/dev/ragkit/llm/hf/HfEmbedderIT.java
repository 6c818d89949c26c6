package dev.ragkit.llm.hf;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.testkit.EmbedderConformanceTest;
import org.junit.jupiter.api.BeforeEach;

/** The embedder contract, semantics included, against the real router; skipped with "not run: set ..." otherwise. */
class HfEmbedderIT extends EmbedderConformanceTest {
    private String token;

    @BeforeEach
    void requireToken() {
        token = HfItSettings.requireToken();
    }

    @Override
    protected Embedder createEmbedder() {
        return HfEmbedder.builder().token(token).model(HfItSettings.embedModel()).build();
    }
}
