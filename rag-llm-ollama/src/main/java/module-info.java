/** Ollama chat and embeddings. The providers stay in the unexported {@code internal} package. */
module dev.ragkit.llm.ollama {
    exports dev.ragkit.llm.ollama;

    requires transitive dev.ragkit.core;
    requires transitive dev.ragkit.llm.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    provides dev.ragkit.core.spi.EmbedderProvider with dev.ragkit.llm.ollama.internal.OllamaEmbedderProvider;
    provides dev.ragkit.core.spi.LlmClientProvider with dev.ragkit.llm.ollama.internal.OllamaLlmClientProvider;
}
