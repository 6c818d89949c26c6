package dev.ragkit.core.spi;

import dev.ragkit.core.model.TokenUsage;
import java.util.Objects;

/**
 * A completed model answer.
 *
 * @param text the full text
 * @param usage tokens read and written, as the provider reported them
 * @param model the model that produced it, as the provider named it
 */
public record Generation(String text, TokenUsage usage, String model) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
    }
}
