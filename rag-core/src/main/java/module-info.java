/**
 * Ragkit's core: value types, the SPI, provider discovery, configuration, the pipeline, ingestion and
 * the in-memory reference store.
 *
 * <p>{@code dev.ragkit.core.internal} is not exported: it carries no compatibility promise. The
 * providers of other modules are found through the {@code uses} clauses below, so an adapter on the
 * module path registers with {@code provides}, one on the class path with {@code META-INF/services}.
 */
module dev.ragkit.core {
    exports dev.ragkit.core;
    exports dev.ragkit.core.answer;
    exports dev.ragkit.core.budget;
    exports dev.ragkit.core.cache;
    exports dev.ragkit.core.index;
    exports dev.ragkit.core.config;
    exports dev.ragkit.core.ingest;
    exports dev.ragkit.core.metrics;
    exports dev.ragkit.core.migrate;
    exports dev.ragkit.core.model;
    exports dev.ragkit.core.retrieval;
    exports dev.ragkit.core.secret;
    exports dev.ragkit.core.spi;
    exports dev.ragkit.core.store;
    exports dev.ragkit.core.text;

    // The builders of Ragkit, RagPipeline, Retriever and Ingestor take a MeterRegistry and a Tracer.
    requires transitive micrometer.core;
    requires transitive io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires org.slf4j;

    uses dev.ragkit.core.spi.EmbedderProvider;
    uses dev.ragkit.core.spi.VectorStoreProvider;
    uses dev.ragkit.core.spi.LlmClientProvider;
    uses dev.ragkit.core.spi.GuardProvider;
    uses dev.ragkit.core.ingest.DocumentParser;
    uses dev.ragkit.core.secret.SecretResolverProvider;
    uses dev.ragkit.core.cache.CacheBackendProvider;

    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.core.internal.MemoryVectorStoreProvider;
    provides dev.ragkit.core.cache.CacheBackendProvider with dev.ragkit.core.internal.LocalCacheBackendProvider;
}
