package dev.ragkit.store.redisearch;

import java.math.BigDecimal;

/**
 * How metadata values are written into TAG fields and named in queries.
 *
 * <p>A TAG field holds one typed, canonical form per value, so that the query engine's exact match is
 * the core's equality: {@code s:} + the string, {@code b:true}/{@code b:false}, {@code n:} + the number's
 * shortest decimal form (so whole {@code 3} and decimal {@code 3.0} are one value, as they are equal in
 * the core, while the string {@code "3"} stays a different value). The tag separator ({@code ,}), the
 * escape character ({@code %}) and every whitespace or control character are percent-encoded
 * ({@code %} and four hex digits) before indexing, because RediSearch splits tags at the separator and
 * trims their whitespace; the rest of the query syntax is escaped with backslashes in queries only.
 */
final class TagValues {
    private TagValues() {
    }

    /** The tag form of a normalised metadata value (String, Long, Double or Boolean). */
    static String encode(Object value) {
        if (value instanceof String s) {
            return "s:" + percentEncode(s);
        }
        if (value instanceof Boolean b) {
            return "b:" + b;
        }
        if (value instanceof Long || value instanceof Double) {
            return "n:" + canonicalNumber((Number) value);
        }
        throw new IllegalArgumentException("not a normalised metadata value: " + value);
    }

    /** The value a tag form stands for: a String, a BigDecimal (numbers) or a Boolean. */
    static Object decode(String tag) {
        if (tag.startsWith("s:")) {
            return percentDecode(tag.substring(2));
        }
        if (tag.startsWith("n:")) {
            return new BigDecimal(tag.substring(2));
        }
        if (tag.startsWith("b:")) {
            return Boolean.valueOf(tag.substring(2));
        }
        throw new IllegalArgumentException("not a Ragkit tag value: " + tag);
    }

    /** The shortest exact decimal of a Long or Double, without exponent: equal numbers give equal text. */
    static String canonicalNumber(Number n) {
        BigDecimal exact = n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(Double.toString(n.doubleValue()));
        BigDecimal stripped = exact.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }

    /** The number as an exact value, for comparisons that doubles cannot make. */
    static BigDecimal exact(Number n) {
        return n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(Double.toString(n.doubleValue()));
    }

    static String percentEncode(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = c == '%' || c == ',' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.isISOControl(c);
            if (special && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (special) {
                    out.append('%').append(String.format("%04X", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 4 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A tag form as it must appear between braces in a DIALECT 2 query: every ASCII character other than a
     * letter or digit is escaped with a backslash (the query parser treats them as syntax); characters
     * beyond ASCII are left as they are, the parser takes them as part of the term.
     */
    static String escapeForQuery(String tag) {
        StringBuilder out = new StringBuilder(tag.length() + 8);
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < 128 && !Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
