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
 */
public record GuardInput(GuardStage stage, String text, List<Chunk> sources) {
    public GuardInput {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(text, "text");
        sources = List.copyOf(sources);
    }

    public static GuardInput of(GuardStage stage, String text) {
        return new GuardInput(stage, text, List.of());
    }
}
