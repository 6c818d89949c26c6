package dev.ragkit.core.ingest;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Tells French from English documents, for the {@code lang} metadata that loaders set. */
public final class DocumentLanguage {
    private static final Set<String> FRENCH_WORDS = Set.of("le", "la", "les", "des", "du", "une", "est", "et",
            "pour", "dans", "que", "qui", "sur", "pas", "avec", "au", "aux", "ce", "sont", "ou", "par");
    private static final Set<String> ENGLISH_WORDS = Set.of("the", "and", "is", "of", "to", "in", "that", "for",
            "with", "are", "on", "not", "this", "it", "by", "be", "or", "as", "from", "when");
    private static final int LONGEST_COMMON_WORD = Stream.concat(FRENCH_WORDS.stream(), ENGLISH_WORDS.stream())
            .mapToInt(String::length).max().orElseThrow();
    private static final Pattern LETTERS = Pattern.compile("\\p{L}+");

    private DocumentLanguage() {
    }

    /**
     * {@code fr} or {@code en}: from a path segment or a name part of {@code id} ({@code fr/x.md},
     * {@code x.fr.md}), else {@link #guess(String)}; null when there is no evidence either way.
     */
    public static String of(String id, String text) {
        String fromPath = fromPath(id);
        return fromPath != null ? fromPath : guess(text);
    }

    /** {@code fr} or {@code en} when a segment or name part of {@code id} says so, else null. */
    public static String fromPath(String id) {
        for (String part : id.toLowerCase(Locale.ROOT).split("[/.]")) {
            if (part.equals("fr") || part.equals("en")) {
                return part;
            }
        }
        return null;
    }

    /**
     * {@code fr} or {@code en} by counting common French and English words, null on a tie (no words,
     * numbers only). Reads word by word, without copying the text, so a big document costs no memory.
     */
    public static String guess(String text) {
        int french = 0;
        int english = 0;
        Matcher words = LETTERS.matcher(text);
        while (words.find()) {
            // Common words are short: longer ones are not looked at, nor lower-cased.
            if (words.end() - words.start() > LONGEST_COMMON_WORD) {
                continue;
            }
            String word = text.substring(words.start(), words.end()).toLowerCase(Locale.ROOT);
            if (FRENCH_WORDS.contains(word)) {
                french++;
            } else if (ENGLISH_WORDS.contains(word)) {
                english++;
            }
        }
        if (french == english) {
            return null;
        }
        return french > english ? "fr" : "en";
    }
}
