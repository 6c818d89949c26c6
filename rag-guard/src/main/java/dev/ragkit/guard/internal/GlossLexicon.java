package dev.ragkit.guard.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The file format the word-for-word glosses share: one {@code phrase<TAB>gloss} per line, blank lines
 * and {@code #} comments skipped. Each gloss splits phrases into words its own way, so the key is the
 * phrase's canonical words joined by single spaces, as the gloss will look it up.
 */
final class GlossLexicon {
    private GlossLexicon() {
    }

    /**
     * The lexicon's phrases (canonical words joined by spaces) and their glosses.
     *
     * @throws IOException on a line without a tab or a phrase listed twice (a typo in the lexicon
     *     would otherwise silently drop or shadow an entry)
     */
    static Map<String, String> read(InputStream in, Function<String, List<String>> words) throws IOException {
        Map<String, String> phrases = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                throw new IOException("line " + lineNumber + " has no tab: '" + line + "'");
            }
            String key = String.join(" ", words.apply(TextNormalizer.canonical(line.substring(0, tab))));
            if (phrases.putIfAbsent(key, line.substring(tab + 1).strip()) != null) {
                throw new IOException("line " + lineNumber + " repeats '" + key + "'");
            }
        }
        return phrases;
    }

    /** For each first word, the most words a listed phrase starting with it has. */
    static Map<String, Integer> longestPhrases(Map<String, String> phrases) {
        Map<String, Integer> longest = new HashMap<>();
        for (String key : phrases.keySet()) {
            String[] words = key.split(" ");
            longest.merge(words[0], words.length, Math::max);
        }
        return Map.copyOf(longest);
    }
}
