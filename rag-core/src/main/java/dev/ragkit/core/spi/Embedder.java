package dev.ragkit.core.spi;

import dev.ragkit.core.model.ScoredQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns text into vectors. Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {
    /**
     * Identifies the model, e.g. {@code onnx:all-minilm-l6-v2-q}. Two embedders with the same id
     * produce the same vectors, so it keys caches and is recorded with an index.
     */
    String id();

    /** Length of every vector this embedder returns. */
    int dimension();

    /**
     * The languages this model was trained to retrieve in, as lowercase ISO 639-1 codes ({@code en},
     * {@code fr}); empty when unknown, which is the default. A hybrid
     * {@link dev.ragkit.core.retrieval.Retriever} leans on keyword search for a query whose detected
     * language is not in a non-empty set, since an English-only model ranks French text poorly.
     * Wrappers (caches, timers) return the set of the embedder they wrap.
     */
    default Set<String> languages() {
        return Set.of();
    }

    /**
     * Embeds passages to be stored, in order: element {@code i} of the result embeds element
     * {@code i} of {@code texts}.
     *
     * @throws dev.ragkit.core.InvalidInputException if a text is null or blank
     * @throws dev.ragkit.core.RagBackendException if the model or its server fails
     */
    List<float[]> embedDocuments(List<String> texts);

    /**
     * Embeds a search query, applying the query instruction the model was trained with, if any.
     *
     * @throws dev.ragkit.core.InvalidInputException if the query is null or blank
     */
    float[] embedQuery(String query);

    /**
     * Ids of the classifier heads this embedder runs over a query in the same model pass as its vector
     * (see {@link #embedQueryScored}); empty by default. A head id names what the head scores and the
     * weights it scores with (e.g. {@code injection:onnx:all-minilm-l6-v2-q:layers5-6:1a2b3c4d}), so a
     * guard can tell whether the head it was tuned for is the one running. Wrappers that do not
     * forward {@link #embedQueryScored} must keep this default.
     */
    default Set<String> queryHeads() {
        return Set.of();
    }

    /**
     * Embeds a search query as {@link #embedQuery} does and, in the same model pass, scores it with
     * each of {@link #queryHeads()}: a guard reads the scores and the retrieval the vector, so the
     * question is encoded once for both. By default: {@link #embedQuery}'s vector and no score.
     *
     * @throws dev.ragkit.core.InvalidInputException if the query is null or blank
     * @throws dev.ragkit.core.RagBackendException if the model or its server fails
     */
    default ScoredQuery embedQueryScored(String query) {
        return new ScoredQuery(embedQuery(query), Map.of());
    }

    /**
     * Releases what this embedder holds (native sessions, connection pools, threads). Idempotent: later
     * calls do nothing. Afterwards the other methods may fail with an exception saying the embedder is
     * closed; an implementation that holds nothing may stay usable and says so. Must not be called
     * while other calls are in flight. Does nothing by default; throws no checked exception.
     */
    @Override
    default void close() {
    }
}
