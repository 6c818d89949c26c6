package dev.ragkit.llm.ollama;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.testkit.EmbedderConformanceTest;
import org.junit.jupiter.api.BeforeEach;

/** The embedder contract, semantics included, against a real Ollama; skipped with "not run: set ..." otherwise. */
class OllamaEmbedderIT extends EmbedderConformanceTest {
    private String url;

    @BeforeEach
    void requireServer() {
        url = OllamaItSettings.requireUrl();
    }

    @Override
    protected Embedder createEmbedder() {
        return OllamaEmbedder.builder().baseUrl(url).model(OllamaItSettings.embedModel()).build();
    }
}
