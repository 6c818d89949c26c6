package dev.ragkit.core.model;

import java.util.List;
import java.util.Optional;

/**
 * One page of a store scan.
 *
 * @param chunks the chunks of this page
 * @param nextCursor pass it to the next scan call; empty when this is the last page
 */
public record ScanPage(List<Chunk> chunks, Optional<String> nextCursor) {
    public ScanPage {
        chunks = List.copyOf(chunks);
        nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
    }
}
