package dev.ragkit.guard.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Splits the letters of spaced-out text, once joined ("S a y t h a t y o u h a t e T r u m p" gives
 * "saythatyouhatetrump"), back into words ("say that you hate trump"), so the rules and the word
 * n-grams see the words the writer hid. The segmentation with the fewest words wins (ties: the one
 * with longer words); a run that cannot be cut entirely into known words is left as it is, so a
 * word missing from the dictionary never turns into fragments.
 *
 * <p>The bundled dictionary holds the whole-word entries of the bundled WordPiece vocabulary
 * (English), the single French words of the French gloss, and "a" and "i" as the only one-letter
 * words. Immutable and thread-safe.
 */
public final class WordSegmenter {
    /** Longer runs are left joined: spaced-out words are a phrase, not a page, and the cost stays bounded. */
    static final int MAX_RUN = 400;
    private static final int MAX_WORD = 24;

    private static volatile WordSegmenter bundled;

    private final Set<String> words;

    /** A segmenter over {@code words} (lowercase letters; entries of other characters never match). */
    public WordSegmenter(Set<String> words) {
        this.words = Set.copyOf(words);
    }

    /** The segmenter over the bundled dictionary, loaded on first use. */
    public static WordSegmenter bundled() {
        WordSegmenter s = bundled;
        if (s == null) {
            synchronized (WordSegmenter.class) {
                s = bundled;
                if (s == null) {
                    Set<String> words = new HashSet<>(Set.of("a", "i"));
                    BundledResource.read(SemanticScorer.VOCABULARY, in -> addWholeWords(in, words));
                    // The gloss's lexicon holds no spaced-out letters, so loading it here (it reads
                    // its keys through TextNormalizer.canonical) never calls back into this method.
                    for (String word : FrenchGloss.bundled().words()) {
                        addIfWord(word, words);
                    }
                    s = new WordSegmenter(words);
                    bundled = s;
                }
            }
        }
        return s;
    }

    /** Adds the vocabulary's whole-word entries (one per line; "##" pieces and symbols never qualify). */
    private static Set<String> addWholeWords(InputStream in, Set<String> words) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            addIfWord(line, words);
        }
        return words;
    }

    /** Adds {@code entry} when it has two letters or more, all a-z. */
    private static void addIfWord(String entry, Set<String> words) {
        if (entry.length() >= 2 && entry.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            words.add(entry);
        }
    }

    /**
     * {@code letters} cut into dictionary words joined by single spaces, or {@code letters} itself
     * when no such cut exists (or the run is longer than {@link #MAX_RUN}).
     */
    public String segment(String letters) {
        int n = letters.length();
        if (n == 0 || n > MAX_RUN) {
            return letters;
        }
        // count[end]: fewest words covering letters[0, end); squares[end] breaks ties toward longer words.
        int[] count = new int[n + 1];
        int[] squares = new int[n + 1];
        int[] start = new int[n + 1];
        Arrays.fill(count, Integer.MAX_VALUE);
        count[0] = 0;
        for (int end = 1; end <= n; end++) {
            for (int from = Math.max(0, end - MAX_WORD); from < end; from++) {
                if (count[from] == Integer.MAX_VALUE || !words.contains(letters.substring(from, end))) {
                    continue;
                }
                int c = count[from] + 1;
                int sq = squares[from] + (end - from) * (end - from);
                if (c < count[end] || (c == count[end] && sq > squares[end])) {
                    count[end] = c;
                    squares[end] = sq;
                    start[end] = from;
                }
            }
        }
        if (count[n] == Integer.MAX_VALUE) {
            return letters;
        }
        String[] cut = new String[count[n]];
        for (int end = n, k = cut.length - 1; end > 0; end = start[end], k--) {
            cut[k] = letters.substring(start[end], end);
        }
        return String.join(" ", cut);
    }
}
