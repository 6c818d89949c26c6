package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Runs a BEIR retrieval evaluation through Ragkit's own components: every corpus document is
 * ingested whole ({@link WholeDocumentSplitter}, text {@code title + " " + text}) by the
 * {@link Ingestor} into a {@link MemoryVectorStore}, every scored query is answered by a
 * {@link Retriever} in the chosen mode, and the run is scored by {@link RetrievalEvaluation}.
 */
public final class BeirEvaluator {
    private BeirEvaluator() {
    }

    /**
     * How to run.
     *
     * @param mode dense, keyword (BM25) or hybrid (RRF of both)
     * @param depth how many documents to retrieve per query (at least 100 keeps recall@100 exact)
     * @param cutoffs the cut-offs to report; {@code depth} bounds the useful ones
     * @param analyzer keyword analysis for the store's BM25 index
     * @param analyzerName its name, for the report
     * @param batchSize documents per embedding batch at ingestion
     * @param rrfK the reciprocal rank fusion constant of hybrid mode
     * @param store the store provider's name ({@code memory}, {@code faiss}, {@code elastic}, ...)
     * @param storeSettings the store's configuration keys without the {@code rag.store.<name>.} prefix
     *     (e.g. {@code url} of a server store); {@code dimension} is set from the embedder
     * @param keywordWeights the proximity and subword weights of Ragkit's BM25 (memory store or sidecar;
     *     {@link KeywordWeights#PLAIN_BM25} for plain BM25, as published BM25 baselines score); stores with text
     *     search of their own ignore them
     */
    public record Settings(RetrievalMode mode, int depth, List<Integer> cutoffs, TextAnalyzer analyzer,
                           String analyzerName, int batchSize, int rrfK, String store,
                           Map<String, String> storeSettings, KeywordWeights keywordWeights) {
        /** Settings on the reference store, {@code memory}. */
        public Settings(RetrievalMode mode, int depth, List<Integer> cutoffs, TextAnalyzer analyzer,
                        String analyzerName, int batchSize, int rrfK) {
            this(mode, depth, cutoffs, analyzer, analyzerName, batchSize, rrfK, "memory");
        }

        /** Settings on {@code store} with its default configuration. */
        public Settings(RetrievalMode mode, int depth, List<Integer> cutoffs, TextAnalyzer analyzer,
                        String analyzerName, int batchSize, int rrfK, String store) {
            this(mode, depth, cutoffs, analyzer, analyzerName, batchSize, rrfK, store, Map.of());
        }

        /** Settings on {@code store} with these keys and Ragkit's default keyword proximity and subwords. */
        public Settings(RetrievalMode mode, int depth, List<Integer> cutoffs, TextAnalyzer analyzer,
                        String analyzerName, int batchSize, int rrfK, String store, Map<String, String> storeSettings) {
            this(mode, depth, cutoffs, analyzer, analyzerName, batchSize, rrfK, store, storeSettings,
                    KeywordWeights.DEFAULTS);
        }

        public Settings {
            Objects.requireNonNull(store, "store");
            storeSettings = Map.copyOf(storeSettings);
            if (storeSettings.containsKey("dimension")) {
                throw new InvalidInputException("store setting dimension was given but the evaluation sets it from"
                        + " the embedder; leave it out");
            }
            if (store.equals("memory") && !storeSettings.isEmpty()) {
                throw new InvalidInputException("store settings " + new TreeSet<>(storeSettings.keySet())
                        + " were given but the memory store takes none here; choose a provider with --store");
            }
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(analyzer, "analyzer");
            cutoffs = List.copyOf(new TreeSet<>(cutoffs));
            if (depth < 1) {
                throw new InvalidInputException("retrieval depth was " + depth + " but it must be >= 1");
            }
            if (batchSize < 1) {
                throw new InvalidInputException("batch size was " + batchSize + " but it must be >= 1");
            }
            if (rrfK < 1) {
                throw new InvalidInputException("RRF k was " + rrfK + " but it must be >= 1");
            }
            Objects.requireNonNull(keywordWeights, "keywordWeights");
        }
    }

