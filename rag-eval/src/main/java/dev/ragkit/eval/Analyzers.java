package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.List;

/** The keyword analyzers an evaluation can name: {@code english}, {@code french}, {@code french-english}. */
public final class Analyzers {
    /** The names accepted by {@link #byName(String)}. */
    public static final List<String> NAMES = List.of("english", "french", "french-english");

    private Analyzers() {
    }

    /**
     * The analyzer called {@code name}: {@code english} (English stop words, Porter stemmer, as
     * Lucene and Anserini), {@code french} (French stop words and question-frame words,
     * {@code FrenchStemmer}) or {@code french-english}
     * (Ragkit's default: both stop-word lists, light plural stemmer).
     *
     * @throws InvalidInputException for any other name
     */
    public static TextAnalyzer byName(String name) {
        return switch (name) {
            case "english" -> TextAnalyzer.english();
            case "french" -> TextAnalyzer.french();
            case "french-english" -> TextAnalyzer.frenchEnglish();
            default -> throw new InvalidInputException("analyzer was '" + name + "' but it must be one of " + NAMES);
        };
    }
}
