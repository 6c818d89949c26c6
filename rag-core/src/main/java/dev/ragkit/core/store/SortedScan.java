package dev.ragkit.core.store;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.ScanPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link dev.ragkit.core.spi.VectorStore#scan} for stores that keep their chunks in a map sorted by
 * chunk id: pages in id order, the cursor being the last id of the previous page. A filter on the
 * document id alone reads one id range instead of every chunk, which is what incremental ingestion
 * asks for once per document.
 */
public final class SortedScan {
    private SortedScan() {
    }

    /**
     * One page of the entries of {@code byChunkId} whose chunk satisfies {@code filter} (null: all),
     * after {@code cursor} (null: from the start). The caller holds whatever lock guards the map.
     *
     * @param chunkOf the chunk held by an entry
     * @throws InvalidInputException when {@code limit} is below 1
     */
    public static <E> ScanPage page(NavigableMap<String, E> byChunkId, Function<E, Chunk> chunkOf, Filter filter,
                                    String cursor, int limit) {
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        NavigableMap<String, E> range = byChunkId;
        if (filter instanceof Filter.Eq eq && eq.key().equals(Metadata.DOCUMENT_ID_KEY)
                && eq.value() instanceof String documentId) {
            // Chunk ids are <docId>#<n>, so one document's chunks are one id range ('$' follows '#').
            range = byChunkId.subMap(documentId + "#", true, documentId + "$", false);
        }
        Map<String, E> tail = cursor == null ? range : range.tailMap(cursor, false);
        List<Chunk> page = new ArrayList<>(Math.min(limit, 1024));
        String last = null;
        boolean more = false;
        for (E entry : tail.values()) {
            Chunk chunk = chunkOf.apply(entry);
            if (filter != null && !filter.test(chunk)) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(chunk);
            last = chunk.id();
        }
        return new ScanPage(page, more ? Optional.of(last) : Optional.empty());
    }
}
