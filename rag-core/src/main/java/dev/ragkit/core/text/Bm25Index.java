package dev.ragkit.core.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * An in-process BM25 index over short texts, for stores with no text search of their own.
 * Thread-safe: searches run concurrently, writes are exclusive.
 *
 * <p>Scoring is Lucene's BM25: {@code idf = ln(1 + (N - df + 0.5) / (df + 0.5))}, term weight
 * {@code idf · tf · (k1 + 1) / (tf + k1 · (1 - b + b · dl / avgdl))}, summed over query terms (a term
 * repeated in the query counts once per repetition). {@link Hit#normalisedScore()} divides by the
 * query's maximum attainable score {@code Σ idf · (k1 + 1)}, which maps every score into [0, 1].
 */
public final class Bm25Index {
    /** Anserini's defaults for BEIR-style passage retrieval. */
    public static final double DEFAULT_K1 = 0.9;
    public static final double DEFAULT_B = 0.4;

    private final TextAnalyzer analyzer;
    private final double k1;
    private final double b;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Map<String, Integer>> postings = new HashMap<>();
    private final Map<String, DocumentStats> documents = new HashMap<>();
    private long totalLength;

    private record DocumentStats(int length, Map<String, Integer> termFrequencies) {
    }

    /** A matching document and its scores. */
    public record Hit(String id, double score, double normalisedScore) {
    }

    public Bm25Index(TextAnalyzer analyzer) {
        this(analyzer, DEFAULT_K1, DEFAULT_B);
    }

    public Bm25Index(TextAnalyzer analyzer, double k1, double b) {
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("BM25 needs k1 >= 0 and b in [0, 1], got k1=" + k1 + " b=" + b);
        }
        this.analyzer = analyzer;
        this.k1 = k1;
        this.b = b;
    }

    public TextAnalyzer analyzer() {
        return analyzer;
    }

    /** Adds or replaces the text of document {@code id}. */
    public void put(String id, String text) {
        Map<String, Integer> tf = termFrequencies(analyzer.analyze(text));
        int length = tf.values().stream().mapToInt(Integer::intValue).sum();
        lock.writeLock().lock();
        try {
            removeLocked(id);
            documents.put(id, new DocumentStats(length, tf));
            totalLength += length;
            tf.forEach((term, count) -> postings.computeIfAbsent(term, t -> new HashMap<>()).put(id, count));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes document {@code id}; unknown ids are ignored. */
    public void remove(String id) {
        lock.writeLock().lock();
        try {
            removeLocked(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes every document. */
    public void clear() {
        lock.writeLock().lock();
        try {
            postings.clear();
            documents.clear();
            totalLength = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeLocked(String id) {
        DocumentStats old = documents.remove(id);
        if (old == null) {
            return;
        }
        totalLength -= old.length();
        for (String term : old.termFrequencies().keySet()) {
            Map<String, Integer> list = postings.get(term);
            list.remove(id);
            if (list.isEmpty()) {
                postings.remove(term);
            }
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return documents.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The best {@code topK} documents for {@code query} among those {@code accept} lets through, by
     * descending score, ties by ascending id. Documents matching no query term are never returned.
     */
    public List<Hit> search(String query, int topK, Predicate<String> accept) {
        Map<String, Integer> queryTerms = termFrequencies(analyzer.analyze(query));
        if (queryTerms.isEmpty()) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            int n = documents.size();
            if (n == 0) {
                return List.of();
            }
            double avgLength = Math.max(1e-9, (double) totalLength / n);
            Map<String, Double> scores = new HashMap<>();
            double maxScore = 0;
            for (Map.Entry<String, Integer> q : queryTerms.entrySet()) {
                Map<String, Integer> list = postings.get(q.getKey());
                int df = list == null ? 0 : list.size();
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                int repeats = q.getValue();
                maxScore += repeats * idf * (k1 + 1);
                if (list == null) {
                    continue;
                }
                for (Map.Entry<String, Integer> posting : list.entrySet()) {
                    int tf = posting.getValue();
                    int length = documents.get(posting.getKey()).length();
                    double weight = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avgLength));
                    scores.merge(posting.getKey(), repeats * weight, Double::sum);
                }
            }
            Comparator<Map.Entry<String, Double>> worstFirst = Map.Entry.<String, Double>comparingByValue()
                    .thenComparing(Map.Entry.<String, Double>comparingByKey().reversed());
            PriorityQueue<Map.Entry<String, Double>> best = new PriorityQueue<>(worstFirst);
            for (Map.Entry<String, Double> e : scores.entrySet()) {
                // A full heap rejects most documents on score alone; the filter (a store lookup) runs after.
                if (best.size() == topK && e.getValue() < best.peek().getValue() || !accept.test(e.getKey())) {
                    continue;
                }
                best.add(e);
                if (best.size() > topK) {
                    best.poll();
                }
            }
            List<Hit> hits = new ArrayList<>(best.size());
            while (!best.isEmpty()) {
                Map.Entry<String, Double> e = best.poll();
                double normalised = maxScore > 0 ? Math.min(1.0, e.getValue() / maxScore) : 0;
                hits.add(new Hit(e.getKey(), e.getValue(), normalised));
            }
            java.util.Collections.reverse(hits);
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static Map<String, Integer> termFrequencies(List<String> terms) {
        Map<String, Integer> tf = new HashMap<>();
        for (String t : terms) {
            tf.merge(t, 1, Integer::sum);
        }
        return tf;
    }
}
