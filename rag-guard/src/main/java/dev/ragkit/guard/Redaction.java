package dev.ragkit.guard;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Redactor#redact}: the redacted text, what was found (in the original text's
 * offsets), and for {@link RedactionMode#PLACEHOLDER} the placeholder → original value mapping.
 *
 * @param text the redacted text
 * @param matches the personal data found, in order
 * @param placeholders placeholder → original value; empty for the other modes
 */
public record Redaction(String text, List<PiiMatch> matches, Map<String, String> placeholders) {
    public Redaction {
        Objects.requireNonNull(text, "text");
        matches = List.copyOf(matches);
        placeholders = Map.copyOf(placeholders);
    }

    /** True when nothing was redacted. */
    public boolean isEmpty() {
        return matches.isEmpty();
    }

    /** Puts the original values back where {@code redacted} (e.g. a model's answer) holds placeholders. */
    public String restore(String redacted) {
        return Redactor.restore(redacted, placeholders);
    }
}
