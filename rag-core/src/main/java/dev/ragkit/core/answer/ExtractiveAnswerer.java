package dev.ragkit.core.answer;

import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.text.SentenceSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers without a language model: quotes the sentences of the retrieved chunks that share the most
 * (idf-weighted) terms with the question, each followed by its source number, under a header that
 * says the answer is extractive. A question about a quantity (a voltage, a price, "how many") favours
 * sentences that state a number with its unit. Quotes appear in source order and sources are
 * numbered [1], [2]... in that order, without gaps. Deterministic and thread-safe.
 */
public final class ExtractiveAnswerer {
    private final TextAnalyzer analyzer;
    private final int maxSentences;

    public ExtractiveAnswerer(TextAnalyzer analyzer, int maxSentences) {
        if (maxSentences < 1) {
            throw new IllegalArgumentException("maxSentences must be >= 1, was " + maxSentences);
        }
        this.analyzer = analyzer;
        this.maxSentences = maxSentences;
    }

    /** Three sentences at most, French and English analysis. */
    public static ExtractiveAnswerer defaults() {
        return new ExtractiveAnswerer(TextAnalyzer.frenchEnglish(), 3);
    }

    /** An extractive answer and the sources it quotes. */
    public record Result(String text, List<Citation> citations) {
    }

    /** Words that ask for a measured value, French and English (accents folded). */
    private static final Pattern QUANTITY_QUESTION = Pattern.compile("\\b(combien|how (many|much)|tension|voltage"
            + "|puissance|power|courant|current|intensite|temperature|poids|weight|masse|taille|size|dimensions?"
            + "|longueur|length|largeur|width|hauteur|height|profondeur|depth|vitesse|speed|debit|prix|price|cout"
            + "|cost|tarif|duree|duration|delai|capacite|capacity|frequence|frequency|consommation|consumption"
            + "|pression|pressure|autonomie|portee|range|volume|memoire|memory|resolution)\\b");
    /** A number followed by a unit (or a percentage): what a quantity question is answered with. */
    private static final Pattern MEASURE = Pattern.compile("\\d+(?:[.,]\\d+)?\\s?(?:[kmMGµ]?(?:V|W|A|Hz|Wh|Ah|Pa|B|o)"
            + "|°\\s?[CF]|%|mm|cm|m|km|g|kg|t|ms|s|min|h|€|\\$|bars?|l|L|ml|dB|ppm|rpm|tr/min|octets|bytes|volts?"
            + "|watts?|euros?|dollars?|ans|years|jours|days|heures|hours|minutes|secondes|seconds)(?![\\p{L}\\d])");
    /** Added to a sentence stating a measure when the question asks for one. */
    private static final double MEASURE_BONUS = 1.5;

    private static final Pattern LIST_MARKER = Pattern.compile("^(?:\\s*(?:[-*+\u2022]|\\d{1,3}[.)])\\s+)+");

    private record Candidate(int source, int position, String sentence, double score) {
    }

