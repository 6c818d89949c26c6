package dev.ragkit.guard;

import java.util.Objects;

/**
 * One piece of personal data found in a text.
 *
 * @param type what it is
 * @param start offset of its first character
 * @param end offset after its last character (exclusive)
 * @param value the matched text, {@code text.substring(start, end)}
 */
public record PiiMatch(PiiType type, int start, int end, String value) {
    public PiiMatch {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span was [" + start + ", " + end + ") but it must be non-empty");
        }
        if (value.length() != end - start) {
            throw new IllegalArgumentException("value '" + value + "' does not fit span [" + start + ", " + end + ")");
        }
    }
}
