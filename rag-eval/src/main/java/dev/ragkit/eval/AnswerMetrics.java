package dev.ragkit.eval;

import dev.ragkit.core.text.Diacritics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answer metrics of the SQuAD evaluation script (exact match, token F1), plus answer containment,
 * after a normalisation adapted to French and English.
 *
 * <p>Normalisation, in order: lowercase; strip accents (Unicode decomposition, combining marks
 * dropped, so {@code État} and {@code Etat} match, since generated answers and user-typed text
 * often drop capital accents; the price is that the rare pairs differing only by an accent, such
 * as {@code ou}/{@code où}, also match); typographic
 * apostrophes become {@code '}; the elided article {@code l'} is dropped; punctuation and symbols
 * are deleted (as SQuAD deletes ASCII punctuation, here every Unicode punctuation or symbol
 * character, so {@code «} and {@code –} go too); the articles {@code le la les un une des the a an}
 * are dropped as words; runs of any whitespace, including non-breaking spaces, become one space.
 *
 * <p>Every metric takes the best value over the gold answers of a question.
 */
public final class AnswerMetrics {
    private static final Pattern ELIDED_ARTICLE = Pattern.compile("\\bl'");
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]");
    private static final Pattern SPACES = Pattern.compile("[\\p{Z}\\s]+");
    private static final Set<String> ARTICLES = Set.of("le", "la", "les", "un", "une", "des", "the", "a", "an");

    private AnswerMetrics() {
    }

    /** The normalised form of {@code text} (see the class description). */
    public static String normalize(String text) {
        return String.join(" ", tokens(text));
    }

    /** The tokens of the normalised form of {@code text}. */
    public static List<String> tokens(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.toLowerCase(Locale.ROOT);
        s = Diacritics.strip(s, Diacritics.Decomposition.CANONICAL, Diacritics.Marks.ALL);
        s = s.replace('\u2019', '\'').replace('\u02bc', '\'');
        s = ELIDED_ARTICLE.matcher(s).replaceAll(" ");
        s = PUNCTUATION.matcher(s).replaceAll("");
        List<String> tokens = new ArrayList<>();
        for (String t : SPACES.split(s)) {
            if (!t.isEmpty() && !ARTICLES.contains(t)) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /** 1 when the normalised prediction equals a normalised gold answer, else 0. */
    public static double exactMatch(String prediction, Collection<String> golds) {
        List<String> p = tokens(prediction);
        for (String gold : golds) {
            if (p.equals(tokens(gold))) {
                return 1;
            }
        }
        return 0;
    }

    /**
     * 1 when a normalised gold answer occurs in the normalised prediction as a run of whole tokens
     * (so the gold {@code 50} is not found in {@code 1500}), else 0. Measures whether a longer
     * answer, such as an extractive passage, contains the answer.
     */
    public static double containment(String prediction, Collection<String> golds) {
        List<String> p = tokens(prediction);
        for (String gold : golds) {
            List<String> g = tokens(gold);
            if (g.isEmpty() ? p.isEmpty() : indexOf(p, g) >= 0) {
                return 1;
            }
        }
        return 0;
    }

    /**
     * The best token F1 over the gold answers: tokens shared (counted with multiplicity) give
     * precision over the prediction's tokens and recall over the gold's. When either side has no
     * token, F1 is 1 if both have none, else 0.
     */
    public static double f1(String prediction, Collection<String> golds) {
        List<String> p = tokens(prediction);
        double best = 0;
        for (String gold : golds) {
            best = Math.max(best, tokenF1(p, tokens(gold)));
        }
        return best;
    }

    static double tokenF1(List<String> prediction, List<String> gold) {
        if (prediction.isEmpty() || gold.isEmpty()) {
            return prediction.isEmpty() && gold.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String t : gold) {
            counts.merge(t, 1, Integer::sum);
        }
        int same = 0;
        for (String t : prediction) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                same++;
                counts.put(t, c - 1);
            }
        }
        if (same == 0) {
            return 0;
        }
        double precision = (double) same / prediction.size();
        double recall = (double) same / gold.size();
        return 2 * precision * recall / (precision + recall);
    }

    private static int indexOf(List<String> haystack, List<String> needle) {
        outer:
        for (int i = 0; i + needle.size() <= haystack.size(); i++) {
            for (int j = 0; j < needle.size(); j++) {
                if (!haystack.get(i + j).equals(needle.get(j))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
