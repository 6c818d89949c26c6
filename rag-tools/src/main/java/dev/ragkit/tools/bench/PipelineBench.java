package dev.ragkit.tools.bench;

import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.eval.BeirEvaluator;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CorpusDocument;
import dev.ragkit.eval.EvalQuery;
import dev.ragkit.eval.LatencyStats;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code bench pipeline}: the cost of Ragkit's own work in {@link RagPipeline#ask(String)} with the
 * model calls taken out. The corpus (SciFact by default) is chunked and indexed with a stand-in
 * embedder whose vectors are derived from a hash of the text (so no model runs), the language model
 * is a stub that answers at once, and each question's wall-clock time minus the time spent inside
 * the embedder and the stub is its overhead: guards, retrieval (exact vector search and BM25 over
 * the real corpus), fusion, prompt building, citations and instrumentation. The time in the store's
 * search is also reported apart, so orchestration alone can be read.
 */
public final class PipelineBench {
    private static final int DIMENSION = 384;

    private PipelineBench() {
    }

    /**
     * Settings.
     *
     * @param data a BEIR folder ({@code corpus.jsonl}, {@code queries.jsonl})
     * @param questions questions measured
     * @param warmup questions asked before measuring (JIT warm-up)
     * @param mode retrieval mode
     * @param k chunks retrieved per question
     * @param store the store provider searched ({@code memory} or e.g. {@code faiss})
     */
    public record Settings(Path data, int questions, int warmup, RetrievalMode mode, int k, String store) {
        /** Settings on the memory store. */
        public Settings(Path data, int questions, int warmup, RetrievalMode mode, int k) {
            this(data, questions, warmup, mode, k, "memory");
        }
    }

