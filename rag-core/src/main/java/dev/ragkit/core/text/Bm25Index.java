package dev.ragkit.core.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 *
 * <p>With an analyzer that reads each text in its own language ({@link TextAnalyzer#auto()}), each
 * document is indexed as read in its language, and a query is read once per language the index holds:
 * a document is scored by the query as read in the document's language, so that the query's words are
 * stemmed as that document's words were, without the stop words of the query's own language
 * ({@link TextAnalyzer#analyzeQuery}): an English query over French documents, a name, a formula and a
 * mixed French and English index all match as they should. Inverse document frequencies are
 * those of the whole index; {@link Hit#normalisedScore()} divides by the maximum of the document's reading.
 */
public final class Bm25Index {
    /** Anserini's defaults for BEIR-style passage retrieval. */
    public static final double DEFAULT_K1 = 0.9;
    public static final double DEFAULT_B = 0.4;

    private final TextAnalyzer analyzer;
    private final double k1;
    private final double b;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    // Documents live in numbered slots so that scoring adds into a double[] instead of a map keyed by
    // id: on 11k SciFact chunks this is what makes keyword search cheap next to the rest of a question.
    private final Map<String, Integer> slotOf = new HashMap<>();
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private String[] ids = new String[16];
    private int[] lengths = new int[16];
    /** The language each slot's text was read in, {@code ""} when none was told; counted per language. */
    private String[] languages = new String[16];
    private final Map<String, Integer> documentsByLanguage = new HashMap<>();
    private final List<Map<String, Integer>> termFrequencies = new ArrayList<>();
    private final Map<String, PostingList> postings = new HashMap<>();
    private long totalLength;

    /** The slots of the documents holding one term, with the term's frequency in each. */
    private static final class PostingList {
        private int[] slots = new int[4];
        private int[] frequencies = new int[4];
        private int size;

        void add(int slot, int frequency) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
                frequencies = Arrays.copyOf(frequencies, size * 2);
            }
            slots[size] = slot;
            frequencies[size] = frequency;
            size++;
        }

        void remove(int slot) {
            for (int i = 0; i < size; i++) {
                if (slots[i] == slot) {
                    size--;
                    slots[i] = slots[size];
                    frequencies[i] = frequencies[size];
                    return;
                }
            }
        }
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
        String language = analyzer.languageOf(text).orElse("");
        Map<String, Integer> tf = termFrequencies(analyzer.analyze(text, language.isEmpty() ? null : language));
        int length = tf.values().stream().mapToInt(Integer::intValue).sum();
        lock.writeLock().lock();
        try {
            removeLocked(id);
            int slot = freeSlots.isEmpty() ? slotOf.size() : freeSlots.pop();
            if (slot >= ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
                lengths = Arrays.copyOf(lengths, lengths.length * 2);
                languages = Arrays.copyOf(languages, languages.length * 2);
            }
            if (slot == termFrequencies.size()) {
                termFrequencies.add(tf);
            } else {
                termFrequencies.set(slot, tf);
            }
            slotOf.put(id, slot);
            ids[slot] = id;
            lengths[slot] = length;
            languages[slot] = language;
            documentsByLanguage.merge(language, 1, Integer::sum);
            totalLength += length;
            tf.forEach((term, count) -> postings.computeIfAbsent(term, t -> new PostingList()).add(slot, count));
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
            slotOf.clear();
            freeSlots.clear();
            termFrequencies.clear();
            ids = new String[16];
            lengths = new int[16];
            languages = new String[16];
            documentsByLanguage.clear();
            totalLength = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeLocked(String id) {
        Integer slot = slotOf.remove(id);
        if (slot == null) {
            return;
        }
        totalLength -= lengths[slot];
        documentsByLanguage.computeIfPresent(languages[slot], (language, count) -> count == 1 ? null : count - 1);
        languages[slot] = null;
        for (String term : termFrequencies.get(slot).keySet()) {
            PostingList list = postings.get(term);
            list.remove(slot);
            if (list.size == 0) {
                postings.remove(term);
            }
        }
        ids[slot] = null;
        termFrequencies.set(slot, null);
        freeSlots.push(slot);
    }

    public int size() {
        lock.readLock().lock();
        try {
            return slotOf.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The best {@code topK} documents for {@code query} among those {@code accept} lets through, by
     * descending score, ties by ascending id. Documents matching no query term are never returned.
     */
    public List<Hit> search(String query, int topK, Predicate<String> accept) {
        lock.readLock().lock();
        try {
            int n = slotOf.size();
            if (n == 0) {
                return List.of();
            }
            Map<String, Map<String, Integer>> readings = queryReadingsLocked(query);
            if (readings.values().stream().allMatch(Map::isEmpty)) {
                return List.of();
            }
            boolean byLanguage = analyzer.readsEachLanguage();
            double avgLength = Math.max(1e-9, (double) totalLength / n);
            double[] scores = new double[ids.length];
            int[] touched = new int[Math.min(ids.length, 1024)];
            int touchedCount = 0;
            Map<String, Double> maxScores = new HashMap<>();
            for (Map.Entry<String, Map<String, Integer>> reading : readings.entrySet()) {
                String language = reading.getKey();
                double maxScore = 0;
                for (Map.Entry<String, Integer> q : reading.getValue().entrySet()) {
                    PostingList list = postings.get(q.getKey());
                    int df = list == null ? 0 : list.size;
                    double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                    int repeats = q.getValue();
                    maxScore += repeats * idf * (k1 + 1);
                    if (list == null) {
                        continue;
                    }
                    for (int i = 0; i < list.size; i++) {
                        int slot = list.slots[i];
                        if (byLanguage && !languages[slot].equals(language)) {
                            continue; // this document is scored by the query read in its own language
                        }
                        int tf = list.frequencies[i];
                        double weight = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[slot] / avgLength));
                        if (scores[slot] == 0) {
                            // Every weight is positive (idf > 0, tf >= 1), so 0 means "not seen yet".
                            if (touchedCount == touched.length) {
                                touched = Arrays.copyOf(touched, touchedCount * 2);
                            }
                            touched[touchedCount++] = slot;
                        }
                        scores[slot] += repeats * weight;
                    }
                }
                maxScores.put(language, maxScore);
            }
            String[] names = ids;
            Comparator<Integer> worstFirst = Comparator.<Integer>comparingDouble(slot -> scores[slot])
                    .thenComparing(slot -> names[slot], Comparator.reverseOrder());
            PriorityQueue<Integer> best = new PriorityQueue<>(worstFirst);
            for (int t = 0; t < touchedCount; t++) {
                int slot = touched[t];
                // A full heap rejects most documents on score alone; the filter (a store lookup) runs after.
                if (best.size() == topK && scores[slot] < scores[best.peek()] || !accept.test(names[slot])) {
                    continue;
                }
                best.add(slot);
                if (best.size() > topK) {
                    best.poll();
                }
            }
            List<Hit> hits = new ArrayList<>(best.size());
            while (!best.isEmpty()) {
                int slot = best.poll();
                double maxScore = maxScores.getOrDefault(byLanguage ? languages[slot] : "", 0.0);
                double normalised = maxScore > 0 ? Math.min(1.0, scores[slot] / maxScore) : 0;
                hits.add(new Hit(names[slot], scores[slot], normalised));
            }
            Collections.reverse(hits);
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The query's terms as each group of documents reads them: one reading ({@code ""}) for an analyzer
     * that reads every text alike; else one per language the index holds documents in ({@code ""}:
     * documents whose language was not told, read by the analyzer's fallback).
     */
    private Map<String, Map<String, Integer>> queryReadingsLocked(String query) {
        if (!analyzer.readsEachLanguage()) {
            return Map.of("", termFrequencies(analyzer.analyze(query)));
        }
        String own = analyzer.languageOf(query).orElse(null);
        Map<String, Map<String, Integer>> readings = new HashMap<>();
        for (String language : documentsByLanguage.keySet()) {
            readings.put(language, termFrequencies(
                    analyzer.analyzeQuery(query, own, language.isEmpty() ? null : language)));
        }
        return readings;
    }

    /** The number of documents read in each language ({@code ""}: none told), for diagnostics and tests. */
    public Map<String, Integer> documentsByLanguage() {
        lock.readLock().lock();
        try {
            return Map.copyOf(documentsByLanguage);
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
