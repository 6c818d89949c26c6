package dev.ragkit.core;

import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.VectorStoreProvider;

/** The extension points, with the config segment and artifact naming of each. */
public enum ComponentKind {
    EMBEDDER("embedder", "Embedder", EmbedderProvider.class),
    STORE("store", "VectorStore", VectorStoreProvider.class),
    LLM("llm", "LlmClient", LlmClientProvider.class),
    GUARD("guard", "Guard", GuardProvider.class);

    private final String configSegment;
    private final String displayName;
    private final Class<? extends Provider<?>> providerType;

    ComponentKind(String configSegment, String displayName, Class<? extends Provider<?>> providerType) {
        this.configSegment = configSegment;
        this.displayName = displayName;
        this.providerType = providerType;
    }

    /** The {@code <kind>} in {@code rag.<kind>.<name>.<key>}. */
    public String configSegment() {
        return configSegment;
    }

    /** The SPI type name used in messages, e.g. {@code VectorStore}. */
    public String displayName() {
        return displayName;
    }

    public Class<? extends Provider<?>> providerType() {
        return providerType;
    }

    /** The artifact that would hold a provider of this name, for "add it to the class path" hints. */
    public String artifactFor(String name) {
        return switch (this) {
            case EMBEDDER -> "dev.ragkit:rag-embed-" + name;
            case STORE -> "dev.ragkit:rag-store-" + name;
            case LLM -> "dev.ragkit:rag-llm-" + name;
            case GUARD -> "dev.ragkit:rag-guard";
        };
    }
}
