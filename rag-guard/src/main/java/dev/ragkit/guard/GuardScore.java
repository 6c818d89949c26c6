package dev.ragkit.guard;

import dev.ragkit.core.spi.GuardVerdict;
import java.util.List;
import java.util.Locale;

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

    /**
     * The verdict of a guard blocking at {@code threshold}: allow below it, otherwise block with a
     * reason naming {@code what}, the score and the signals (never the text), e.g. "toxicity score
     * 0.49 >= 0.41 [rule:insult-fr]".
     */
    GuardVerdict verdict(String what, double threshold) {
        if (score < threshold) {
            return GuardVerdict.allow();
        }
        return GuardVerdict.block(String.format(Locale.ROOT, "%s score %.2f >= %.2f%s", what, score, threshold,
                signals.isEmpty() ? "" : " " + signals));
    }
}
