package dev.ragkit.store.lucene;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;

/**
 * How chunk text is cut into BM25 terms. Every analyzer lowercases and folds accents, so that
 * {@code ÉTUDIANTS}, {@code étudiants} and {@code etudiants} are one term; stop words are removed before
 * folding (the French list is accented), stemming after it (so that the stem of a folded word is the stem
 * of the accented one).
 */
public enum TextAnalysis {
    /** Unicode word boundaries, lowercase, accent folding; no stop words, no stemming: any language. */
    STANDARD,
    /** {@link #STANDARD} plus English possessives, Lucene's English stop words and the Porter stemmer. */
    ENGLISH,
    /** {@link #STANDARD} plus French elision ({@code l'}, {@code qu'}...), Lucene's French stop words and the light French stemmer. */
    FRENCH;

    /** The lowercase config name: {@code standard}, {@code english} or {@code french}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The analyzer for {@code configName}, e.g. {@code english}; null for an unknown name. */
    public static TextAnalysis fromConfigName(String name) {
        for (TextAnalysis a : values()) {
            if (a.configName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    Analyzer analyzer() {
        TextAnalysis kind = this;
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                StandardTokenizer source = new StandardTokenizer();
                TokenStream stream = source;
                switch (kind) {
                    case ENGLISH -> {
                        stream = new EnglishPossessiveFilter(stream);
                        stream = new LowerCaseFilter(stream);
                        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
                        stream = new ASCIIFoldingFilter(stream);
                        stream = new PorterStemFilter(stream);
                    }
                    case FRENCH -> {
                        stream = new ElisionFilter(stream, FrenchAnalyzer.DEFAULT_ARTICLES);
                        stream = new LowerCaseFilter(stream);
                        stream = new StopFilter(stream, frenchStopWords());
                        stream = new ASCIIFoldingFilter(stream);
                        stream = new FrenchLightStemFilter(stream);
                    }
                    default -> {
                        stream = new LowerCaseFilter(stream);
                        stream = new ASCIIFoldingFilter(stream);
                    }
                }
                return new TokenStreamComponents(source, stream);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new ASCIIFoldingFilter(new LowerCaseFilter(in));
            }
        };
    }

    private static CharArraySet frenchStopWords() {
        return FrenchAnalyzer.getDefaultStopSet();
    }
}
