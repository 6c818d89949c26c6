package dev.ragkit.core.text;

/**
 * Removes plural endings the same way in French and English ({@code documents} → {@code document},
 * {@code requêtes} → {@code requete}, {@code queries} → {@code query}). Deliberately light: a heavier
 * stemmer tuned for one language conflates unrelated words of the other.
 */
public final class LightStemmer {
    private LightStemmer() {
    }

    /** The stem of a folded, lowercase token. */
    public static String stem(String token) {
        int n = token.length();
        if (n <= 3 || !Character.isLetter(token.charAt(n - 1))) {
            return token;
        }
        if (token.endsWith("ies") && n > 4) {
            return token.substring(0, n - 3) + "y";
        }
        if (token.endsWith("eaux")) {
            return token.substring(0, n - 1);          // bureaux -> bureau
        }
        if (token.endsWith("aux") && n > 4) {
            return token.substring(0, n - 3) + "al";   // journaux -> journal
        }
        if (token.endsWith("s") && !token.endsWith("ss") && !token.endsWith("us") && !token.endsWith("is")) {
            return token.substring(0, n - 1);
        }
        return token;
    }
}
