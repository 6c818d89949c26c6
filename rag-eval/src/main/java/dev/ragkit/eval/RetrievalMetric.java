package dev.ragkit.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ranking metrics, computed for one query exactly as trec_eval (and so pytrec_eval and BEIR)
 * computes {@code ndcg_cut}, {@code recall}, {@code P}, {@code recip_rank} and {@code map_cut}.
 *
 * <p>A run is first put in trec_eval order: score descending, ties broken by document id
 * descending (string order), regardless of the order the retriever returned them in. A document
 * is relevant when its qrels score is at least {@link Qrels#RELEVANT}; nDCG uses the score itself as
 * gain (graded), and its ideal DCG comes from the judged documents of the query, not from the run.
 */
public enum RetrievalMetric {
    /** nDCG@k: DCG with gain = qrels score and discount log2(rank + 1), over the ideal DCG at k. */
    NDCG("ndcg") {
        @Override
        double score(List<String> ranked, Map<String, Integer> judgments, int k) {
            double dcg = 0;
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                int gain = judgments.getOrDefault(ranked.get(i), 0);
                if (gain > 0) {
                    dcg += gain / log2(i + 2);
                }
            }
            List<Integer> ideal = new ArrayList<>();
            for (int score : judgments.values()) {
                if (score > 0) {
                    ideal.add(score);
                }
            }
            ideal.sort(Comparator.reverseOrder());
            double idcg = 0;
            for (int i = 0; i < Math.min(k, ideal.size()); i++) {
                idcg += ideal.get(i) / log2(i + 2);
            }
            return idcg == 0 ? 0 : dcg / idcg;
        }
    },
    /** Recall@k: relevant documents in the top k over relevant documents judged for the query. */
    RECALL("recall") {
        @Override
        double score(List<String> ranked, Map<String, Integer> judgments, int k) {
            int relevant = relevantCount(judgments);
            return relevant == 0 ? 0 : (double) relevantInTop(ranked, judgments, k) / relevant;
        }
    },
    /** Precision@k: relevant documents in the top k over k (k, not the run length, as trec_eval's P). */
    PRECISION("precision") {
        @Override
        double score(List<String> ranked, Map<String, Integer> judgments, int k) {
            return (double) relevantInTop(ranked, judgments, k) / k;
        }
    },
    /** MRR@k: 1 / rank of the first relevant document within the top k, else 0. */
    MRR("mrr") {
        @Override
        double score(List<String> ranked, Map<String, Integer> judgments, int k) {
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                if (isRelevant(judgments, ranked.get(i))) {
                    return 1.0 / (i + 1);
                }
            }
            return 0;
        }
    },
    /**
     * MAP@k (average precision cut at k): the sum of precision@rank over the relevant documents
     * retrieved within the top k, divided by all relevant documents judged for the query.
     */
    MAP("map") {
        @Override
        double score(List<String> ranked, Map<String, Integer> judgments, int k) {
            int relevant = relevantCount(judgments);
            if (relevant == 0) {
                return 0;
            }
            double sum = 0;
            int found = 0;
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                if (isRelevant(judgments, ranked.get(i))) {
                    found++;
                    sum += (double) found / (i + 1);
                }
            }
            return sum / relevant;
        }
    };

    private final String label;

    RetrievalMetric(String label) {
        this.label = label;
    }

    /** The lowercase name used in reports and gates, e.g. {@code ndcg} (so {@code ndcg@10}). */
    public String label() {
        return label;
    }

    /** The metric's name at cut-off {@code k}, e.g. {@code recall@5}. */
    public String at(int k) {
        return label + "@" + k;
    }

    /**
     * The metric of one query.
     *
     * @param ranked document ids in rank order (see {@link #rank}), without repeats
     * @param judgments the query's judged documents and scores
     * @param k the cut-off, at least 1
     */
    public double compute(List<String> ranked, Map<String, Integer> judgments, int k) {
        if (k < 1) {
            throw new IllegalArgumentException(label + " cut-off k was " + k + " but it must be at least 1");
        }
        return score(ranked, judgments, k);
    }

    abstract double score(List<String> ranked, Map<String, Integer> judgments, int k);

    /** The metric whose {@link #label()} is {@code name} (case-insensitive; {@code p} means precision). */
    public static RetrievalMetric byLabel(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("p")) {
            return PRECISION;
        }
        for (RetrievalMetric m : values()) {
            if (m.label.equals(lower)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown retrieval metric '" + name + "'; known: ndcg, recall, precision (p), mrr, map");
    }

    /**
     * Puts a run in trec_eval order: score descending, ties by document id descending. A document
     * that appears more than once (several chunks of one document) keeps its best score.
     */
    public static List<String> rank(List<ScoredDoc> run) {
        Map<String, Double> best = new HashMap<>();
        for (ScoredDoc d : run) {
            best.merge(d.docId(), d.score(), Math::max);
        }
        List<Map.Entry<String, Double>> entries = new ArrayList<>(best.entrySet());
        entries.sort(Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.<String, Double>comparingByKey().reversed()));
        List<String> ranked = new ArrayList<>(entries.size());
        for (Map.Entry<String, Double> e : entries) {
            ranked.add(e.getKey());
        }
        return ranked;
    }

    static boolean isRelevant(Map<String, Integer> judgments, String docId) {
        return judgments.getOrDefault(docId, 0) >= Qrels.RELEVANT;
    }

    static int relevantCount(Map<String, Integer> judgments) {
        int n = 0;
        for (int score : judgments.values()) {
            if (score >= Qrels.RELEVANT) {
                n++;
            }
        }
        return n;
    }

    static int relevantInTop(List<String> ranked, Map<String, Integer> judgments, int k) {
        int n = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (isRelevant(judgments, ranked.get(i))) {
                n++;
            }
        }
        return n;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
