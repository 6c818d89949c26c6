package dev.ragkit.core.text;

/**
 * Removes control characters from text before it is split and stored, so that a NUL byte or an
 * escape sequence in a source file never reaches a chunk, an embedding or a printed answer.
 *
 * <p>Tab, line feed and carriage return are kept. The controls that separate text (vertical tab,
 * form feed, the four information separators U+001C to U+001F, and next line U+0085) become a
 * space, so that words on either side of a page break stay apart. Every other C0 control
 * (U+0000 to U+001F), DEL (U+007F) and every other C1 control (U+0080 to U+009F) is dropped.
 */
public final class ControlCharacters {
    private ControlCharacters() {
    }

    /** {@code text} without control characters; {@code text} itself when it has none. */
    public static String strip(String text) {
        int first = 0;
        int n = text.length();
        while (first < n && !isControl(text.charAt(first))) {
            first++;
        }
        if (first == n) {
            return text;   // the usual case costs one scan and no copy
        }
        StringBuilder out = new StringBuilder(n);
        out.append(text, 0, first);
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (isSeparator(c)) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    /** Whether {@code c} is a control character that {@link #strip} replaces or drops. */
    public static boolean isControl(char c) {
        if (c < 0x20) {
            return c != '\t' && c != '\n' && c != '\r';
        }
        return c >= 0x7F && c <= 0x9F;
    }

    private static boolean isSeparator(char c) {
        return c == '\u000B' || c == '\f' || (c >= '\u001C' && c <= '\u001F') || c == '\u0085';
    }
}
