/**
 * Two-way bridge with LangChain4j. LangChain4j's jars carry no module descriptor and no
 * Automatic-Module-Name, so on the module path they are automatic modules named after their files
 * ({@code langchain4j.core}, {@code langchain4j.ollama}, {@code langchain4j.open.ai}). The providers stay in
 * the unexported {@code internal} package.
 */
module dev.ragkit.langchain4j {
    exports dev.ragkit.langchain4j;

    requires transitive dev.ragkit.core;
    requires transitive langchain4j.core;
    requires langchain4j.ollama;
    requires langchain4j.open.ai;
    requires org.slf4j;

    provides dev.ragkit.core.spi.LlmClientProvider with
            dev.ragkit.langchain4j.internal.OllamaLlmClientProvider,
            dev.ragkit.langchain4j.internal.OpenAiLlmClientProvider;
    provides dev.ragkit.core.spi.EmbedderProvider with
            dev.ragkit.langchain4j.internal.OllamaEmbedderProvider,
            dev.ragkit.langchain4j.internal.OpenAiEmbedderProvider;
}
