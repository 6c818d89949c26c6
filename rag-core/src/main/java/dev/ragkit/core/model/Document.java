package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Map;

/**
 * A source document as the host hands it to ingestion.
 *
 * @param id stable identifier chosen by the host (a path, a URL, a database key); re-ingesting
 *     the same id replaces the document's previous chunks
 * @param text the full text
 * @param metadata copied onto every chunk of the document, for filters and citations
 */
public record Document(String id, String text, Map<String, Object> metadata) {
    public Document {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("document id was '" + id + "' but it must be non-blank");
        }
        if (id.contains("#")) {
            throw new InvalidInputException("document id '" + id + "' must not contain '#': chunk ids are <docId>#<n>");
        }
        if (text == null) {
            throw new InvalidInputException("document '" + id + "' text was null");
        }
        metadata = Metadata.copyOf(metadata);
    }

    public Document(String id, String text) {
        this(id, text, Map.of());
    }

    /** The document's title from metadata key {@code title}, or its id. */
    public String title() {
        Object title = metadata.get("title");
        return title instanceof String s && !s.isBlank() ? s : id;
    }
}
