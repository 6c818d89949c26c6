package dev.ragkit.core.spi;

import dev.ragkit.core.model.SearchHit;
import java.util.List;

/** Reorders retrieved hits for a question, e.g. with a cross-encoder. Thread-safe. */
public interface Reranker {
    /** A name for metrics tags, e.g. {@code cross-encoder}. */
    String name();

    /** The hits in their new order, at most {@code topK} of them, scores still in [0, 1]. */
    List<SearchHit> rerank(String question, List<SearchHit> hits, int topK);
}
