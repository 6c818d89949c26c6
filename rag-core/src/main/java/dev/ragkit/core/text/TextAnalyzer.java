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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Turns text into index terms for keyword search: Unicode compatibility normalisation, lowercase,
 * accent folding ({@code é} → {@code e}, {@code œ} → {@code oe}), splitting on anything that is not a
 * letter or digit (so French elisions such as {@code l'} and {@code qu'} fall away as stop words),
 * stop-word removal, then an optional stemmer. Immutable and thread-safe.
 *
 * <p>{@link #auto()} reads each text in its own language: English text with {@link #english()},
 * French text with {@link #french()}, anything else with {@link #frenchEnglish()}. A keyword index that
 * uses it asks {@link #languageOf(String)} for each document, and scores each document with the query
 * as read for the document's language ({@link #analyzeQuery}), so that query and document are stemmed
 * alike whatever language the query is in ({@link Bm25Index}).
 */
public final class TextAnalyzer {
    /** The names {@link #named(String)} accepts, {@code auto} first: it is Ragkit's default. */
    public static final List<String> NAMES = List.of("auto", "french-english", "english", "french");

    private final String name;
    private final Set<String> stopWords;
    private final UnaryOperator<String> stemmer;
    /** For {@link #auto()}: the analyzer of each language it tells apart; empty for a single analyzer. */
    private final Map<String, TextAnalyzer> byLanguage;

    private TextAnalyzer(String name, Set<String> stopWords, UnaryOperator<String> stemmer,
                         Map<String, TextAnalyzer> byLanguage) {
        this.name = Objects.requireNonNull(name, "name");
        this.stopWords = Set.copyOf(stopWords);
        this.stemmer = Objects.requireNonNull(stemmer, "stemmer");
        this.byLanguage = Map.copyOf(byLanguage);
    }

    /**
     * The analyzer called {@code name}, one of {@link #NAMES}.
     *
     * @throws IllegalArgumentException for any other name, naming the accepted ones
     */
    public static TextAnalyzer named(String name) {
        return switch (String.valueOf(name)) {
            case "auto" -> auto();
            case "french-english" -> frenchEnglish();
            case "english" -> english();
            case "french" -> french();
            default -> throw new IllegalArgumentException(
                    "analyzer was '" + name + "' but it must be one of " + NAMES);
        };
    }

    /**
     * Ragkit's default: each text read in its own language ({@link LanguageDetector}): {@link #english()}
     * for English, {@link #french()} for French, {@link #frenchEnglish()} for any other text or when the
     * language cannot be told. On French questions over French Wikipedia (PIAF) it finds what
     * {@link #french()} finds, and English text keeps the Porter stemmer of {@link #english()}.
     */
    public static TextAnalyzer auto() {
        TextAnalyzer fallback = frenchEnglish();
        return new TextAnalyzer("auto", fallback.stopWords, fallback.stemmer,
                Map.of("en", english(), "fr", french()));
    }

    /**
     * The default for mixed French and English corpora: both stop-word lists and a light plural
     * stemmer that is safe in both languages ({@link LightStemmer}).
     */
    public static TextAnalyzer frenchEnglish() {
        Set<String> words = new HashSet<>(stopWords("stopwords-en.txt"));
        words.addAll(stopWords("stopwords-fr.txt"));
        return new TextAnalyzer("french-english", words, LightStemmer::stem, Map.of());
    }

    /** English text: English stop words and the Porter stemmer, as Lucene's and Anserini's English BM25. */
    public static TextAnalyzer english() {
        return new TextAnalyzer("english", stopWords("stopwords-en.txt"), PorterStemmer::stem, Map.of());
    }

    /**
     * French text: French stop words, more function words and the words that frame a question ("nom",
     * "année", "type": {@code stopwords-fr-more.txt}), and the {@link FrenchStemmer}.
     */
    public static TextAnalyzer french() {
        Set<String> words = new HashSet<>(stopWords("stopwords-fr.txt"));
        words.addAll(stopWords("stopwords-fr-more.txt"));
        return new TextAnalyzer("french", words, FrenchStemmer::stem, Map.of());
    }

    /** An analyzer with these (already folded) stop words and this stemmer. */
    public static TextAnalyzer of(Set<String> stopWords, UnaryOperator<String> stemmer) {
        return new TextAnalyzer("custom", stopWords, stemmer, Map.of());
    }

    /** This analyzer's name: one of {@link #NAMES}, or {@code custom} for {@link #of}. */
    public String name() {
        return name;
    }

    /**
     * The language this analyzer reads {@code text} in, when it reads each text in its own language
     * ({@link #auto()}) and tells this one apart; empty otherwise.
     */
    public Optional<String> languageOf(String text) {
        if (byLanguage.isEmpty()) {
            return Optional.empty();
        }
        return LanguageDetector.detect(text).filter(byLanguage::containsKey);
    }

    /** Whether this analyzer reads each text in its own language ({@link #auto()}). */
    public boolean readsEachLanguage() {
        return !byLanguage.isEmpty();
    }

    /** Index terms of {@code text}, in order, with repeats; read in its own language for {@link #auto()}. */
    public List<String> analyze(String text) {
        if (byLanguage.isEmpty()) {
            return terms(text);
        }
        return analyze(text, languageOf(text).orElse(null));
    }

    /**
     * Index terms of {@code text} read as {@code language}; a language this analyzer does not tell
     * apart, or {@code null}, reads it as the fallback ({@link #frenchEnglish()} for {@link #auto()}).
     * A single-language analyzer ignores {@code language}.
     */
    public List<String> analyze(String text, String language) {
        TextAnalyzer reader = language == null ? null : byLanguage.get(language);
        return reader == null ? terms(text) : reader.terms(text);
    }

    /**
     * Terms of a query for matching documents read as {@code documentLanguage}: that language's stemmer
     * and stop words, and also the stop words of the query's own language {@code queryLanguage} (either may
     * be {@code null}: not told). Without them a French question read for English documents would search
     * for "le" and "de", words no French document is indexed under, hence rare in a mixed index and
     * weighted high. A single-language analyzer reads every query as {@link #analyze(String)} does.
     */
    public List<String> analyzeQuery(String query, String queryLanguage, String documentLanguage) {
        TextAnalyzer reader = documentLanguage == null ? null : byLanguage.get(documentLanguage);
        if (reader == null) {
            reader = this;
        }
        TextAnalyzer own = queryLanguage == null ? null : byLanguage.get(queryLanguage);
        return own == null || own == reader ? reader.terms(query, Set.of()) : reader.terms(query, own.stopWords);
    }

    private List<String> terms(String text) {
        return terms(text, Set.of());
    }

    private List<String> terms(String text, Set<String> moreStopWords) {
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
                if (!stopWords.contains(token) && !moreStopWords.contains(token)) {
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
