package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;

/**
 * One retrieved document of a run and its retrieval score (higher is better).
 *
 * @param docId the corpus document id
 * @param score the retrieval score; only its order matters
 */
public record ScoredDoc(String docId, double score) {
    public ScoredDoc {
        if (docId == null || docId.isBlank()) {
            throw new InvalidInputException("retrieved docId was '" + docId + "' but it must be non-blank");
        }
        if (Double.isNaN(score)) {
            throw new InvalidInputException("retrieved document '" + docId + "' score was NaN");
        }
    }
}
