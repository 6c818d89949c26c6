package dev.ragkit.tools.bench;

import dev.ragkit.cache.redis.RedisCacheBackend;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.cache.CacheBackend;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.cache.CacheRegion;
import dev.ragkit.core.cache.LocalCacheBackend;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.eval.BeirEvaluator;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CorpusDocument;
import dev.ragkit.eval.EvalQuery;
import dev.ragkit.eval.LatencyStats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code bench pipeline --cache memory|redis}: {@link RagPipeline#ask(String)} with and without the query
 * caches, in one run, on a query log with repeats: the BEIR queries (SciFact's 1,109 by default) ranked in a
 * seeded random order and sampled with a Zipf distribution (P(rank r) proportional to 1/r^s), as a production
 * log of popular and rare questions looks. The two pipelines share the store and alternate question by
 * question, so that both see the same machine load; the cached one starts empty, so its cold misses count.
 *
 * <p>As in {@code bench pipeline}, the embedder is the hash stand-in and the language model answers at once:
 * the figures are Ragkit's own work plus the store's search. With a real embedding model the cache also saves
 * the model's time on every embedding hit.
 */
public final class CachePipelineBench {
    private CachePipelineBench() {
    }

    /**
     * Settings.
     *
     * @param data a BEIR folder
     * @param questions questions asked of each pipeline (the log's length)
     * @param warmup questions asked of each before measuring (with a throwaway cache)
     * @param zipf the Zipf exponent s
     * @param seed the seed of the ranking and the sampling
     * @param mode retrieval mode
     * @param k chunks retrieved per question
     * @param store the store provider
     * @param cache {@code memory} or {@code redis}
     * @param redisUrl the Redis URL for {@code redis}
     */
    public record Settings(Path data, int questions, int warmup, double zipf, long seed, RetrievalMode mode, int k,
                           String store, String cache, String redisUrl) {
    }

    /**
     * The measurement.
     *
     * @param uncached per-question wall time without caches
     * @param cached per-question wall time with caches
     * @param resultHitRatio retrieval-result lookups served from the cache
     * @param embeddingHitRatio query-embedding lookups served from the cache
     * @param distinctQuestions distinct questions in the log
     * @param chunks chunks in the index
     * @param settings how it was run
     */
    public record Result(LatencyStats uncached, LatencyStats cached, double resultHitRatio, double embeddingHitRatio,
                         int distinctQuestions, long chunks, Settings settings) {
        /** The result as a JSON object. */
        public String json() {
            return String.format(Locale.ROOT, "{\n  \"benchmark\": \"pipeline-cache\",\n  \"data\": \"%s\",\n"
                            + "  \"questions\": %d,\n  \"distinct_questions\": %d,\n  \"zipf_s\": %.2f,\n  \"seed\": %d,\n"
                            + "  \"warmup\": %d,\n  \"mode\": \"%s\",\n  \"k\": %d,\n  \"store\": \"%s\",\n  \"cache\": \"%s\",\n"
                            + "  \"chunks\": %d,\n  \"result_hit_ratio\": %.4f,\n  \"embedding_hit_ratio\": %.4f,\n"
                            + "  \"without_cache_ms\": %s,\n  \"with_cache_ms\": %s,\n  \"cores\": %d,\n  \"java\": \"%s\"\n}",
                    Json.escape(settings.data().toString()), settings.questions(), distinctQuestions, settings.zipf(),
                    settings.seed(), settings.warmup(), BeirEvaluator.modeName(settings.mode()), settings.k(),
                    Json.escape(settings.store()), Json.escape(settings.cache()), chunks, resultHitRatio, embeddingHitRatio,
                    stats(uncached), stats(cached), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }

        private static String stats(LatencyStats s) {
            return String.format(Locale.ROOT, "{\"p50\": %.4f, \"p95\": %.4f, \"p99\": %.4f, \"mean\": %.4f, \"max\": %.4f}",
                    s.p50Ms(), s.p95Ms(), s.p99Ms(), s.meanMs(), s.maxMs());
        }
    }

    /** Indexes the corpus, asks the Zipf-sampled log of both pipelines and measures. */
    public static Result run(Settings settings, PrintStream out) {
        List<CorpusDocument> corpus = BeirLoader.loadCorpus(settings.data().resolve("corpus.jsonl"));
        List<String> queries = new ArrayList<>();
        for (EvalQuery q : BeirLoader.loadQueries(settings.data().resolve("queries.jsonl")).values()) {
            queries.add(q.text());
        }
        List<Document> documents = new ArrayList<>();
        for (CorpusDocument d : corpus) {
            if (!d.indexText().isBlank()) {
                documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
            }
        }
        PipelineBench.HashEmbedder embedder = new PipelineBench.HashEmbedder();
        PipelineBench.StubLlm llm = new PipelineBench.StubLlm();
        Random random = new Random(settings.seed());
        Collections.shuffle(queries, random); // the ranking: which question is the most asked
        List<String> log = zipfLog(queries, settings.questions(), settings.zipf(), random);
        List<String> warmupLog = zipfLog(queries, settings.warmup(), settings.zipf(), new Random(settings.seed() + 1));

        try (VectorStore store = BeirEvaluator.openStore(settings.store(), embedder.dimension(), TextAnalyzer.frenchEnglish(),
                settings.mode())) {
            Ingestor.builder().embedder(embedder).store(store).splitter(RecursiveSplitter.of(1000, 150)).build()
                    .ingest(documents);
            RagPipeline plain = pipeline(embedder, store, llm, settings, null);
            try (QueryCaches throwaway = caches(settings)) {
                RagPipeline warm = pipeline(embedder, store, llm, settings, throwaway);
                for (String q : warmupLog) {
                    ask(plain, q);
                    ask(warm, q);
                }
            }
            out.printf(Locale.ROOT, "bench pipeline (caches): %d chunks, %d questions (%d distinct, Zipf s=%.2f) per pipeline,"
                            + " +%d warm-up, mode %s, k %d, store %s, cache %s%n", store.count(), log.size(),
                    log.stream().distinct().count(), settings.zipf(), settings.warmup(),
                    BeirEvaluator.modeName(settings.mode()), settings.k(), settings.store(), settings.cache());
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            try (QueryCaches caches = caches(settings)) {
                RagPipeline cached = pipeline(embedder, store, llm, settings, caches);
                for (int i = 0; i < log.size(); i++) {
                    String q = log.get(i);
                    // alternate which goes first, so neither always runs on the other's warm CPU caches
                    if (i % 2 == 0) {
                        without.add(ask(plain, q));
                        with.add(ask(cached, q));
                    } else {
                        with.add(ask(cached, q));
                        without.add(ask(plain, q));
                    }
                }
                if (caches.errors() > 0) {
                    throw new IllegalStateException("the " + settings.cache() + " cache failed " + caches.errors()
                            + " times during the run; its figures would not be the cache's");
                }
                Result result = new Result(LatencyStats.ofMillis(without), LatencyStats.ofMillis(with),
                        caches.hitRatio(CacheRegion.RESULTS), caches.hitRatio(CacheRegion.EMBEDDINGS),
                        (int) log.stream().distinct().count(), store.count(), settings);
                out.printf(Locale.ROOT, "  hit ratio: results %.3f, query embeddings %.3f%n", result.resultHitRatio(),
                        result.embeddingHitRatio());
                out.printf(Locale.ROOT, "  without cache  p50=%.3f ms p95=%.3f ms p99=%.3f ms%n", result.uncached().p50Ms(),
                        result.uncached().p95Ms(), result.uncached().p99Ms());
                out.printf(Locale.ROOT, "  with cache     p50=%.3f ms p95=%.3f ms p99=%.3f ms%n", result.cached().p50Ms(),
                        result.cached().p95Ms(), result.cached().p99Ms());
                return result;
            }
        }
    }

    /** {@code n} questions drawn from {@code ranked} with P(rank r) proportional to 1/r^s. */
    static List<String> zipfLog(List<String> ranked, int n, double s, Random random) {
        double[] cumulative = new double[ranked.size()];
        double total = 0;
        for (int r = 0; r < ranked.size(); r++) {
            total += 1 / Math.pow(r + 1, s);
            cumulative[r] = total;
        }
        List<String> log = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * total;
            int index = java.util.Arrays.binarySearch(cumulative, u);
            log.add(ranked.get(index >= 0 ? index : Math.min(ranked.size() - 1, -index - 1)));
        }
        return log;
    }

    private static QueryCaches caches(Settings settings) {
        CacheBackend backend = switch (settings.cache()) {
            case "memory" -> new LocalCacheBackend(CacheLimits.DEFAULTS);
            // a fresh key prefix: entries of an earlier run must not count as this run's hits
            case "redis" -> RedisCacheBackend.builder().url(settings.redisUrl())
                    .keyPrefix("ragkit:bench:" + UUID.randomUUID()).build();
            default -> throw new IllegalArgumentException("--cache was '" + settings.cache() + "' but it must be memory or redis");
        };
        return QueryCaches.of(backend);
    }

    private static RagPipeline pipeline(PipelineBench.HashEmbedder embedder, VectorStore store, PipelineBench.StubLlm llm,
                                        Settings settings, QueryCaches caches) {
        Retriever retriever = Retriever.builder().embedder(embedder).store(store).mode(settings.mode()).topK(settings.k())
                .caches(caches).build();
        return RagPipeline.builder().retriever(retriever).llm(llm).build();
    }

    private static double ask(RagPipeline pipeline, String question) {
        long t0 = System.nanoTime();
        Answer answer = pipeline.ask(question);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (answer.text() == null) {
            throw new IllegalStateException("the pipeline returned no text for '" + question + "'");
        }
        return ms;
    }
}
