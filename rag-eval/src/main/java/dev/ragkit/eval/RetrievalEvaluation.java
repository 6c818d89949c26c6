package dev.ragkit.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores a run against qrels: every metric at every cut-off, averaged over all scored queries. A
 * scored query with no run, or with nothing relevant retrieved, counts as 0 in every mean, as
 * trec_eval's {@code -c} and BEIR's reported means do.
 */
public final class RetrievalEvaluation {
    /** The cut-offs reported and plotted by default. */
    public static final List<Integer> DEFAULT_CUTOFFS = List.of(1, 3, 5, 10, 20, 100);

    private RetrievalEvaluation() {
    }

    /**
     * The result of an evaluation.
     *
     * @param queries how many queries were scored (the denominator of every mean)
     * @param means metric to (cut-off to mean value), cut-offs ascending
     * @param perQuery query id to every metric name ({@code ndcg@10}) and its value, for drill-down
     */
    public record Scores(int queries, Map<RetrievalMetric, Map<Integer, Double>> means,
                         Map<String, Map<String, Double>> perQuery) {
        public Scores {
            Map<RetrievalMetric, Map<Integer, Double>> copy = new EnumMap<>(RetrievalMetric.class);
            means.forEach((m, byK) -> copy.put(m, Collections.unmodifiableMap(new LinkedHashMap<>(byK))));
            means = Collections.unmodifiableMap(copy);
            perQuery = Collections.unmodifiableMap(new LinkedHashMap<>(perQuery));
        }

        /** The mean of {@code metric} at {@code k}. */
        public double mean(RetrievalMetric metric, int k) {
            Double value = means.getOrDefault(metric, Map.of()).get(k);
            if (value == null) {
                throw new IllegalArgumentException(metric.at(k) + " was not computed; cut-offs: "
                        + means.getOrDefault(metric, Map.of()).keySet());
            }
            return value;
        }

        /** Every mean by name, e.g. {@code ndcg@10 -> 0.65}, metrics in enum order, cut-offs ascending. */
        public Map<String, Double> flat() {
            Map<String, Double> flat = new LinkedHashMap<>();
            means.forEach((m, byK) -> byK.forEach((k, v) -> flat.put(m.at(k), v)));
            return flat;
        }
    }

    /**
     * Evaluates {@code run} (query id to retrieved documents) on {@code queryIds}, judged by
     * {@code qrels}, at {@code cutoffs}; every query of {@code queryIds} counts in the means.
     */
    public static Scores evaluate(Qrels qrels, List<String> queryIds, Map<String, List<ScoredDoc>> run,
                                  List<Integer> cutoffs) {
        TreeSet<Integer> ks = new TreeSet<>(cutoffs);
        if (ks.isEmpty() || ks.first() < 1) {
            throw new IllegalArgumentException("cut-offs were " + cutoffs + " but they must be non-empty and at least 1");
        }
        Map<RetrievalMetric, Map<Integer, Double>> sums = new EnumMap<>(RetrievalMetric.class);
        for (RetrievalMetric m : RetrievalMetric.values()) {
            Map<Integer, Double> byK = new LinkedHashMap<>();
            ks.forEach(k -> byK.put(k, 0.0));
            sums.put(m, byK);
        }
        Map<String, Map<String, Double>> perQuery = new LinkedHashMap<>();
        for (String queryId : queryIds) {
            Map<String, Integer> judgments = qrels.judgments(queryId);
            List<String> ranked = RetrievalMetric.rank(run.getOrDefault(queryId, List.of()));
            Map<String, Double> values = new LinkedHashMap<>();
            for (RetrievalMetric m : RetrievalMetric.values()) {
                for (int k : ks) {
                    double v = m.compute(ranked, judgments, k);
                    sums.get(m).merge(k, v, Double::sum);
                    values.put(m.at(k), v);
                }
            }
            perQuery.put(queryId, values);
        }
        int n = queryIds.size();
        Map<RetrievalMetric, Map<Integer, Double>> means = new EnumMap<>(RetrievalMetric.class);
        sums.forEach((m, byK) -> {
            Map<Integer, Double> mean = new LinkedHashMap<>();
            byK.forEach((k, sum) -> mean.put(k, n == 0 ? 0.0 : sum / n));
            means.put(m, mean);
        });
        return new Scores(n, means, perQuery);
    }

    /** Evaluates on {@link BeirDataset#evaluationQueries()}. */
    public static Scores evaluate(BeirDataset dataset, Map<String, List<ScoredDoc>> run, List<Integer> cutoffs) {
        List<String> ids = new ArrayList<>();
        dataset.evaluationQueries().forEach(q -> ids.add(q.id()));
        return evaluate(dataset.qrels(), ids, run, cutoffs);
    }
}
