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
 * says the answer is extractive. Deterministic and thread-safe.
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
            for (int p = 0; p < sentences.size(); p++) {
                String sentence = sentences.get(p);
                Set<String> terms = termsBySource.get(i).get(p);
                double score = 0;
                for (String t : questionTerms) {
                    if (terms.contains(t)) {
                        score += Math.log(1 + (double) sentenceCount / sentenceFrequency.getOrDefault(t, 1));
                    }
                }
                if (score > 0) {
                    // Prefer sentences from better-ranked sources, and not overly long ones.
                    score = score / Math.sqrt(1 + terms.size() / 12.0) + 0.5 / (i + 1);
                    candidates.add(new Candidate(i + 1, p, sentence, score));
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
        StringBuilder text = new StringBuilder(header(language, why));
        Map<Integer, List<String>> quotedBySource = new HashMap<>();
        for (Candidate c : chosen) {
            text.append("\n- ").append(c.sentence()).append(" [").append(c.source()).append(']');
            quotedBySource.computeIfAbsent(c.source(), k -> new ArrayList<>()).add(c.sentence());
        }
        List<Citation> citations = new ArrayList<>();
        quotedBySource.keySet().stream().sorted().forEach(n -> {
            SearchHit hit = sources.get(n - 1);
            citations.add(new Citation(n, hit.chunk().id(), hit.chunk().documentId(), hit.chunk().title(),
                    String.join(" ", quotedBySource.get(n)), hit.score()));
        });
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
