package dev.ragkit.core.ingest;

import dev.ragkit.core.model.Metadata;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DocumentParser} read from one file.
 *
 * @param text the document's text
 * @param title the title the format declares (document metadata, {@code <title>}, first heading), or
 *     null: the loader then uses the file name
 * @param language an ISO 639-1 code the format declares (e.g. {@code <html lang="fr">}), or null:
 *     the loader then takes it from the path or guesses it from the text
 * @param metadata further metadata for every chunk (e.g. {@code author}); may be empty
 */
public record ParsedDocument(String text, String title, String language, Map<String, Object> metadata) {
    public ParsedDocument {
        Objects.requireNonNull(text, "text");
        title = title == null || title.isBlank() ? null : title.strip();
        language = language == null || language.isBlank() ? null : language.strip();
        metadata = Metadata.copyOf(metadata);
    }

    /** Text and title only. */
    public ParsedDocument(String text, String title) {
        this(text, title, null, Map.of());
    }
}