    /**
     * The store to evaluate: {@code memory} (exact search, its own BM25 with the chosen analyzer) or
     * any provider on the class path (e.g. {@code faiss}: its default HNSW index, no directory), whose
     * keyword search, when it has none, is core's BM25 sidecar with the same analyzer.
     */
    static VectorStore openStore(Settings settings, int dimension) {
        return openStore(settings.store(), dimension, settings.analyzer(), settings.mode(), settings.storeSettings(),
                settings.keywordWeights());
    }

    /** {@link #openStore(Settings, int)} for callers without evaluation settings, e.g. benchmarks. */
    public static VectorStore openStore(String name, int dimension, TextAnalyzer analyzer, RetrievalMode mode) {
        return openStore(name, dimension, analyzer, mode, Map.of(), KeywordWeights.DEFAULTS);
    }

    private static VectorStore openStore(String name, int dimension, TextAnalyzer analyzer, RetrievalMode mode,
                                         Map<String, String> storeSettings, KeywordWeights keywordWeights) {
        if (name.equals("memory")) {
            return MemoryVectorStore.builder().dimension(dimension).analyzer(analyzer).keywordWeights(keywordWeights)
                    .build();
        }
        Map<String, String> keys = new HashMap<>(storeSettings);
        keys.put("dimension", Integer.toString(dimension));
        VectorStore store = ProviderRegistry.discover().store(name).create(ProviderConfig.of("store", name, keys));
        return mode == RetrievalMode.DENSE ? store : Bm25SidecarStore.wrapIfNeeded(store, analyzer, keywordWeights);
    }

    /**
     * The outcome: the report and the per-query run, for further analysis.
     *
     * @param report metrics, latencies and durations
     * @param scores the metric means and per-query values
     * @param run query id to its retrieved documents in the retriever's order
     */
    public record Outcome(EvalReport report, RetrievalEvaluation.Scores scores, Map<String, List<ScoredDoc>> run) {
    }

