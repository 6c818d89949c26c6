package dev.ragkit.llm.http;

import java.util.Objects;

/**
 * {@link HttpClientBuilder} plus the settings every HTTP embedder has: the dimension, the batch size
 * and the document and query prefixes.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API, although its setters are part of the
 * adapters' builders.
 *
 * @param <B> the adapter's builder
 */
public abstract class EmbedderClientBuilder<B extends EmbedderClientBuilder<B>> extends HttpClientBuilder<B> {
    private final EmbeddingBatches.Builder batches;

    /**
     * @param settings the adapter's settings builder, which the inherited setters fill in
     * @param batches the batching settings, which the setters here fill in; the adapter keeps its own
     *     reference to build them with
     */
    protected EmbedderClientBuilder(ClientSettings.Builder settings, EmbeddingBatches.Builder batches) {
        super(settings);
        this.batches = Objects.requireNonNull(batches, "batches");
    }

    /** The vector length; when not set it is found by embedding one text on first use. */
    public B dimension(Integer dimension) {
        batches.dimension(dimension);
        return self();
    }

    /** Texts per request; default 32. */
    public B batchSize(int batchSize) {
        batches.batchSize(batchSize);
        return self();
    }

    /**
     * Text put before every passage, for models trained with one (e.g. {@code search_document: } for
     * nomic-embed-text, {@code passage: } for E5 models); default none.
     */
    public B documentPrefix(String prefix) {
        batches.documentPrefix(prefix);
        return self();
    }

    /**
     * Text put before every query (e.g. {@code search_query: } for nomic-embed-text, {@code query: }
     * for E5 models); default none.
     */
    public B queryPrefix(String prefix) {
        batches.queryPrefix(prefix);
        return self();
    }
}
