package dev.ragkit.guard;

import java.util.Locale;

/** The kinds of personal data {@link PiiDetector} finds; the placeholder prefix is the enum name. */
public enum PiiType {
    /** An e-mail address. */
    EMAIL,
    /** A phone number: French national or international format, E.164, or another grouped format. */
    PHONE,
    /** An IBAN with a valid country length and mod-97 check. */
    IBAN,
    /** A payment card number in a known issuer range that passes Luhn. */
    CARD,
    /** A French social security number (NIR) with a valid key. */
    NIR,
    /** An IPv4 or IPv6 address. */
    IP,
    /** A person's name (English, French and other European given names). */
    PERSON;

    /** Parses a config value such as {@code email} or {@code CARD}. */
    public static PiiType parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
