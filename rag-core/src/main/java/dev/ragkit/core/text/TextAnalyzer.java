package dev.ragkit.core.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Turns text into index terms for keyword search: Unicode compatibility normalisation, lowercase,
 * accent folding ({@code é} → {@code e}, {@code œ} → {@code oe}), splitting on anything that is not a
 * letter or digit (so French elisions such as {@code l'} and {@code qu'} fall away as stop words),
 * stop-word removal, then an optional stemmer. Immutable and thread-safe.
 */
public final class TextAnalyzer {
    private final Set<String> stopWords;
    private final UnaryOperator<String> stemmer;

    private TextAnalyzer(Set<String> stopWords, UnaryOperator<String> stemmer) {
        this.stopWords = Set.copyOf(stopWords);
        this.stemmer = Objects.requireNonNull(stemmer, "stemmer");
    }

    /**
     * The default for mixed French and English corpora: both stop-word lists and a light plural
     * stemmer that is safe in both languages ({@link LightStemmer}).
     */
    public static TextAnalyzer frenchEnglish() {
        Set<String> words = new HashSet<>(stopWords("stopwords-en.txt"));
        words.addAll(stopWords("stopwords-fr.txt"));
        return new TextAnalyzer(words, LightStemmer::stem);
    }

    /** English text: English stop words and the Porter stemmer, as Lucene's and Anserini's English BM25. */
    public static TextAnalyzer english() {
        return new TextAnalyzer(stopWords("stopwords-en.txt"), PorterStemmer::stem);
    }

    /**
     * French text: French stop words, more function words and the words that frame a question ("nom",
     * "année", "type": {@code stopwords-fr-more.txt}), and the {@link FrenchStemmer}.
     */
    public static TextAnalyzer french() {
        Set<String> words = new HashSet<>(stopWords("stopwords-fr.txt"));
        words.addAll(stopWords("stopwords-fr-more.txt"));
        return new TextAnalyzer(words, FrenchStemmer::stem);
    }

    /** An analyzer with these (already folded) stop words and this stemmer. */
    public static TextAnalyzer of(Set<String> stopWords, UnaryOperator<String> stemmer) {
        return new TextAnalyzer(stopWords, stemmer);
    }

    /** Index terms of {@code text}, in order, with repeats. */
    public List<String> analyze(String text) {
        String folded = fold(text);
        List<String> terms = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= folded.length(); i++) {
            boolean wordChar = i < folded.length() && Character.isLetterOrDigit(folded.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                String token = folded.substring(start, i);
                start = -1;
                if (!stopWords.contains(token)) {
                    String stemmed = stemmer.apply(token);
                    if (!stemmed.isEmpty()) {
                        terms.add(stemmed);
                    }
                }
            }
        }
        return terms;
    }

    /**
     * Lowercase, compatibility-normalised, without diacritics; ligatures expanded: {@link Diacritics}
     * with NFKD and non-spacing marks, then {@code œ æ ß} expanded and each character lowercased.
     */
    public static String fold(String text) {
        String stripped = Diacritics.strip(text, Diacritics.Decomposition.COMPATIBILITY, Diacritics.Marks.NON_SPACING);
        StringBuilder out = new StringBuilder(stripped.length());
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            switch (c) {
                case 'œ', 'Œ' -> out.append("oe");
                case 'æ', 'Æ' -> out.append("ae");
                case 'ß' -> out.append("ss");
                default -> out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    private static Set<String> stopWords(String resource) {
        try (InputStream in = TextAnalyzer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " in rag-core");
            }
            Set<String> words = new HashSet<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line);
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
