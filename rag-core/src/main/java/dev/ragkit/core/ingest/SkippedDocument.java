package dev.ragkit.core.ingest;

import java.util.Objects;

/**
 * A document that an ingestion left alone, and why. Its chunks already in the store, if any, are
 * neither updated nor deleted.
 *
 * @param documentId the document's id
 * @param reason what was wrong and what to change, e.g. {@code 52428800 characters, more than
 *     rag.ingest.max-document-chars (20000000); raise it to ingest this document}
 */
public record SkippedDocument(String documentId, String reason) {
    public SkippedDocument {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code '<id>': <reason>}, for logs. */
    @Override
    public String toString() {
        return "'" + documentId + "': " + reason;
    }
}
