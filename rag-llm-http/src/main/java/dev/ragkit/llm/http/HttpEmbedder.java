package dev.ragkit.llm.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ragkit.core.RagException;
import dev.ragkit.core.spi.Embedder;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * An {@link Embedder} over an HTTP API. Batching, prefixes, the dimension and the id are
 * {@link EmbeddingBatches}' work and retries {@link ModelChain}'s ({@code embed} in logs); the
 * adapter only sends one batch to one model in its wire format ({@link #embedOnce}). There is no
 * fallback model: vectors of two models are not comparable.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public abstract class HttpEmbedder implements Embedder {
    private final String backend;
    private final String model;
    private final RetryPolicy retryPolicy;
    private final Logger log;
    private final EmbeddingBatches batches;
    private volatile boolean closed;

    /**
     * @param backend the name in ids, exceptions and logs, e.g. {@code ollama}
     * @param model the model, already checked and stripped by the adapter
     * @param batches the batching settings the adapter's builder filled in
     */
    protected HttpEmbedder(String backend, String model, EmbeddingBatches.Builder batches, RetryPolicy retryPolicy,
            Logger log) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.model = Objects.requireNonNull(model, "model");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.log = Objects.requireNonNull(log, "log");
        this.batches = batches.build(this::embedBatch);
    }

    /**
     * One request embedding {@code inputs} (already prefixed) with {@code model}, one vector per
     * input in order; turn the rows of the answer into vectors with {@link #vectors}.
     */
    protected abstract List<float[]> embedOnce(String model, List<String> inputs) throws CallFailure;

    /** The rows of an answer as checked vectors of one length (see {@link EmbeddingBatches#vectors}). */
    protected final List<float[]> vectors(List<JsonNode> rows, String model, int status) throws CallFailure {
        return batches.vectors(rows, model, status);
    }

    /** The model. */
    protected final String model() {
        return model;
    }

    /** {@code <backend>:<model>}, plus the prefixes when set (they change the vectors). */
    @Override
    public final String id() {
        return batches.id(backend + ":" + model);
    }

    /**
     * The configured dimension, or else the length of a vector embedded once to find out (the first
     * call then contacts the server and may throw {@link dev.ragkit.core.RagBackendException}).
     */
    @Override
    public final int dimension() {
        return batches.dimension();
    }

    @Override
    public final List<float[]> embedDocuments(List<String> texts) {
        ensureOpen();
        return batches.embedDocuments(texts);
    }

    @Override
    public final float[] embedQuery(String query) {
        ensureOpen();
        return batches.embedQuery(query);
    }

    /**
     * Refuses later calls with a {@link RagException} saying the embedder is closed. Idempotent. Java 17's
     * {@code HttpClient} has no close: its pooled connections and selector thread end once the client is
     * unreachable, which this makes sure of by refusing further use. Subclasses that hold more release it
     * and call {@code super.close()}.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("embedder " + id() + " is closed");
        }
    }

    private List<float[]> embedBatch(List<String> inputs) {
        return new ModelChain(backend, "embed", List.of(model), retryPolicy, log)
                .run(m -> embedOnce(m, inputs), () -> false);
    }
}
