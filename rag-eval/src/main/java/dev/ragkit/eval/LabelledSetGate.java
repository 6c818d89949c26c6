package dev.ragkit.eval;

import dev.ragkit.core.index.GateVerdict;
import dev.ragkit.core.index.PromotionCandidate;
import dev.ragkit.core.index.PromotionGate;
import dev.ragkit.core.index.VersionSearcher;
import dev.ragkit.core.model.SearchHit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A {@link PromotionGate} on a labelled query set: the candidate version must reach nDCG@10 and
 * recall@k thresholds on judged queries (BEIR qrels), scored exactly as {@link RetrievalEvaluation}
 * scores an evaluation, and must not fall more than {@link Builder#maxDrop} below the live version's
 * nDCG@10. Both versions are searched (dense, each with its own embedder) and both figures are
 * reported, so a refusal says how far off the candidate is.
 *
 * <pre>{@code
 * PromotionGate gate = LabelledSetGate.fromBeirDirectory(Path.of("data/scifact"), "test")
 *         .minNdcgAt10(0.6).build();
 * PromotionResult result = lifecycle.promote(2, gate);
 * }</pre>
 */
public final class LabelledSetGate implements PromotionGate {
    /** Default of {@link Builder#maxDrop}: the candidate may lose at most 0.01 nDCG@10 to the live version. */
    public static final double DEFAULT_MAX_DROP = 0.01;

    private final List<EvalQuery> queries;
    private final Qrels qrels;
    private final int recallK;
    private final int depth;
    private final OptionalDouble minNdcg;
    private final OptionalDouble minRecall;
    private final double maxDrop;

    private LabelledSetGate(Builder b) {
        this.queries = b.queries;
        this.qrels = b.qrels;
        this.recallK = b.recallK;
        this.depth = Math.max(b.recallK, 10);
        this.minNdcg = b.minNdcg;
        this.minRecall = b.minRecall;
        this.maxDrop = b.maxDrop;
    }

    /** A gate on these queries judged by {@code qrels}; queries with no relevant judgment are left out. */
    public static Builder builder(List<EvalQuery> queries, Qrels qrels) {
        return new Builder(queries, qrels);
    }

    /**
     * A gate on a BEIR folder: {@code queries.jsonl} and {@code qrels/<split>.tsv} (the corpus is not
     * read).
     */
    public static Builder fromBeirDirectory(Path dir, String split) {
        Qrels qrels = BeirLoader.loadQrels(dir.resolve("qrels").resolve(split + ".tsv"));
        Map<String, EvalQuery> all = BeirLoader.loadQueries(dir.resolve("queries.jsonl"));
        List<EvalQuery> judged = new ArrayList<>();
        for (String id : qrels.queryIds()) {
            EvalQuery q = all.get(id);
            if (q == null) {
                throw new dev.ragkit.core.InvalidInputException(dir.resolve("qrels").resolve(split + ".tsv")
                        + " judges query '" + id + "' that " + dir.resolve("queries.jsonl") + " does not hold");
            }
            judged.add(q);
        }
        return builder(judged, qrels);
    }

    /** Settings of a {@link LabelledSetGate}. */
    public static final class Builder {
        private final List<EvalQuery> queries;
        private final Qrels qrels;
        private int recallK = 10;
        private OptionalDouble minNdcg = OptionalDouble.empty();
        private OptionalDouble minRecall = OptionalDouble.empty();
        private double maxDrop = DEFAULT_MAX_DROP;

        private Builder(List<EvalQuery> queries, Qrels qrels) {
            this.qrels = Objects.requireNonNull(qrels, "qrels");
            this.queries = queries.stream().filter(q -> qrels.relevantCount(q.id()) > 0).toList();
        }

        /** The candidate's nDCG@10 below which it is refused; none by default. */
        public Builder minNdcgAt10(double min) {
            this.minNdcg = OptionalDouble.of(min);
            return this;
        }

        /** The candidate's recall@k below which it is refused; none by default. */
        public Builder minRecall(int k, double min) {
            this.recallK = k;
            this.minRecall = OptionalDouble.of(min);
            return this;
        }

        /**
         * How much nDCG@10 the candidate may lose against the live version, {@value #DEFAULT_MAX_DROP} by
         * default; 1 disables the comparison.
         */
        public Builder maxDrop(double maxDrop) {
            this.maxDrop = maxDrop;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting */
        public LabelledSetGate build() {
            if (queries.isEmpty()) {
                throw new IllegalArgumentException("a labelled-set gate needs at least one query with a relevant"
                        + " judgment");
            }
            if (recallK < 1) {
                throw new IllegalArgumentException("labelled-set gate recall k was " + recallK + " but it must be >= 1");
            }
            for (OptionalDouble min : List.of(minNdcg, minRecall)) {
                if (min.isPresent() && !(min.getAsDouble() >= 0 && min.getAsDouble() <= 1)) {
                    throw new IllegalArgumentException("labelled-set gate threshold was " + min.getAsDouble()
                            + " but it must be in [0, 1]");
                }
            }
            if (!(maxDrop >= 0 && maxDrop <= 1)) {
                throw new IllegalArgumentException("labelled-set gate maxDrop was " + maxDrop + " but it must be in [0, 1]");
            }
            return new LabelledSetGate(this);
        }
    }

    @Override
    public GateVerdict evaluate(PromotionCandidate candidate) {
        String recallName = "recall@" + recallK;
        RetrievalEvaluation.Scores mine = score(candidate.candidate());
        double ndcg = mine.mean(RetrievalMetric.NDCG, 10);
        double recall = mine.mean(RetrievalMetric.RECALL, recallK);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("ndcg@10", ndcg);
        figures.put(recallName, recall);
        List<String> failures = new ArrayList<>();
        if (minNdcg.isPresent()) {
            figures.put("min-ndcg@10", minNdcg.getAsDouble());
            if (ndcg < minNdcg.getAsDouble()) {
                failures.add(String.format(Locale.ROOT, "nDCG@10 %.4f is below the threshold %.4f", ndcg,
                        minNdcg.getAsDouble()));
            }
        }
        if (minRecall.isPresent()) {
            figures.put("min-" + recallName, minRecall.getAsDouble());
            if (recall < minRecall.getAsDouble()) {
                failures.add(String.format(Locale.ROOT, "%s %.4f is below the threshold %.4f", recallName, recall,
                        minRecall.getAsDouble()));
            }
        }
        if (candidate.live().isPresent()) {
            RetrievalEvaluation.Scores live = score(candidate.live().get());
            double liveNdcg = live.mean(RetrievalMetric.NDCG, 10);
            figures.put("live-ndcg@10", liveNdcg);
            figures.put("live-" + recallName, live.mean(RetrievalMetric.RECALL, recallK));
            if (ndcg < liveNdcg - maxDrop) {
                failures.add(String.format(Locale.ROOT, "nDCG@10 %.4f is more than %.4f below the live %s's %.4f",
                        ndcg, maxDrop, candidate.live().get().version().label(), liveNdcg));
            }
        }
        figures.put("queries", (double) queries.size());
        String label = candidate.candidateVersion().label();
        String explanation = failures.isEmpty()
                ? label + " meets every threshold on " + queries.size() + " judged queries"
                : label + ": " + String.join("; ", failures);
        return new GateVerdict("labelled-set", failures.isEmpty(), figures, explanation);
    }

    /** Searches every judged query in one version and scores the run. */
    private RetrievalEvaluation.Scores score(VersionSearcher searcher) {
        Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (EvalQuery q : queries) {
            List<ScoredDoc> docs = new ArrayList<>();
            for (SearchHit hit : searcher.search(q.text(), depth)) {
                docs.add(new ScoredDoc(hit.chunk().documentId(), hit.score()));
            }
            run.put(q.id(), docs);
            ids.add(q.id());
        }
        return RetrievalEvaluation.evaluate(qrels, ids, run, List.of(10, recallK));
    }
}
