package dev.ragkit.guard;

/** How {@link Redactor} replaces personal data. */
public enum RedactionMode {
    /** Letters and digits become {@code *} (the last four digits of cards and IBANs stay). */
    MASK,
    /** A typed, numbered placeholder such as {@code [EMAIL_1]}, with a mapping to restore it. */
    PLACEHOLDER,
    /** A typed keyed hash such as {@code [EMAIL:3f2a9c1b]}: the same value always gives the same tag. */
    HASH
}
