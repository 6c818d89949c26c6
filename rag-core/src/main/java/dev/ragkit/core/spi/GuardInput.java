package dev.ragkit.core.spi;

import dev.ragkit.core.model.Chunk;
import java.util.List;
import java.util.Objects;

/**
 * What a guard checks.
 *
 * @param stage where in the pipeline the text comes from
 * @param text the question, the chunk text or the answer
 * @param sources at {@link GuardStage#OUTPUT}, the numbered sources the answer was given (source
 *     {@code [n]} is element {@code n-1}); empty at other stages
 * @param requestId the same for every stage of one question (the pipeline passes the answer's trace
 *     id), so a guard can carry state from INPUT to OUTPUT; empty when the caller has no request
 */
public record GuardInput(GuardStage stage, String text, List<Chunk> sources, String requestId) {
    public GuardInput {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(text, "text");
        sources = List.copyOf(sources);
        Objects.requireNonNull(requestId, "requestId");
    }

    /** An input outside any request. */
    public GuardInput(GuardStage stage, String text, List<Chunk> sources) {
        this(stage, text, sources, "");
    }

    public static GuardInput of(GuardStage stage, String text) {
        return new GuardInput(stage, text, List.of());
    }
}
