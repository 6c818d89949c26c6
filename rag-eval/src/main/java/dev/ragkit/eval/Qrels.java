package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relevance judgments: for each query id, judged document ids and their graded score. Scores of
 * 1 or more mean relevant (trec_eval's default relevance level); 0 means judged not relevant.
 * Immutable; query order is the order of the qrels file.
 */
public final class Qrels {
    /** The smallest score that counts as relevant for recall, precision, MAP and MRR. */
    public static final int RELEVANT = 1;

    private final Map<String, Map<String, Integer>> judgments;

    private Qrels(Map<String, Map<String, Integer>> judgments) {
        this.judgments = judgments;
    }

    /** Judgments from a map of query id to (document id to score); copied. */
    public static Qrels of(Map<String, Map<String, Integer>> judgments) {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        judgments.forEach((queryId, docs) -> {
            if (queryId == null || queryId.isBlank()) {
                throw new InvalidInputException("qrels query id was '" + queryId + "' but it must be non-blank");
            }
            docs.forEach((docId, score) -> {
                if (docId == null || docId.isBlank()) {
                    throw new InvalidInputException("qrels document id for query '" + queryId + "' was '" + docId
                            + "' but it must be non-blank");
                }
                if (score == null) {
                    throw new InvalidInputException("qrels score for query '" + queryId + "', document '" + docId
                            + "' was null");
                }
            });
            copy.put(queryId, Collections.unmodifiableMap(new LinkedHashMap<>(docs)));
        });
        return new Qrels(Collections.unmodifiableMap(copy));
    }

    /** Query ids with at least one judgment, in file order. */
    public List<String> queryIds() {
        return List.copyOf(judgments.keySet());
    }

    /** The judged documents of {@code queryId} and their scores; empty when the query is not judged. */
    public Map<String, Integer> judgments(String queryId) {
        return judgments.getOrDefault(queryId, Map.of());
    }

    /** How many documents are judged relevant (score {@code >=} {@link #RELEVANT}) for {@code queryId}. */
    public int relevantCount(String queryId) {
        return (int) judgments(queryId).values().stream().filter(s -> s >= RELEVANT).count();
    }

    /** Number of judged queries. */
    public int size() {
        return judgments.size();
    }

    /** Total number of judgments. */
    public int judgmentCount() {
        return judgments.values().stream().mapToInt(Map::size).sum();
    }
}
