package dev.ragkit.langchain4j;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;

/**
 * The one-to-one mapping between LangChain4j embedding ids and Ragkit chunk ids.
 *
 * <p>Ragkit names a chunk {@code <documentId>#<index>}; LangChain4j ids are free strings (random UUIDs by
 * default). An id that already has the chunk form with an index above 0 ({@code report#3}) names that
 * chunk as is; any other id {@code X} names chunk 0 of document {@code X} ({@code X#0}). Back the other
 * way, chunk 0 of a document is shown as the document id, unless the document id itself has the chunk
 * form (then the chunk id is shown). So an id given to LangChain4j comes back unchanged from search, and
 * chunks that Ragkit ingested are reachable from LangChain4j: {@code report#3} as {@code report#3}, and
 * {@code report#0} as {@code report}.
 *
 * <p>The one id this cannot represent is a LangChain4j id {@code X#0} where {@code X} is not itself of
 * the chunk form: it would name chunk 0 of {@code X}, which is shown as {@code X}. Such ids are refused
 * with an error rather than silently renamed.
 */
public final class EmbeddingIds {
    private EmbeddingIds() {
    }

    /** Where a LangChain4j id lives in a Ragkit store: the document id and the chunk index. */
    public record ChunkAddress(String documentId, int index) {
        /** The Ragkit chunk id, {@code documentId#index}. */
        public String chunkId() {
            return Chunk.idOf(documentId, index);
        }
    }

    /** The chunk a LangChain4j id names. */
    public static ChunkAddress toChunk(String embeddingId) {
        if (embeddingId == null || embeddingId.isBlank()) {
            throw new InvalidInputException("embedding id was '" + embeddingId + "' but it must be non-blank");
        }
        ChunkAddress parsed = parse(embeddingId);
        if (parsed == null) {
            return new ChunkAddress(embeddingId, 0);
        }
        if (parsed.index() == 0 && parse(parsed.documentId()) == null) {
            throw new InvalidInputException("embedding id '" + embeddingId + "' names chunk 0 of document '"
                    + parsed.documentId() + "', which this store shows to LangChain4j as '" + parsed.documentId()
                    + "': use '" + parsed.documentId() + "' as the id");
        }
        return parsed;
    }

    /** The LangChain4j id of a Ragkit chunk. */
    public static String toEmbeddingId(Chunk chunk) {
        if (chunk.index() == 0 && parse(chunk.documentId()) == null) {
            return chunk.documentId();
        }
        return chunk.id();
    }

    /** The document id and index of {@code id} when it has the chunk form (canonical decimal index), else null. */
    private static ChunkAddress parse(String id) {
        int hash = id.lastIndexOf('#');
        if (hash <= 0 || hash == id.length() - 1) {
            return null;
        }
        String documentId = id.substring(0, hash);
        String digits = id.substring(hash + 1);
        if (documentId.isBlank() || digits.length() > 10 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        long index = Long.parseLong(digits);
        return index > Integer.MAX_VALUE ? null : new ChunkAddress(documentId, (int) index);
    }
}
