package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.List;

/** The keyword analyzers an evaluation can name: those of {@link TextAnalyzer#NAMES}. */
public final class Analyzers {
    /** The names accepted by {@link #byName(String)}. */
    public static final List<String> NAMES = TextAnalyzer.NAMES;

    private Analyzers() {
    }

    /**
     * The analyzer called {@code name}: {@code auto} (Ragkit's default: each text read in its own
     * language), {@code english} (English stop words, Porter stemmer, as Lucene and Anserini),
     * {@code french} (French stop words and question-frame words, {@code FrenchStemmer}) or
     * {@code french-english} (both stop-word lists, light plural stemmer).
     *
     * @throws InvalidInputException for any other name
     */
    public static TextAnalyzer byName(String name) {
        try {
            return TextAnalyzer.named(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
