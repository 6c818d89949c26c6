package dev.ragkit.core.answer;

import dev.ragkit.core.text.TextAnalyzer;
import java.util.Set;

/** A rough guess between French and English, enough to phrase Ragkit's own messages in the user's language. */
public enum Language {
    FRENCH, ENGLISH;

    private static final Set<String> FRENCH_WORDS = Set.of("le", "la", "les", "des", "du", "une", "est", "et",
            "que", "qui", "quoi", "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "ou", "dans", "pour",
            "avec", "sur", "sont", "ce", "cette", "ces", "je", "nous", "vous", "il", "elle", "pas", "peut", "faut",
            "combien", "quand", "au", "aux", "d", "l", "qu", "c", "n", "s", "un");
    private static final Set<String> ENGLISH_WORDS = Set.of("the", "is", "are", "what", "which", "who", "how",
            "why", "where", "when", "does", "do", "can", "of", "and", "to", "in", "for", "with", "on", "it", "this",
            "that", "these", "a", "an", "should", "i", "you", "we", "my", "be");

    /** French when the text has more French than English function words, else English. */
    public static Language guess(String text) {
        int french = 0;
        int english = 0;
        for (String token : TextAnalyzer.fold(text).split("[^\\p{L}\\p{N}]+")) {
            if (FRENCH_WORDS.contains(token)) {
                french++;
            }
            if (ENGLISH_WORDS.contains(token)) {
                english++;
            }
        }
        return french > english ? FRENCH : ENGLISH;
    }
}
