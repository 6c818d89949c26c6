package dev.ragkit.core.budget;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.TokenUsage;

/**
 * What a model costs, per million tokens read (prompt) and written (completion), in the host's currency.
 */
public record ModelPrice(double inputPerMillion, double outputPerMillion) {
    /** A model that costs nothing, e.g. a local one. */
    public static final ModelPrice FREE = new ModelPrice(0, 0);

    public ModelPrice {
        if (!(inputPerMillion >= 0) || Double.isInfinite(inputPerMillion)) {
            throw new InvalidInputException("input price was " + inputPerMillion + " but it must be >= 0");
        }
        if (!(outputPerMillion >= 0) || Double.isInfinite(outputPerMillion)) {
            throw new InvalidInputException("output price was " + outputPerMillion + " but it must be >= 0");
        }
    }

    /** The cost of {@code promptTokens} read and {@code completionTokens} written. */
    public double cost(long promptTokens, long completionTokens) {
        return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000d;
    }

    public double cost(TokenUsage usage) {
        return cost(usage.promptTokens(), usage.completionTokens());
    }
}
