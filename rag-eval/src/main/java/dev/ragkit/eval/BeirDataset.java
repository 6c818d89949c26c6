package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BEIR-format dataset: corpus, queries and the judgments of one split.
 *
 * @param name a label for reports, usually the folder name
 * @param split the qrels split, e.g. {@code test}
 * @param corpus every corpus document, in file order
 * @param queries every query by id, in file order (only id and text)
 * @param qrels the judgments of {@code split}
 */
public record BeirDataset(String name, String split, List<CorpusDocument> corpus, Map<String, EvalQuery> queries,
                          Qrels qrels) {
    public BeirDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(qrels, "qrels");
        corpus = List.copyOf(corpus);
        queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries));
        for (String queryId : qrels.queryIds()) {
            if (!queries.containsKey(queryId)) {
                throw new InvalidInputException("qrels split '" + split + "' judges query '" + queryId
                        + "' but queries.jsonl has no such _id");
            }
        }
    }

    /**
     * The queries that are scored: those of the split with at least one relevant judgment, in qrels
     * order. A query judged only non-relevant has no defined recall or ideal DCG, so it is left out;
     * {@link #unscoredQueryCount()} says how many were.
     */
    public List<EvalQuery> evaluationQueries() {
        List<EvalQuery> result = new ArrayList<>();
        for (String queryId : qrels.queryIds()) {
            if (qrels.relevantCount(queryId) > 0) {
                result.add(queries.get(queryId));
            }
        }
        return result;
    }

    /** Judged queries left out of scoring because none of their judgments is relevant. */
    public int unscoredQueryCount() {
        return qrels.size() - evaluationQueries().size();
    }
}
