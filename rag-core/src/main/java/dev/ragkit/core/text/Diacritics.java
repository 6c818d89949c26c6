package dev.ragkit.core.text;

import java.text.Normalizer;
import java.util.Objects;

/**
 * Removes diacritics: decomposes the text, then drops combining marks ({@code é} → {@code e}). The one
 * implementation of accent folding in Ragkit; search terms ({@link TextAnalyzer#fold}), the guards'
 * canonical text and WordPiece tokens, and the answer metrics of rag-eval each compose it with their own lowercasing and
 * extra mappings, so what differs between them is stated at the call.
 *
 * <p>Stateless and thread-safe.
 */
public final class Diacritics {
    /** How the text is decomposed before marks are dropped. */
    public enum Decomposition {
        /** NFD: only canonical decomposition ({@code é} → {@code e} + accent); {@code ﬁ} and full-width letters stay. */
        CANONICAL(Normalizer.Form.NFD),
        /** NFKD: compatibility decomposition too ({@code ﬁ} → {@code fi}, full-width {@code Ａ} → {@code A}, {@code ²} → {@code 2}). */
        COMPATIBILITY(Normalizer.Form.NFKD);

        private final Normalizer.Form form;

        Decomposition(Normalizer.Form form) {
            this.form = form;
        }
    }

    /** Which combining marks are dropped after decomposition. */
    public enum Marks {
        /** Non-spacing marks only (general category Mn): accents, cedillas, tildes. */
        NON_SPACING,
        /** Every mark (category M: Mn, spacing Mc and enclosing Me), as the regular expression {@code \p{M}}. */
        ALL;

        boolean drops(int codePoint) {
            int type = Character.getType(codePoint);
            return type == Character.NON_SPACING_MARK || this == ALL
                    && (type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK);
        }
    }

    private Diacritics() {
    }

    /** {@code text} decomposed canonically (NFD) without any combining mark: {@code strip(text, CANONICAL, ALL)}. */
    public static String strip(String text) {
        return strip(text, Decomposition.CANONICAL, Marks.ALL);
    }

    /** {@code text} decomposed as {@code decomposition} says, without the {@code marks}; case is kept. */
    public static String strip(String text, Decomposition decomposition, Marks marks) {
        Objects.requireNonNull(text, "text");
        String decomposed = Normalizer.normalize(text, decomposition.form);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            if (!marks.drops(c)) {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }
}
