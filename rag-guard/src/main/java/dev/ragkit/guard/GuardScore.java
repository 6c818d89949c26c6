package dev.ragkit.guard;

import java.util.List;

/**
 * A detector's score for one text.
 *
 * @param score in [0, 1]; higher means more likely injection / toxic
 * @param signals the rules or payloads that contributed, e.g. {@code rule:ignore-previous}, for
 *     reasons and logs (never the text itself)
 */
public record GuardScore(double score, List<String> signals) {
    public GuardScore {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score was " + score + " but it must be within [0, 1]");
        }
        signals = List.copyOf(signals);
    }
}
