package dev.ragkit.store.faiss;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a FAISS store answers one dense query: a filter first selects labels from the table (a
 * pre-filter with {@link Filter#test}); a small selection is scored exactly, a large one (or none) is
 * searched by FAISS with an id selector, falling back to exact scoring when FAISS runs out of
 * candidates; FAISS is asked for a few neighbours more than {@code topK}, and more while a tie at the
 * {@code topK}-th place extends, so ties are ordered by ascending id.
 *
 * <p>One per query, made and used under the store's read lock.
 */
final class DenseSearch {
    /** Extra neighbours asked of FAISS so that ties at the k-th place can be ordered by id. */
    static final int TIE_MARGIN = 8;
    /** Filters matching at most this many chunks are searched exactly, which is both fast and complete. */
    static final int EXACT_SELECTION_LIMIT = 4096;
    /** An approximate search that found too few hits falls back to exact search up to this many chunks. */
    static final int EXACT_FALLBACK_LIMIT = 200_000;

    private static final Comparator<SearchHit> BEST_FIRST = Comparator.comparingDouble(SearchHit::score).reversed()
            .thenComparing(SearchHit::id);

    private final NativeIndex index;
    private final LabelTable table;
    private final FaissVectorStore.Metric metric;
    private final int efSearch;
    private final int nprobe;

    DenseSearch(NativeIndex index, LabelTable table, FaissVectorStore.Metric metric, int efSearch, int nprobe) {
        this.index = index;
        this.table = table;
        this.metric = metric;
        this.efSearch = efSearch;
        this.nprobe = nprobe;
    }

    /**
     * The best {@code topK} hits scoring at least {@code minScore}, best first, ties by ascending id.
     *
     * @param query prepared by the store: right dimension, finite, unit length for cosine
     * @param filter nullable: null searches every chunk
     * @param tombstones whether the index holds vectors no chunk uses (then the live bitmap hides them)
     */
    List<SearchHit> search(float[] query, int topK, double minScore, Filter filter, boolean tombstones) {
        long[] selected = null;
        byte[] allowed = null;
        long selectionSize = table.size();
        if (filter != null) {
            selected = table.labels(filter);
            selectionSize = selected.length;
        } else if (tombstones) {
            allowed = table.liveBitmap();
        }
        if (selectionSize == 0) {
            return List.of();
        }
        List<SearchHit> hits;
        if (selected != null && selected.length <= EXACT_SELECTION_LIMIT) {
            hits = exact(query, selected);
        } else {
            if (selected != null) {
                allowed = table.bitmap(selected);
            }
            hits = approximate(query, topK, allowed, selectionSize);
            if (hits.size() < Math.min(topK, selectionSize) && selectionSize <= EXACT_FALLBACK_LIMIT) {
                // HNSW with a selective filter or many tombstones can run out of candidates.
                hits = exact(query, selected != null ? selected : table.labels());
            }
        }
        List<SearchHit> result = new ArrayList<>(Math.min(hits.size(), topK));
        for (SearchHit h : hits) {
            if (result.size() == topK) {
                break;
            }
            if (h.score() >= minScore) {
                result.add(h);
            }
        }
        return result;
    }

    /** The FAISS search: at least {@code topK} hits (fewer if FAISS finds fewer), ordered. */
    private List<SearchHit> approximate(float[] query, int topK, byte[] allowed, long selectionSize) {
        int k = (int) Math.min((long) topK + TIE_MARGIN, selectionSize);
        while (true) {
            float[] distances = new float[k];
            long[] labels = new long[k];
            int found = index.search(query, k, allowed, efSearch, nprobe, distances, labels);
            List<SearchHit> hits = new ArrayList<>(found);
            for (int i = 0; i < found; i++) {
                Chunk chunk = table.chunk(labels[i]);
                if (chunk != null) {
                    hits.add(new SearchHit(chunk, score(distances[i])));
                }
            }
            hits.sort(BEST_FIRST);
            // When the k-th best ties with the last one fetched, more ties may lie beyond: fetch more.
            boolean tiedToTheEnd = found == k && hits.size() > topK
                    && hits.get(topK - 1).score() == hits.get(hits.size() - 1).score();
            if (!tiedToTheEnd || k >= selectionSize) {
                return hits;
            }
            k = (int) Math.min(2L * k, selectionSize);
        }
    }

    /** Exact scores of the given labels, ordered. */
    private List<SearchHit> exact(float[] query, long[] labels) {
        float[] distances = index.distances(query, labels);
        List<SearchHit> hits = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            hits.add(new SearchHit(table.chunk(labels[i]), score(distances[i])));
        }
        hits.sort(BEST_FIRST);
        return hits;
    }

    /** Cosine clamped to [0, 1] from an inner product; {@code 1 / (1 + d²)} from a squared L2 distance. */
    private double score(float distance) {
        if (metric == FaissVectorStore.Metric.COSINE) {
            return Vectors.cosineScore(distance);
        }
        return 1.0 / (1.0 + Math.max(0.0, distance));
    }
}
