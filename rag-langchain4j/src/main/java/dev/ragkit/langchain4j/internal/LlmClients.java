package dev.ragkit.langchain4j.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.langchain4j.LangChain4jEmbedder;
import dev.ragkit.langchain4j.LangChain4jLlmClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.time.Duration;
import java.util.function.Supplier;

/** Wraps the LangChain4j models a provider built into Ragkit's adapters, with the keys they share. */
final class LlmClients {
    private LlmClients() {
    }

    static LangChain4jLlmClient client(ProviderConfig config, String provider, ModelSettings s,
                                       Supplier<ChatModel> chat, Supplier<StreamingChatModel> streaming) {
        Duration streamTimeout = ModelSettings.positive(config, "stream-timeout", Duration.ofMinutes(5));
        Duration idle = ModelSettings.positive(config, "stream-idle-timeout", s.timeout);
        config.validate();
        try {
            return LangChain4jLlmClient.builder(chat.get()).streamingModel(streaming.get())
                    .id(provider + ":" + s.model).modelName(s.model)
                    .streamTimeout(streamTimeout).streamIdleTimeout(idle).build();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(prefix(config) + ": " + e.getMessage(), e);
        }
    }

    /** {@code rag.<kind>.<name>}, for messages. */
    static String prefix(ProviderConfig config) {
        String full = config.fullKey("");
        return full.endsWith(".") ? full.substring(0, full.length() - 1) : full;
    }

    static LangChain4jEmbedder embedder(ProviderConfig config, String provider, ModelSettings s,
                                        Supplier<EmbeddingModel> model) {
        int dimension = config.integer("dimension", 0);
        if (dimension < 0) {
            config.problem("dimension", dimension, "must be > 0 (or unset, to learn it from the model)");
        }
        int batchSize = config.integer("batch-size", 64);
        if (batchSize < 1) {
            config.problem("batch-size", batchSize, "must be >= 1");
        }
        config.validate();
        EmbeddingModel built;
        try {
            built = model.get();
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(prefix(config) + ": " + e.getMessage(), e);
        }
        return LangChain4jEmbedder.builder(built).id(provider + ":" + s.model).dimension(dimension)
                .batchSize(batchSize).build();
    }
}
