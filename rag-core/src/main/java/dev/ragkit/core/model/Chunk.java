package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A piece of a document, the unit that is embedded, stored and cited.
 *
 * @param id {@code <documentId>#<index>}, stable across re-ingestion of the same document
 * @param documentId the document this chunk belongs to
 * @param index position of the chunk in its document, from 0
 * @param text the chunk's text
 * @param contentHash SHA-256 of the text (hex); unchanged text means an unchanged embedding
 * @param metadata the document's metadata (and any the splitter adds)
 */
public record Chunk(String id, String documentId, int index, String text, String contentHash,
                    Map<String, Object> metadata) {
    public Chunk {
        if (documentId == null || documentId.isBlank()) {
            throw new InvalidInputException("chunk documentId was '" + documentId + "' but it must be non-blank");
        }
        if (index < 0) {
            throw new InvalidInputException("chunk index was " + index + " but it must be >= 0");
        }
        if (id == null || !id.equals(idOf(documentId, index))) {
            throw new InvalidInputException("chunk id was '" + id + "' but it must be '" + idOf(documentId, index) + "'");
        }
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("chunk '" + id + "' text was empty");
        }
        if (contentHash == null || contentHash.isBlank()) {
            throw new InvalidInputException("chunk '" + id + "' contentHash was empty");
        }
        metadata = Metadata.copyOf(metadata);
    }

    /** A chunk whose id and hash are derived from the document id, position and text. */
    public static Chunk of(String documentId, int index, String text, Map<String, Object> metadata) {
        return new Chunk(idOf(documentId, index), documentId, index, text, hash(text), metadata);
    }

    /** The id of chunk {@code index} of document {@code documentId}. */
    public static String idOf(String documentId, int index) {
        return documentId + "#" + index;
    }

    /** SHA-256 of the UTF-8 text, in lowercase hex. */
    public static String hash(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }

    /** The chunk's title: metadata {@code title} or the document id. */
    public String title() {
        Object title = metadata.get("title");
        return title instanceof String s && !s.isBlank() ? s : documentId;
    }
}
