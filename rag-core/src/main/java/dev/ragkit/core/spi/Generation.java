package dev.ragkit.core.spi;

import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.TokenUsage;
import java.util.List;
import java.util.Objects;

/**
 * A completed model answer.
 *
 * @param text the full text
 * @param usage tokens read and written, as the provider reported them
 * @param model the model that produced it, as the provider named it
 * @param fallbacks models the client tried before {@code model} within this call (e.g. a primary model
 *     that was unknown or overloaded before its configured fallback model answered), and why; the
 *     pipeline adds them to {@link Answer#fallbacks()} and the {@code rag.fallback} counter
 */
public record Generation(String text, TokenUsage usage, String model, List<Answer.Fallback> fallbacks) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        fallbacks = List.copyOf(fallbacks);
    }

    /** A generation by the first model tried. */
    public Generation(String text, TokenUsage usage, String model) {
        this(text, usage, model, List.of());
    }
}
