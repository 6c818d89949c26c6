package dev.ragkit.eval;

import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.ReciprocalRankFusion;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.text.LanguageDetector;
import dev.ragkit.core.text.Splitter;
import dev.ragkit.core.text.TextAnalyzer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the weight of the dense list in hybrid fusion for queries in a language the embedder does
 * not cover, by cross-validation on a question-answering set: each question's dense and keyword lists
 * are fetched once (the same store, splitter and candidate depth as {@link QaEvaluator}'s hybrid run),
 * then for each fold the weight with the best recall@k on the other folds is picked and scored on the
 * fold. As in {@link Retriever}, the weight applies to questions whose detected language the embedder
 * does not declare; the others fuse with weight 1. Folds group questions by article (the passage id up to {@code -p}, e.g. {@code piaf-a012}),
 * so the weight is always judged on articles it was not chosen on.
 */
public final class FusionWeightStudy {
    /** The weights tried, 0 to 1 by 0.05. */
    public static final List<Double> GRID = grid();

    private FusionWeightStudy() {
    }

    /**
     * The study's outcome.
     *
     * @param curve recall@k over all questions for each weight of {@link #GRID}
     * @param foldWeights the weight chosen on the other folds, per fold
     * @param foldRecalls recall@k of that weight on the fold, per fold
     * @param foldSizes questions per fold
     * @param crossValidatedRecall the out-of-fold recall@k over all questions
     * @param detected how many questions the detector read as each language ("none" when undetected)
     */
    public record Result(Map<Double, Double> curve, List<Double> foldWeights, List<Double> foldRecalls,
                         List<Integer> foldSizes, double crossValidatedRecall, Map<String, Integer> detected) {
        public Result {
            curve = Map.copyOf(curve);
            foldWeights = List.copyOf(foldWeights);
            foldRecalls = List.copyOf(foldRecalls);
            foldSizes = List.copyOf(foldSizes);
            detected = Map.copyOf(detected);
        }
    }

    /**
     * Runs the study.
     *
     * @param corpus the passages
     * @param questions the questions (each {@code contextId} is a passage id)
     * @param embedder the dense model
     * @param splitter as in the QA run
     * @param analyzer the store's keyword analysis
     * @param k recall cut-off and hits returned (5 in the QA run)
     * @param folds number of folds (>= 2)
     */
    public static Result run(List<CorpusDocument> corpus, List<QaExample> questions, Embedder embedder,
                             Splitter splitter, TextAnalyzer analyzer, int k, int folds, PrintStream progress) {
        Objects.requireNonNull(embedder, "embedder");
        if (folds < 2) {
            throw new IllegalArgumentException("folds was " + folds + " but it must be >= 2");
        }
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(embedder.dimension()).analyzer(analyzer).build();
        try {
            List<Document> documents = new ArrayList<>();
            for (CorpusDocument d : corpus) {
                if (!d.indexText().isBlank()) {
                    documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
                }
            }
            Ingestor.builder().embedder(embedder).store(store).splitter(splitter).build().ingest(documents);
            Retriever dense = Retriever.builder().embedder(embedder).store(store).mode(RetrievalMode.DENSE).topK(k).build();
            Retriever keyword = Retriever.builder().store(store).mode(RetrievalMode.KEYWORD).topK(k).build();
            // The candidate depth of a hybrid Retriever with this top-k, so the fused lists are the same.
            int depth = Math.max(4 * k, 40);
            ReciprocalRankFusion rrf = new ReciprocalRankFusion(ReciprocalRankFusion.DEFAULT_K);
            int n = questions.size();
            // found[w][q]: whether weight GRID[w] puts question q's passage in the top k
            boolean[][] found = new boolean[GRID.size()][n];
            int[] fold = new int[n];
            Map<String, Integer> detected = new LinkedHashMap<>();
            for (int q = 0; q < n; q++) {
                QaExample example = questions.get(q);
                Optional<String> language = LanguageDetector.detect(example.question());
                detected.merge(language.orElse("none"), 1, Integer::sum);
                // As the Retriever does: the weight applies only where the query's language is known
                // and not covered; other questions fuse with weight 1 whatever the grid point.
                boolean uncovered = !embedder.languages().isEmpty() && language.isPresent()
                        && !embedder.languages().contains(language.get());
                fold[q] = foldOf(article(example.contextId()), folds);
                List<SearchHit> d = dense.retrieve(example.question(), null, depth);
                List<SearchHit> kw = keyword.retrieve(example.question(), null, depth);
                for (int w = 0; w < GRID.size(); w++) {
                    List<SearchHit> fused = rrf.fuse(List.of(d, kw), List.of(uncovered ? GRID.get(w) : 1.0, 1.0), k);
                    found[w][q] = QaEvaluator.documentRanking(fused).contains(example.contextId());
                }
                if (progress != null && (q + 1) % 1000 == 0) {
                    progress.printf(Locale.ROOT, "scored %d/%d%n", q + 1, n);
                }
            }
            Map<Double, Double> curve = new LinkedHashMap<>();
            for (int w = 0; w < GRID.size(); w++) {
                curve.put(GRID.get(w), recall(found[w], fold, -1, false));
            }
            List<Double> foldWeights = new ArrayList<>();
            List<Double> foldRecalls = new ArrayList<>();
            List<Integer> foldSizes = new ArrayList<>();
            double outOfFoldHits = 0;
            for (int f = 0; f < folds; f++) {
                int bestW = 0;
                double best = -1;
                for (int w = 0; w < GRID.size(); w++) {
                    double r = recall(found[w], fold, f, true);
                    if (r > best) { // ties keep the smaller weight
                        best = r;
                        bestW = w;
                    }
                }
                int size = 0;
                int hits = 0;
                for (int q = 0; q < n; q++) {
                    if (fold[q] == f) {
                        size++;
                        hits += found[bestW][q] ? 1 : 0;
                    }
                }
                foldWeights.add(GRID.get(bestW));
                foldRecalls.add(size == 0 ? Double.NaN : (double) hits / size);
                foldSizes.add(size);
                outOfFoldHits += hits;
            }
            return new Result(curve, foldWeights, foldRecalls, foldSizes, n == 0 ? Double.NaN : outOfFoldHits / n,
                    detected);
        } finally {
            store.close();
        }
    }

    /** Recall over the questions of fold {@code f} (or, with {@code exclude}, of every other fold; f = -1: all). */
    private static double recall(boolean[] found, int[] fold, int f, boolean exclude) {
        int size = 0;
        int hits = 0;
        for (int q = 0; q < found.length; q++) {
            boolean in = f < 0 || (exclude ? fold[q] != f : fold[q] == f);
            if (in) {
                size++;
                hits += found[q] ? 1 : 0;
            }
        }
        return size == 0 ? 0 : (double) hits / size;
    }

    /** {@code piaf-a012-p03} → {@code piaf-a012}: questions on one article share a fold. */
    static String article(String passageId) {
        int p = passageId.lastIndexOf("-p");
        return p > 0 ? passageId.substring(0, p) : passageId;
    }

    static int foldOf(String group, int folds) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(group.getBytes(StandardCharsets.UTF_8));
            return ((h[0] & 0xFF) << 8 | (h[1] & 0xFF)) % folds;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static List<Double> grid() {
        List<Double> g = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            g.add(i / 20.0);
        }
        return List.copyOf(g);
    }
}
