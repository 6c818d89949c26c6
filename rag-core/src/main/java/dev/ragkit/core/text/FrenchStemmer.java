package dev.ragkit.core.text;

/**
 * A French suffix stemmer for keyword search, heavier than {@link LightStemmer}: besides plurals it
 * removes the feminine {@code e}, the common derivational endings ({@code -ement}, {@code -ation},
 * {@code -ateur}, {@code -ance}, {@code -isme}, {@code -ique}, {@code -able}, {@code -euse}...) and the
 * frequent verb endings ({@code -aient}, {@code -ait}, {@code -ant}, {@code -erent}, {@code -issait},
 * {@code -er}, {@code -ez}...), so that {@code construit}, {@code construction}, {@code constructions}
 * and {@code construire} meet, and {@code nationales} meets {@code national}. A plural {@code s} is removed
 * first, whatever the length of the word, so that a singular and its plural always meet ({@code marée} and
 * {@code marées}, {@code film} and {@code films}); words whose singular ends in {@code -s} ({@code -ss},
 * {@code -us}, {@code -is}: {@code anglais}, {@code virus}) keep it. Then one suffix is removed: the first of
 * a list ordered longest first that leaves at least {@value #MIN_STEM} letters; a doubled final consonant
 * left behind is reduced ({@code ancienne} → {@code ancien}).
 *
 * <p>Written for this project from the general rules of French inflection and derivation; it works on
 * folded tokens (lowercase, no accents: see {@link TextAnalyzer#fold(String)}). It conflates some
 * unrelated words, as every suffix stemmer does; on PIAF's French questions it retrieves better than
 * the light stemmer (see rag-eval's README, "French keyword analysis"). Not meant for English text.
 */
public final class FrenchStemmer {
    /** Letters a stem keeps at least. */
    public static final int MIN_STEM = 5;
    /**
     * Longest first where one ending ends another, so the longest listed ending is removed. Singular endings
     * only: the plural {@code s} is gone before the list is read.
     */
    private static final String[] SUFFIXES = {"issement", "issaient", "issait", "issant", "issent", "erent",
        "eraient", "erait", "eront", "erez", "aient", "ement", "ation", "atrice", "ateur", "ance", "ence", "isme",
        "iste", "ite", "ique", "able", "ible", "euse", "eux", "ive", "if", "ait", "ais", "ant", "ion", "ee", "er",
        "ez", "ir", "it", "e", "x"};

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
        String singular = isPlural(token) ? token.substring(0, n - 1) : token;
        for (String suffix : SUFFIXES) {
            if (singular.endsWith(suffix) && singular.length() - suffix.length() >= MIN_STEM) {
                String stem = singular.substring(0, singular.length() - suffix.length());
                int m = stem.length();
                char last = stem.charAt(m - 1);
                if (m > 3 && last == stem.charAt(m - 2) && !isVowel(last)) {
                    stem = stem.substring(0, m - 1); // ancienn(e) -> ancien, but maree stays whole
                }
                return stem;
            }
        }
        return singular;
    }

    /** A final {@code s} that marks a plural: not the {@code s} of {@code -ss}, {@code -us}, {@code -is}. */
    private static boolean isPlural(String token) {
        return token.endsWith("s") && !token.endsWith("ss") && !token.endsWith("us") && !token.endsWith("is");
    }

    private static boolean isVowel(char c) {
        return "aeiouy".indexOf(c) >= 0;
    }
}
