package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Objects;

/**
 * A retrieved chunk and its score in [0, 1] (higher is more relevant); see {@link SearchRequest}
 * for what the score means in each mode.
 */
public record SearchHit(Chunk chunk, double score) {
    public SearchHit {
        Objects.requireNonNull(chunk, "chunk");
        if (!(score >= 0 && score <= 1)) {
            throw new InvalidInputException("hit '" + chunk.id() + "' score was " + score + " but it must be in [0, 1]");
        }
    }

    public String id() {
        return chunk.id();
    }
}
