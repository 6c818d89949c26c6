package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import java.util.Objects;

/**
 * One document of a BEIR corpus ({@code corpus.jsonl}).
 *
 * @param id the document's {@code _id}
 * @param title its {@code title}, empty when absent
 * @param text its {@code text}, empty when absent
 */
public record CorpusDocument(String id, String title, String text) {
    public CorpusDocument {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("corpus document _id was '" + id + "' but it must be non-blank");
        }
        title = Objects.requireNonNullElse(title, "");
        text = Objects.requireNonNullElse(text, "");
    }

    /**
     * The text that is indexed, {@code title + " " + text} trimmed, as BEIR's dense and lexical
     * baselines index it.
     */
    public String indexText() {
        return (title + " " + text).strip();
    }
}
