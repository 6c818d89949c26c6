/**
 * Hugging Face router and OpenAI-compatible chat and embeddings. The providers stay in the unexported
 * {@code internal} package.
 */
module dev.ragkit.llm.hf {
    exports dev.ragkit.llm.hf;

    requires transitive dev.ragkit.core;
    requires transitive dev.ragkit.llm.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    provides dev.ragkit.core.spi.EmbedderProvider with
            dev.ragkit.llm.hf.internal.HfEmbedderProvider,
            dev.ragkit.llm.hf.internal.OpenAiCompatibleEmbedderProvider;
    provides dev.ragkit.core.spi.LlmClientProvider with
            dev.ragkit.llm.hf.internal.HfLlmClientProvider,
            dev.ragkit.llm.hf.internal.OpenAiCompatibleLlmClientProvider;
}
