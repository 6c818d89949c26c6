package dev.ragkit.core.retrieval;

import dev.ragkit.core.model.SearchHit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): a chunk at rank {@code r} (from 1) of a list earns
 * {@code 1 / (k + r)}; chunks are ordered by their summed earnings, ties by ascending id. RRF needs
 * no score calibration between lists, which is why it fuses BM25 and cosine well.
 *
 * <p>Lists may be weighted: a list of weight {@code w} earns {@code w / (k + r)} (weighted RRF), so a
 * list known to be weaker for a query counts less without being dropped.
 *
 * <p>The fused hit keeps, as its score, the highest score it had in any list, so scores keep their
 * meaning (a similarity in [0, 1]) after fusion; the order is RRF's.
 */
public final class ReciprocalRankFusion {
    /** The constant from the original paper, also Elasticsearch's and OpenSearch's default. */
    public static final int DEFAULT_K = 60;

    private final int k;

    public ReciprocalRankFusion(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("RRF k was " + k + " but it must be >= 1");
        }
        this.k = k;
    }

    /** The best {@code topK} chunks of the fused lists. */
    public List<SearchHit> fuse(List<List<SearchHit>> rankings, int topK) {
        return fuse(rankings, Collections.nCopies(rankings.size(), 1.0), topK);
    }

    /**
     * The best {@code topK} chunks of the fused lists, list {@code i} weighted by {@code weights[i]}
     * (each finite and {@code >= 0}; a list of weight 0 only adds the chunks the others lack, last).
     */
    public List<SearchHit> fuse(List<List<SearchHit>> rankings, List<Double> weights, int topK) {
        if (weights.size() != rankings.size()) {
            throw new IllegalArgumentException("RRF got " + rankings.size() + " lists but " + weights.size() + " weights");
        }
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("RRF weight was " + w + " but it must be finite and >= 0");
            }
        }
        Map<String, Double> fused = new HashMap<>();
        Map<String, SearchHit> best = new LinkedHashMap<>();
        for (int list = 0; list < rankings.size(); list++) {
            List<SearchHit> ranking = rankings.get(list);
            double weight = weights.get(list);
            for (int i = 0; i < ranking.size(); i++) {
                SearchHit hit = ranking.get(i);
                fused.merge(hit.id(), weight / (k + i + 1), Double::sum);
                best.merge(hit.id(), hit, (a, b) -> a.score() >= b.score() ? a : b);
            }
        }
        List<String> ids = new ArrayList<>(fused.keySet());
        ids.sort(Comparator.<String>comparingDouble(fused::get).reversed().thenComparing(Comparator.naturalOrder()));
        List<SearchHit> result = new ArrayList<>(Math.min(topK, ids.size()));
        for (String id : ids.subList(0, Math.min(topK, ids.size()))) {
            result.add(best.get(id));
        }
        return result;
    }
}
