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
 * query's maximum attainable score {@code Σ idf · (k1 + 1)} (with room for the bonuses below), which maps
 * every score into [0, 1].
 *
 * <p>With an analyzer that reads each text in its own language ({@link TextAnalyzer#auto()}), each
 * document is indexed as read in its language, and a query is read once per language the index holds:
 * a document is scored by the query as read in the document's language, so that the query's words are
 * stemmed as that document's words were, without the stop words of the query's own language
 * ({@link TextAnalyzer#analyzeQuery}): an English query over French documents, a name, a formula and a
 * mixed French and English index all match as they should. Inverse document frequencies are
 * those of the whole index; {@link Hit#normalisedScore()} divides by the maximum of the document's reading.
 *
 * <p><b>Proximity.</b> BM25 sees a text as a bag of words: "ministère des sports" scores the same in a text
 * where the two words stand together as in one where they are far apart. The first
 * {@value #PROXIMITY_DEPTH} documents by BM25 are therefore re-ordered with a proximity bonus: for each
 * pair of distinct query terms found in a document, {@code w / d²}, where {@code d} is the smallest
 * distance between the two terms in the document's analyzed tokens (stop words removed, so that words
 * separated only by stop words are at distance 1) and {@code w} the smaller idf of the two; summed and
 * divided by the sum of {@code w} over every pair of the query's terms, which maps it into [0, 1]. Only
 * the {@value #PROXIMITY_MAX_TERMS} rarest terms of a query are looked at. A
 * document's score becomes {@code bm25 + proximityWeight · top · proximity}, where {@code top} is the best
 * BM25 score of the query: with a weight of 0.5, perfect proximity counts half as much as the best
 * document's whole BM25 score. A weight of 0 is plain BM25. Documents below the first
 * {@value #PROXIMITY_DEPTH} keep their BM25 order and score, so a search for more documents starts with
 * those of a search for fewer. Single-term queries have no pair and are plain BM25.
 *
 * <p><b>Subwords.</b> A whole-term match misses a misspelt word ("Eifel"), a word form the stemmer does not
 * join ("connus" / "connu", "analysis" / "analyzed"), a compound or a chemical name written apart. A
 * second BM25, with the same k1 and b, scores the character {@value #SUBWORD_LENGTH}-grams of each analyzed
 * term, framed by {@code _} ({@code chat} gives {@code _cha, chat, hat_}); a text's n-grams are those of
 * its terms, so they are found again from its terms when it is removed. Every document sharing an n-gram
 * with the query is a candidate; its score becomes {@code bm25 + subwordWeight · top · subword / subwordTop},
 * where {@code top} is the query's best whole-term score and {@code subwordTop} its best subword score: the
 * best subword match counts {@code subwordWeight} times the best whole-term match (when no document holds a
 * whole query term, subwords alone rank). Proximity then re-orders the first documents by this score.
 * A weight of 0 keeps no n-grams at all. With subwords, a search reads every document sharing an n-gram
 * with the query, so it costs more than a whole-term search on a large index (rag-eval's README,
 * "Keyword subwords", gives the figures).
 *
 * <p>{@link Hit#normalisedScore()} divides a score by the most it could be: the reading's maximum
 * attainable BM25 score times {@code (1 + subwordWeight)(1 + proximityWeight)}, so that normalised scores keep
 * the order of the scores within a language (capped at 1: in an index of several languages, the best
 * whole-term score that scales the bonuses may come from another language's reading).
 */
public final class Bm25Index {
    /** Anserini's defaults for BEIR-style passage retrieval. */
    public static final double DEFAULT_K1 = 0.9;
    public static final double DEFAULT_B = 0.4;
    /**
     * Chosen on two languages at once (rag-eval's README, "Keyword proximity"): 0.5 raised BM25 on both PIAF
     * (French questions, recall@5 0.8664 → 0.8685) and SciFact (English claims, nDCG@10 0.6777 → 0.6799);
     * 1.0 was better on PIAF (0.8695, best on both article halves) but lowered SciFact (0.6747).
     */
    public static final double DEFAULT_PROXIMITY_WEIGHT = 0.5;
    /** How many of the best BM25 documents the proximity bonus re-orders. */
    public static final int PROXIMITY_DEPTH = 30;
    /**
     * Proximity looks at the pairs of at most this many distinct query terms, the rarest (highest idf):
     * pairs grow with the square of the terms, and a pasted page as a query must not cost a square of its
     * length per document.
     */
    public static final int PROXIMITY_MAX_TERMS = 32;
    /**
     * Chosen on SciFact's train split and PIAF (rag-eval's README, "Keyword subwords"): 0.5 and 0.75 within
     * 0.001 on PIAF, 0.75 best on SciFact train. 0 turns subword matching off and keeps no n-gram postings.
     */
    public static final double DEFAULT_SUBWORD_WEIGHT = 0.75;
    /** The length of the character n-grams that subword matching compares. */
    public static final int SUBWORD_LENGTH = 4;

    private final TextAnalyzer analyzer;
    private final double k1;
    private final double b;
    private final double proximityWeight;
    private final double subwordWeight;
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
    /** Each slot's analyzed tokens in order, as {@link PostingList#termId}s: where its terms stand, for proximity. */
    private final List<int[]> tokenSequences = new ArrayList<>();
    private final Map<String, PostingList> postings = new HashMap<>();
    private int nextTermId;
    private long totalLength;
    /** Subword matching: the {@value #SUBWORD_LENGTH}-grams of each slot's terms, and each slot's number of them. */
    private final Map<String, PostingList> subwordPostings = new HashMap<>();
    private int[] subwordLengths = new int[16];
    private long totalSubwordLength;

    /** The slots of the documents holding one term, with the term's frequency in each. */
    private static final class PostingList {
        /** Names the term in {@link #tokenSequences}; a term dropped with its last document gets a new one. */
        private final int termId;
        private int[] slots = new int[4];
        private int[] frequencies = new int[4];
        private int size;

        PostingList(int termId) {
            this.termId = termId;
        }

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
        this(analyzer, k1, b, KeywordWeights.DEFAULTS);
    }

    /** @param weights how much proximity and subwords count ({@link KeywordWeights#PLAIN_BM25} for neither) */
    public Bm25Index(TextAnalyzer analyzer, double k1, double b, KeywordWeights weights) {
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("BM25 needs k1 >= 0 and b in [0, 1], got k1=" + k1 + " b=" + b);
        }
        this.analyzer = analyzer;
        this.k1 = k1;
        this.b = b;
        this.proximityWeight = weights.proximity();
        this.subwordWeight = weights.subword();
    }

    /**
     * The character {@value #SUBWORD_LENGTH}-grams of {@code term} framed by {@code _} (so that a term's start
     * and end are grams of their own), each as often as it occurs; a term too short for one is one gram whole.
     */
    static List<String> subwords(String term) {
        String framed = "_" + term + "_";
        if (framed.length() <= SUBWORD_LENGTH) {
            return List.of(framed);
        }
        List<String> grams = new ArrayList<>(framed.length() - SUBWORD_LENGTH + 1);
        for (int i = 0; i + SUBWORD_LENGTH <= framed.length(); i++) {
            grams.add(framed.substring(i, i + SUBWORD_LENGTH));
        }
        return grams;
    }

    /** The subword frequencies of a text (or query) whose terms occur {@code termFrequencies} times. */
    private static Map<String, Integer> subwordFrequencies(Map<String, Integer> termFrequencies) {
        Map<String, Integer> tf = new HashMap<>();
        termFrequencies.forEach((term, count) -> {
            for (String gram : subwords(term)) {
                tf.merge(gram, count, Integer::sum);
            }
        });
        return tf;
    }

    public TextAnalyzer analyzer() {
        return analyzer;
    }

    /** Adds or replaces the text of document {@code id}. */
    public void put(String id, String text) {
        String language = analyzer.languageOf(text).orElse("");
        List<String> tokens = analyzer.analyze(text, language.isEmpty() ? null : language);
        Map<String, Integer> tf = termFrequencies(tokens);
        int length = tokens.size();
        Map<String, Integer> subwordTf = subwordWeight > 0 ? subwordFrequencies(tf) : Map.of();
        int subwordLength = subwordTf.values().stream().mapToInt(Integer::intValue).sum();
        lock.writeLock().lock();
        try {
            removeLocked(id);
            int slot = freeSlots.isEmpty() ? slotOf.size() : freeSlots.pop();
            if (slot >= ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
                lengths = Arrays.copyOf(lengths, lengths.length * 2);
                languages = Arrays.copyOf(languages, languages.length * 2);
                subwordLengths = Arrays.copyOf(subwordLengths, subwordLengths.length * 2);
            }
            tf.forEach((term, count) -> postings.computeIfAbsent(term, t -> new PostingList(nextTermId++)).add(slot, count));
            int[] sequence = new int[tokens.size()];
            for (int i = 0; i < sequence.length; i++) {
                sequence[i] = postings.get(tokens.get(i)).termId;
            }
            if (slot == termFrequencies.size()) {
                termFrequencies.add(tf);
                tokenSequences.add(sequence);
            } else {
                termFrequencies.set(slot, tf);
                tokenSequences.set(slot, sequence);
            }
            slotOf.put(id, slot);
            ids[slot] = id;
            lengths[slot] = length;
            languages[slot] = language;
            documentsByLanguage.merge(language, 1, Integer::sum);
            totalLength += length;
            subwordTf.forEach((gram, count) -> subwordPostings.computeIfAbsent(gram, g -> new PostingList(-1)).add(slot, count));
            subwordLengths[slot] = subwordLength;
            totalSubwordLength += subwordLength;
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
            tokenSequences.clear();
            ids = new String[16];
            lengths = new int[16];
            languages = new String[16];
            documentsByLanguage.clear();
            totalLength = 0;
            subwordPostings.clear();
            subwordLengths = new int[16];
            totalSubwordLength = 0;
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
        Map<String, Integer> tf = termFrequencies.get(slot);
        for (String term : tf.keySet()) {
            PostingList list = postings.get(term);
            list.remove(slot);
            if (list.size == 0) {
                postings.remove(term);
            }
        }
        if (subwordWeight > 0) {
            // A text's subwords are those of its terms: they need not be kept per slot to be found again.
            for (String gram : subwordFrequencies(tf).keySet()) {
                PostingList list = subwordPostings.get(gram);
                list.remove(slot);
                if (list.size == 0) {
                    subwordPostings.remove(gram);
                }
            }
            totalSubwordLength -= subwordLengths[slot];
            subwordLengths[slot] = 0;
        }
        ids[slot] = null;
        termFrequencies.set(slot, null);
        tokenSequences.set(slot, null);
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
     * descending score, ties by ascending id. Documents sharing neither a query term nor, with subwords, one
     * of its character n-grams are never returned: with subwords a word no document holds can still find
     * documents holding a word close to it, at a low score.
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
            double[] scores = new double[ids.length];
            double[] subwordScores = subwordWeight > 0 ? new double[ids.length] : null;
            Touched touched = new Touched(Math.min(ids.length, 1024));
            Map<String, Double> maxScores = new HashMap<>();
            for (Map.Entry<String, Map<String, Integer>> reading : readings.entrySet()) {
                String language = reading.getKey();
                maxScores.put(language, addScoresLocked(postings, reading.getValue(), language, lengths,
                        (double) totalLength / n, scores, subwordScores, touched));
                if (subwordScores != null) {
                    addScoresLocked(subwordPostings, subwordFrequencies(reading.getValue()), language, subwordLengths,
                            (double) totalSubwordLength / n, subwordScores, scores, touched);
                }
            }
            if (subwordScores != null) {
                addSubwordScores(scores, subwordScores, touched);
            }
            int touchedCount = touched.size;
            String[] names = ids;
            Comparator<Integer> worstFirst = Comparator.<Integer>comparingDouble(slot -> scores[slot])
                    .thenComparing(slot -> names[slot], Comparator.reverseOrder());
            PriorityQueue<Integer> best = new PriorityQueue<>(worstFirst);
            // With proximity, the first PROXIMITY_DEPTH are always gathered, whatever topK, so that a search
            // for fewer documents returns the first of a search for more.
            int depth = proximityWeight > 0 ? Math.max(topK, PROXIMITY_DEPTH) : topK;
            for (int t = 0; t < touchedCount; t++) {
                int slot = touched.slots[t];
                // A full heap rejects most documents on score alone; the filter (a store lookup) runs after.
                if (best.size() == depth && scores[slot] < scores[best.peek()] || !accept.test(names[slot])) {
                    continue;
                }
                best.add(slot);
                if (best.size() > depth) {
                    best.poll();
                }
            }
            List<Integer> ranked = new ArrayList<>(best.size());
            while (!best.isEmpty()) {
                ranked.add(best.poll());
            }
            Collections.reverse(ranked);
            if (proximityWeight > 0 && !ranked.isEmpty()) {
                addProximityLocked(ranked, scores, readings, n);
            }
            List<Hit> hits = new ArrayList<>(Math.min(topK, ranked.size()));
            // The bonuses can add up to (1 + subwordWeight)(1 + proximityWeight) times a reading's maximum: dividing
            // by that keeps the order of the scores, where a cap at 1 would tie the best documents.
            double bonuses = (1 + subwordWeight) * (1 + proximityWeight);
            for (int slot : ranked.subList(0, Math.min(topK, ranked.size()))) {
                double maxScore = maxScores.getOrDefault(byLanguage ? languages[slot] : "", 0.0) * bonuses;
                double normalised = maxScore > 0 ? Math.min(1.0, scores[slot] / maxScore) : 0;
                hits.add(new Hit(names[slot], scores[slot], normalised));
            }
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The slots a search has given a score, each once. */
    private static final class Touched {
        private int[] slots;
        private int size;

        Touched(int capacity) {
            slots = new int[Math.max(1, capacity)];
        }

        void add(int slot) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
            }
            slots[size++] = slot;
        }
    }

    /**
     * Adds the BM25 weights of one reading of the query ({@code query}: term to repeats) over {@code index} to
     * {@code into}, for the documents read in {@code language} when the analyzer reads each language, and
     * returns the reading's maximum attainable score. A slot is touched when it first gets a weight in
     * {@code into} or {@code other} (every weight is positive, since idf > 0 and tf >= 1, so 0 means "not seen").
     */
    private double addScoresLocked(Map<String, PostingList> index, Map<String, Integer> query, String language,
                                   int[] documentLengths, double averageLength, double[] into, double[] other,
                                   Touched touched) {
        boolean byLanguage = analyzer.readsEachLanguage();
        int documents = slotOf.size();
        double avgLength = Math.max(1e-9, averageLength);
        double maxScore = 0;
        for (Map.Entry<String, Integer> q : query.entrySet()) {
            PostingList list = index.get(q.getKey());
            int df = list == null ? 0 : list.size;
            double idf = Math.log(1 + (documents - df + 0.5) / (df + 0.5));
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
                double weight = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * documentLengths[slot] / avgLength));
                if (into[slot] == 0 && (other == null || other[slot] == 0)) {
                    touched.add(slot);
                }
                into[slot] += repeats * weight;
            }
        }
        return maxScore;
    }

    /**
     * Adds each touched document's subword score to its BM25 score, scaled so that the best subword score
     * counts {@code subwordWeight} times the best BM25 score (the best subword score itself when no document
     * holds a whole query term: then subwords alone rank, a misspelt query still finds its text).
     */
    private void addSubwordScores(double[] scores, double[] subwordScores, Touched touched) {
        double top = 0;
        double subwordTop = 0;
        for (int t = 0; t < touched.size; t++) {
            top = Math.max(top, scores[touched.slots[t]]);
            subwordTop = Math.max(subwordTop, subwordScores[touched.slots[t]]);
        }
        if (subwordTop == 0) {
            return;
        }
        double scale = subwordWeight * (top > 0 ? top : subwordTop) / subwordTop;
        for (int t = 0; t < touched.size; t++) {
            int slot = touched.slots[t];
            scores[slot] += scale * subwordScores[slot];
        }
    }

    /**
     * Adds the proximity bonus (see the class description) to the first {@value #PROXIMITY_DEPTH} of
     * {@code ranked} (best first by BM25) and re-orders them; the rest stay as they are.
     */
    private void addProximityLocked(List<Integer> ranked, double[] scores, Map<String, Map<String, Integer>> readings,
                                    int documents) {
        List<Integer> head = ranked.subList(0, Math.min(PROXIMITY_DEPTH, ranked.size()));
        double top = scores[head.get(0)];
        boolean byLanguage = analyzer.readsEachLanguage();
        Map<String, QueryTerms> termsByReading = new HashMap<>();
        for (int slot : head) {
            QueryTerms terms = termsByReading.computeIfAbsent(byLanguage ? languages[slot] : "",
                    language -> queryTermsLocked(readings.getOrDefault(language, Map.of()), documents));
            scores[slot] += proximityWeight * top * terms.proximity(tokenSequences.get(slot));
        }
        String[] names = ids;
        head.sort(Comparator.<Integer>comparingDouble(slot -> -scores[slot]).thenComparing(slot -> names[slot]));
    }

    /**
     * The distinct terms of one reading of the query (the {@value #PROXIMITY_MAX_TERMS} rarest) that the
     * index holds, with their idf, and the sum of the pair weights over every pair of those terms (terms no
     * document holds included, at the idf of a term in no document), which divides the bonus.
     */
    private QueryTerms queryTermsLocked(Map<String, Integer> reading, int documents) {
        record Term(int termId, double idf) {
        }
        List<Term> terms = new ArrayList<>(reading.size());
        for (String term : reading.keySet()) {
            PostingList list = postings.get(term);
            int df = list == null ? 0 : list.size;
            terms.add(new Term(list == null ? -1 : list.termId, Math.log(1 + (documents - df + 0.5) / (df + 0.5))));
        }
        terms.sort(Comparator.comparingDouble(Term::idf).reversed());
        List<Term> rarest = terms.subList(0, Math.min(PROXIMITY_MAX_TERMS, terms.size()));
        double pairWeights = 0;
        for (int i = 0; i < rarest.size(); i++) {
            for (int j = i + 1; j < rarest.size(); j++) {
                pairWeights += Math.min(rarest.get(i).idf(), rarest.get(j).idf());
            }
        }
        List<Term> known = rarest.stream().filter(t -> t.termId() >= 0).toList();
        return new QueryTerms(known.stream().mapToInt(Term::termId).toArray(),
                known.stream().mapToDouble(Term::idf).toArray(), pairWeights);
    }

    /** One reading of the query as proximity sees it. */
    private record QueryTerms(int[] termIds, double[] idfs, double pairWeights) {
        /** In [0, 1]: Σ over pairs of terms present of {@code min idf / d²}, divided by {@link #pairWeights}. */
        double proximity(int[] sequence) {
            int terms = termIds.length;
            if (pairWeights == 0 || terms < 2) {
                return 0;
            }
            // One walk through the text, remembering where each query term was seen last: the closest
            // occurrences of a pair are always met as one term right after the other's last occurrence.
            int[] lastSeen = new int[terms];
            Arrays.fill(lastSeen, -1);
            int[] closest = new int[terms * terms];
            Arrays.fill(closest, Integer.MAX_VALUE);
            for (int position = 0; position < sequence.length; position++) {
                int term = indexOf(sequence[position]);
                if (term < 0) {
                    continue;
                }
                for (int other = 0; other < terms; other++) {
                    if (other != term && lastSeen[other] >= 0) {
                        int pair = Math.min(term, other) * terms + Math.max(term, other);
                        closest[pair] = Math.min(closest[pair], position - lastSeen[other]);
                    }
                }
                lastSeen[term] = position;
            }
            double sum = 0;
            for (int i = 0; i < terms; i++) {
                for (int j = i + 1; j < terms; j++) {
                    int distance = closest[i * terms + j];
                    if (distance != Integer.MAX_VALUE) {
                        sum += Math.min(idfs[i], idfs[j]) / ((double) distance * distance);
                    }
                }
            }
            return Math.min(1.0, sum / pairWeights);
        }

        private int indexOf(int termId) {
            for (int i = 0; i < termIds.length; i++) {
                if (termIds[i] == termId) {
                    return i;
                }
            }
            return -1;
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