    /**
     * Composes the answer from {@code sources} (source {@code [n]} is element {@code n-1}).
     *
     * @param why the reason there is no generated answer, shown in the header, e.g. "no language model configured"
     */
    public Result answer(String question, List<SearchHit> sources, String why) {
        Language language = Language.guess(question);
        Set<String> questionTerms = new HashSet<>(analyzer.analyze(question));
        boolean asksQuantity = QUANTITY_QUESTION.matcher(TextAnalyzer.fold(question)).find();
        List<List<String>> sentencesBySource = new ArrayList<>();
        List<List<Set<String>>> termsBySource = new ArrayList<>();
        Map<String, Integer> sentenceFrequency = new HashMap<>();
        int sentenceCount = 0;
        for (SearchHit hit : sources) {
            List<String> sentences = sentences(hit.chunk().text());
            List<Set<String>> termSets = new ArrayList<>(sentences.size());
            for (String s : sentences) {
                Set<String> terms = new HashSet<>(analyzer.analyze(s));
                termSets.add(terms);
                sentenceCount++;
                terms.forEach(t -> sentenceFrequency.merge(t, 1, Integer::sum));
            }
            sentencesBySource.add(sentences);
            termsBySource.add(termSets);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < sentencesBySource.size(); i++) {
            List<String> sentences = sentencesBySource.get(i);
            double[] scores = new double[sentences.size()];
            boolean[] measures = new boolean[sentences.size()];
            double bestInSource = 0;
            for (int p = 0; p < sentences.size(); p++) {
                Set<String> terms = termsBySource.get(i).get(p);
                double score = 0;
                for (String t : questionTerms) {
                    if (terms.contains(t)) {
                        score += Math.log(1 + (double) sentenceCount / sentenceFrequency.getOrDefault(t, 1));
                    }
                }
                // Prefer sentences that are not overly long.
                scores[p] = score / Math.sqrt(1 + terms.size() / 12.0);
                measures[p] = asksQuantity && MEASURE.matcher(sentences.get(p)).find();
                bestInSource = Math.max(bestInSource, scores[p]);
            }
            for (int p = 0; p < sentences.size(); p++) {
                // A quantity is often stated in other words than the question's ("s'alimente en 24 V" for
                // "quelle tension"), so in a retrieved source the sentence stating a measure outranks the
                // sentences that merely repeat the question's words (the product's name, say).
                double score = measures[p] ? scores[p] + bestInSource + MEASURE_BONUS : scores[p];
                if (score > 0) {
                    // Prefer sentences from better-ranked sources.
                    candidates.add(new Candidate(i + 1, p, sentences.get(p), score + 0.5 / (i + 1)));
                }
            }
        }
        if (candidates.isEmpty()) {
            // Dense retrieval can find a passage sharing no word with the question: quote its opening.
            for (int i = 0; i < Math.min(2, sentencesBySource.size()); i++) {
                if (!sentencesBySource.get(i).isEmpty()) {
                    candidates.add(new Candidate(i + 1, 0, sentencesBySource.get(i).get(0), 1.0 / (i + 1)));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparingInt(Candidate::source).thenComparingInt(Candidate::position));
        List<Candidate> chosen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate c : candidates) {
            if (chosen.size() == maxSentences) {
                break;
            }
            if (seen.add(TextAnalyzer.fold(c.sentence()))) {
                chosen.add(c);
            }
        }
        // Quote in source order, so [1] comes first and each source's sentences read in their own order,
        // and number the quoted sources 1, 2, 3... without the gaps of sources that were not quoted.
        chosen.sort(Comparator.comparingInt(Candidate::source).thenComparingInt(Candidate::position));
        StringBuilder text = new StringBuilder(header(language, why));
        Map<Integer, List<String>> quotedBySource = new java.util.LinkedHashMap<>();
        for (Candidate c : chosen) {
            quotedBySource.computeIfAbsent(c.source(), k -> new ArrayList<>()).add(c.sentence());
            int number = new ArrayList<>(quotedBySource.keySet()).indexOf(c.source()) + 1;
            text.append("\n- ").append(c.sentence()).append(" [").append(number).append(']');
        }
        List<Citation> citations = new ArrayList<>();
        int number = 0;
        for (Map.Entry<Integer, List<String>> e : quotedBySource.entrySet()) {
            SearchHit hit = sources.get(e.getKey() - 1);
            citations.add(new Citation(++number, hit.chunk().id(), hit.chunk().documentId(), hit.chunk().title(),
                    String.join(" ", e.getValue()), hit.score()));
        }
        return new Result(text.toString(), citations);
    }

    private static String header(Language language, String why) {
        return language == Language.FRENCH
                ? "Réponse extractive (" + why + ") : passages les plus pertinents, cités tels quels."
                : "Extractive answer (" + why + "): the most relevant passages, quoted as they are.";
    }

    /** Sentences of a chunk; Markdown headings and list markers are not sentences of their own. */
    private static List<String> sentences(String text) {
        List<String> result = new ArrayList<>();
        for (String line : text.split("\\n\\s*\\n|\\n(?=\\s*(?:#|[-*] ))")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            for (String s : SentenceSplitter.split(trimmed.replace('\n', ' '))) {
                // List items can reach here joined on one line ("... done. - Next item"), so markers are
                // stripped per sentence: the answer is itself a list and "- - item" reads badly.
                String sentence = LIST_MARKER.matcher(s).replaceFirst("").strip();
                if (sentence.length() >= 12) {
                    result.add(sentence);
                }
            }
        }
        return result;
    }
}
