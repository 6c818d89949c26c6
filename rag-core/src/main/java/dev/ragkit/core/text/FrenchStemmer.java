package dev.ragkit.core.text;

/**
 * A French suffix stemmer for keyword search, heavier than {@link LightStemmer}: besides plurals it
 * removes the feminine {@code e}, the common derivational endings ({@code -ement}, {@code -ation},
 * {@code -ateur}, {@code -ance}, {@code -isme}, {@code -ique}, {@code -able}, {@code -euse}...) and the
 * frequent verb endings ({@code -aient}, {@code -ait}, {@code -ant}, {@code -erent}, {@code -issait},
 * {@code -er}, {@code -ez}...), so that {@code construit}, {@code construction}, {@code constructions}
 * and {@code construire} meet, and {@code nationales} meets {@code national}. One suffix is removed: the
 * first of a list ordered longest first that leaves at least {@value #MIN_STEM} letters; a doubled final
 * consonant left behind is reduced ({@code ancienne} → {@code ancien}).
 *
 * <p>Written for this project from the general rules of French inflection and derivation; it works on
 * folded tokens (lowercase, no accents: see {@link TextAnalyzer#fold(String)}). It conflates some
 * unrelated words, as every suffix stemmer does; on PIAF's French questions it retrieves better than
 * the light stemmer (see rag-eval's README, "French keyword analysis"). Not meant for English text.
 */
public final class FrenchStemmer {
    /** Letters a stem keeps at least. */
    public static final int MIN_STEM = 5;
    /** Longest first where one ending ends another, so the longest listed ending is removed. */
    private static final String[] SUFFIXES = {"issements", "issement", "issaient", "issait", "issant", "issent",
        "issons", "issez", "erent", "eraient", "erait", "erons", "eront", "erez", "aient", "ements", "ement", "ations",
        "ation", "atrices", "atrice", "ateurs", "ateur", "ances", "ance", "ences", "ence", "ismes", "isme", "istes",
        "iste", "ites", "ite", "iques", "ique", "ables", "able", "ibles", "ible", "euses", "euse", "eux", "ives", "ive",
        "ifs", "ait", "ais", "ant", "ants", "ions", "ion", "ons", "ees", "ee", "es", "er", "ez", "ir", "it", "e", "s", "x"};

    private FrenchStemmer() {
    }

    /** The stem of a folded, lowercase token. */
    public static String stem(String token) {
        int n = token.length();
        if (n <= 3 || !Character.isLetter(token.charAt(n - 1))) {
            return token;
        }
        if (token.endsWith("eaux")) {
            return token.substring(0, n - 1);          // bureaux -> bureau
        }
        if (token.endsWith("aux") && n > 4) {
            return token.substring(0, n - 3) + "al";   // journaux -> journal
        }
        for (String suffix : SUFFIXES) {
            if (token.endsWith(suffix) && n - suffix.length() >= MIN_STEM) {
                String stem = token.substring(0, n - suffix.length());
                int m = stem.length();
                if (m > 3 && stem.charAt(m - 1) == stem.charAt(m - 2)) {
                    stem = stem.substring(0, m - 1); // ancienn(e) -> ancien
                }
                return stem;
            }
        }
        return token;
    }
}
