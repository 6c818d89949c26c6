package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;

/**
 * One evaluation query: only its id and text. Loaders never keep any other field, because BEIR
 * query metadata can hold the gold answers.
 *
 * @param id the query's {@code _id}
 * @param text the query text
 */
public record EvalQuery(String id, String text) {
    public EvalQuery {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("query _id was '" + id + "' but it must be non-blank");
        }
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("query '" + id + "' text was empty");
        }
    }
}
