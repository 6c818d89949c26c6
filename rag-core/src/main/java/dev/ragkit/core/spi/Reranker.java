package dev.ragkit.core.spi;

import dev.ragkit.core.model.SearchHit;
import java.util.List;

/** Reorders retrieved hits for a question, e.g. with a cross-encoder. Thread-safe. */
public interface Reranker extends AutoCloseable {
    /** A name for metrics tags, e.g. {@code cross-encoder}. */
    String name();

    /** The hits in their new order, at most {@code topK} of them, scores still in [0, 1]. */
    List<SearchHit> rerank(String question, List<SearchHit> hits, int topK);

    /**
     * Releases what this reranker holds (native sessions, connection pools, threads). Idempotent: later
     * calls do nothing. Afterwards the other methods may fail with an exception saying the reranker is
     * closed; an implementation that holds nothing may stay usable and says so. Must not be called
     * while other calls are in flight. Does nothing by default; throws no checked exception.
     */
    @Override
    default void close() {
    }
}