    /**
     * The measurement.
     *
     * @param overhead per-question time minus model calls
     * @param orchestration overhead minus the store's search time
     * @param search time inside the store's search
     * @param total per-question wall-clock time including the stand-in model calls
     * @param overheadCpu the overhead in CPU time of the asking thread (the pipeline is single-threaded), which
     *     other processes on a shared machine do not inflate
     * @param chunks chunks in the index
     * @param settings how it was run
     */
    public record Result(LatencyStats overhead, LatencyStats orchestration, LatencyStats search, LatencyStats total,
                         LatencyStats overheadCpu, long chunks, Settings settings) {
        /** The result as a JSON object. */
        public String json() {
            return String.format(Locale.ROOT, "{\n  \"benchmark\": \"pipeline\",\n  \"data\": \"%s\",\n"
                            + "  \"questions\": %d,\n  \"warmup\": %d,\n  \"mode\": \"%s\",\n  \"k\": %d,\n  \"store\": \"%s\",\n  \"chunks\": %d,\n"
                            + "  \"overhead_ms\": %s,\n  \"orchestration_ms\": %s,\n  \"store_search_ms\": %s,\n"
                            + "  \"total_ms\": %s,\n  \"overhead_cpu_ms\": %s,\n  \"pipeline_overhead_p95_ms\": %.3f,\n  \"cores\": %d,\n  \"java\": \"%s\"\n}",
                    Json.escape(settings.data().toString()), settings.questions(), settings.warmup(),
                    BeirEvaluator.modeName(settings.mode()), settings.k(), Json.escape(settings.store()), chunks, stats(overhead),
                    stats(orchestration), stats(search), stats(total), stats(overheadCpu), overhead.p95Ms(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        }

        private static String stats(LatencyStats s) {
            return String.format(Locale.ROOT, "{\"p50\": %.4f, \"p95\": %.4f, \"p99\": %.4f, \"mean\": %.4f, \"max\": %.4f}",
                    s.p50Ms(), s.p95Ms(), s.p99Ms(), s.meanMs(), s.maxMs());
        }
    }

    /** Indexes the corpus, asks the questions and measures. */
    public static Result run(Settings settings, PrintStream out) {
        List<CorpusDocument> corpus = BeirLoader.loadCorpus(settings.data().resolve("corpus.jsonl"));
        List<EvalQuery> queries = new ArrayList<>(BeirLoader.loadQueries(settings.data().resolve("queries.jsonl")).values());
        List<Document> documents = new ArrayList<>();
        for (CorpusDocument d : corpus) {
            if (!d.indexText().isBlank()) {
                documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
            }
        }
        HashEmbedder embedder = new HashEmbedder();
        StubLlm llm = new StubLlm();
        TimedStore store = new TimedStore(BeirEvaluator.openStore(settings.store(), DIMENSION,
                TextAnalyzer.frenchEnglish(), settings.mode()));
        Ingestor.builder().embedder(embedder).store(store).splitter(RecursiveSplitter.of(1000, 150)).build()
                .ingest(documents);
        Retriever retriever = Retriever.builder().embedder(embedder).store(store).mode(settings.mode())
                .topK(settings.k()).build();
        RagPipeline pipeline = RagPipeline.builder().retriever(retriever).llm(llm).build();
        out.printf(Locale.ROOT, "bench pipeline: %d chunks, %d questions (+%d warm-up), mode %s, k %d, store %s%n",
                store.count(), settings.questions(), settings.warmup(), BeirEvaluator.modeName(settings.mode()),
                settings.k(), settings.store());

        for (int i = 0; i < settings.warmup(); i++) {
            ask(pipeline, queries.get(i % queries.size()).text(), embedder, llm, store);
        }
        List<Double> overhead = new ArrayList<>();
        List<Double> orchestration = new ArrayList<>();
        List<Double> search = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < settings.questions(); i++) {
            double[] m = ask(pipeline, queries.get(i % queries.size()).text(), embedder, llm, store);
            total.add(m[0]);
            overhead.add(m[1]);
            search.add(m[2]);
            orchestration.add(m[1] - m[2]);
            cpu.add(m[3]);
        }
        Result result = new Result(LatencyStats.ofMillis(overhead), LatencyStats.ofMillis(orchestration),
                LatencyStats.ofMillis(search), LatencyStats.ofMillis(total), LatencyStats.ofMillis(cpu), store.count(), settings);
        out.printf(Locale.ROOT, "  overhead (all but model calls) p50=%.3f ms p95=%.3f ms p99=%.3f ms%n",
                result.overhead().p50Ms(), result.overhead().p95Ms(), result.overhead().p99Ms());
        out.printf(Locale.ROOT, "  overhead in thread CPU time    p50=%.3f ms p95=%.3f ms p99=%.3f ms%n",
                result.overheadCpu().p50Ms(), result.overheadCpu().p95Ms(), result.overheadCpu().p99Ms());
        out.printf(Locale.ROOT, "  of which store search          p50=%.3f ms p95=%.3f ms%n",
                result.search().p50Ms(), result.search().p95Ms());
        out.printf(Locale.ROOT, "  orchestration (no search)      p50=%.3f ms p95=%.3f ms%n",
                result.orchestration().p50Ms(), result.orchestration().p95Ms());
        store.close();
        return result;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Asks once; returns {total, overhead, search, overhead in CPU time} in milliseconds. */
    private static double[] ask(RagPipeline pipeline, String question, HashEmbedder embedder, StubLlm llm,
                                TimedStore store) {
        embedder.nanos = 0;
        llm.nanos = 0;
        store.nanos = 0;
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Answer answer = pipeline.ask(question);
        long elapsed = System.nanoTime() - t0;
        long cpu = THREADS.getCurrentThreadCpuTime() - c0;
        if (answer.text() == null) {
            throw new IllegalStateException("the pipeline returned no text for '" + question + "'");
        }
        long overhead = elapsed - embedder.nanos - llm.nanos;
        // the stand-ins' wall time bounds their CPU time, so this slightly under-states the CPU overhead
        long cpuOverhead = Math.max(0, cpu - embedder.nanos - llm.nanos);
        return new double[] {elapsed / 1e6, overhead / 1e6, store.nanos / 1e6, cpuOverhead / 1e6};
    }

    /**
     * Unit vectors drawn from a generator seeded by the text, so equal texts get equal vectors and
     * nothing is learned. Single-threaded use only (the benchmark asks one question at a time).
     */
    static final class HashEmbedder implements Embedder {
        long nanos;

        @Override
        public String id() {
            return "hash:" + DIMENSION;
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            texts.forEach(t -> out.add(vector(t)));
            return out;
        }

        @Override
        public float[] embedQuery(String query) {
            long t0 = System.nanoTime();
            float[] v = vector(query);
            nanos += System.nanoTime() - t0;
            return v;
        }

        static float[] vector(String text) {
            long seed = 1125899906842597L;
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                seed = 31 * seed + b;
            }
            SplittableRandom random = new SplittableRandom(seed);
            float[] v = new float[DIMENSION];
            double norm = 0;
            for (int i = 0; i < DIMENSION; i++) {
                v[i] = (float) (random.nextDouble() * 2 - 1);
                norm += v[i] * v[i];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < DIMENSION; i++) {
                v[i] *= inv;
            }
            return v;
        }
    }

    /** A language model that answers at once with the first source cited. */
    static final class StubLlm implements LlmClient {
        long nanos;

        @Override
        public String id() {
            return "stub:instant";
        }

        @Override
        public Generation generate(LlmRequest request) {
            long t0 = System.nanoTime();
            Generation g = new Generation("The sources say so [1].", new TokenUsage(100, 6), "instant");
            nanos += System.nanoTime() - t0;
            return g;
        }

        @Override
        public Generation stream(LlmRequest request, Consumer<String> onToken) {
            Generation g = generate(request);
            onToken.accept(g.text());
            return g;
        }
    }

    /** Times the wrapped store's searches. */
    static final class TimedStore extends ForwardingVectorStore {
        long nanos;

        TimedStore(VectorStore delegate) {
            super(delegate);
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            long t0 = System.nanoTime();
            try {
                return super.search(request);
            } finally {
                nanos += System.nanoTime() - t0;
            }
        }

    }
}