    /**
     * Evaluates {@code dataset}.
     *
     * @param embedder the dense model; for {@link RetrievalMode#KEYWORD} pass null (a
     *     {@link ConstantEmbedder} is used so documents still go through ingestion)
     * @param embedderLabel how the embedder is named in the report (e.g. {@code onnx:all-minilm-l6-v2-q})
     * @param progress where to print progress lines (may be null)
     */
    public static Outcome evaluate(BeirDataset dataset, Embedder embedder, String embedderLabel, Settings settings,
                                   PrintStream progress) {
        if (settings.mode() != RetrievalMode.KEYWORD && embedder == null) {
            throw new InvalidInputException("mode " + modeName(settings.mode()) + " needs an embedder");
        }
        Embedder used = embedder == null ? new ConstantEmbedder() : embedder;
        TimingEmbedder timed = new TimingEmbedder(used);
        long start = System.nanoTime();
        VectorStore store = openStore(settings, used.dimension());
        try {
            Ingestor ingestor = Ingestor.builder().embedder(timed).store(store).splitter(new WholeDocumentSplitter())
                    .batchSize(settings.batchSize()).build();
            List<Document> documents = new ArrayList<>(dataset.corpus().size());
            for (CorpusDocument d : dataset.corpus()) {
                if (!d.indexText().isBlank()) {
                    documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
                }
            }
            int[] lastPercent = {-1};
            IngestionReport ingestion = ingestor.ingest(documents, p -> {
                int percent = p.documentsTotal() == 0 ? 100 : (int) (100L * p.documentsDone() / p.documentsTotal());
                if (progress != null && percent / 10 != lastPercent[0] / 10) {
                    lastPercent[0] = percent;
                    progress.printf(Locale.ROOT, "ingest %3d%% (%d/%d documents)%n", percent, p.documentsDone(),
                            p.documentsTotal());
                }
            });
            // As the CLI's ingest ends: a store that merges or persists on flush (e.g. Lucene with
            // compact-on-flush) is searched as it would be served, and the ingest time includes that work.
            store.flush();
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            timed.takeThreadNanos();

            Retriever retriever = Retriever.builder().embedder(timed).store(store).mode(settings.mode())
                    .topK(settings.depth()).rrfK(settings.rrfK()).build();
            List<EvalQuery> queries = dataset.evaluationQueries();
            Map<String, List<ScoredDoc>> run = new LinkedHashMap<>();
            List<Double> retrievalMs = new ArrayList<>(queries.size());
            List<Double> searchMs = new ArrayList<>(queries.size());
            long queriesStart = System.nanoTime();
            for (EvalQuery q : queries) {
                long t0 = System.nanoTime();
                List<SearchHit> hits = retriever.retrieve(q.text(), null, settings.depth());
                long elapsed = System.nanoTime() - t0;
                long inModel = timed.takeThreadNanos();
                retrievalMs.add(elapsed / 1e6);
                searchMs.add((elapsed - inModel) / 1e6);
                run.put(q.id(), toRun(hits, settings.mode()));
            }
            double querySeconds = (System.nanoTime() - queriesStart) / 1e9;

            List<Integer> cutoffs = new ArrayList<>(settings.cutoffs());
            RetrievalEvaluation.Scores scores = RetrievalEvaluation.evaluate(dataset, run, cutoffs);
            EvalReport.Builder report = EvalReport.builder(dataset.name() + "/" + dataset.split() + " "
                            + modeName(settings.mode()) + " " + (settings.mode() == RetrievalMode.KEYWORD ? "analyzer "
                            + settings.analyzerName() : embedderLabel), "beir")
                    .parameter("dataset", dataset.name())
                    .parameter("split", dataset.split())
                    .parameter("mode", modeName(settings.mode()))
                    .parameter("embedder", settings.mode() == RetrievalMode.KEYWORD ? "none" : embedderLabel)
                    .parameter("analyzer", settings.analyzerName())
                    .parameter("proximity_weight", settings.keywordWeights().proximity())
                    .parameter("subword_weight", settings.keywordWeights().subword())
                    .parameter("store", store.name())
                    .parameter("depth", settings.depth())
                    .parameter("rrf_k", settings.rrfK())
                    .parameter("documents", documents.size())
                    .parameter("chunks", store.count())
                    .queries(scores.queries())
                    .retrieval("", scores)
                    .latency("retrieval", retrievalMs)
                    .duration("ingest", ingestSeconds)
                    .duration("queries", querySeconds)
                    .duration("total", (System.nanoTime() - start) / 1e9);
            if (settings.mode() != RetrievalMode.KEYWORD) {
                report.latency("embed", timed.queryMillis()).latency("search", searchMs);
            }
            report.note("ingestion embedded " + ingestion.chunksEmbedded() + " chunks in "
                    + String.format(Locale.ROOT, "%.1f", ingestSeconds) + " s");
            if (dataset.unscoredQueryCount() > 0) {
                report.note(dataset.unscoredQueryCount() + " judged queries have no relevant document and are not scored");
            }
            if (embedder instanceof CachingEmbedder cache) {
                report.note("embedding cache " + cache.file() + ": " + cache.hits() + " hits, " + cache.misses()
                        + " misses");
            }
            return new Outcome(report.build(), scores, run);
        } finally {
            store.close();
        }
    }

    /**
     * Turns hits into a scored run. Dense and keyword hits keep their similarity (so ties are broken
     * as trec_eval breaks them); fused hybrid hits carry the best similarity of their lists, which is
     * not their fused order, so they are scored by rank instead.
     */
    static List<ScoredDoc> toRun(List<SearchHit> hits, RetrievalMode mode) {
        List<ScoredDoc> run = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            double score = mode == RetrievalMode.HYBRID ? hits.size() - i : h.score();
            run.add(new ScoredDoc(h.chunk().documentId(), score));
        }
        return run;
    }

    /** The CLI name of a mode: {@code dense}, {@code bm25} or {@code hybrid}. */
    public static String modeName(RetrievalMode mode) {
        return switch (mode) {
            case DENSE -> "dense";
            case KEYWORD -> "bm25";
            case HYBRID -> "hybrid";
        };
    }

    /** The mode called {@code name} ({@code dense}, {@code bm25} or {@code keyword}, {@code hybrid}). */
    public static RetrievalMode parseMode(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "dense" -> RetrievalMode.DENSE;
            case "bm25", "keyword" -> RetrievalMode.KEYWORD;
            case "hybrid" -> RetrievalMode.HYBRID;
            default -> throw new InvalidInputException("mode was '" + name + "' but it must be dense, bm25 or hybrid");
        };
    }
}
