package dev.ragkit.core.model;

import java.util.Objects;

/**
 * A numbered source of an answer: {@code [number]} in the answer text refers to it.
 *
 * @param number 1-based number as it appears in the prompt and the answer
 * @param chunkId the cited chunk
 * @param documentId its document
 * @param title the document title (metadata {@code title}, else the document id)
 * @param snippet the cited text (the chunk's text, or the quoted sentence for extractive answers)
 * @param score the retrieval score of the chunk, in [0, 1]
 */
public record Citation(int number, String chunkId, String documentId, String title, String snippet, double score) {
    public Citation {
        if (number < 1) {
            throw new IllegalArgumentException("citation number must be >= 1, was " + number);
        }
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(snippet, "snippet");
    }
}
