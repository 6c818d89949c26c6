package dev.ragkit.tools.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.index.IndexLifecycle;
import dev.ragkit.core.index.PromotionGate;
import dev.ragkit.core.index.ReindexReport;
import dev.ragkit.core.index.Rollout;
import dev.ragkit.core.index.RolloutPolicy;
import dev.ragkit.core.index.RolloutRouter;
import dev.ragkit.core.index.RolloutStage;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.eval.LatencyStats;
import dev.ragkit.eval.WholeDocumentSplitter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench rollout}, a latency benchmark (not a test): what a {@link RolloutRouter} adds to a
 * request. Two ready versions of the same synthetic corpus in the memory store (v1 live, v2 the
 * candidate, both embedded with the 384-dimension hash embedder of {@link PipelineBench}), one caller
 * thread sending dense top-5 queries at a steady pace through {@link RolloutRouter#retrieve}, and for
 * each compare share asked, four phases measured one after the other on a fresh rollout:
 *
 * <ol>
 *   <li>{@code no_rollout}: no rollout in the index (the router only reads its cached state);</li>
 *   <li>{@code shadow}: the live version answers, the candidate is searched in the background;</li>
 *   <li>{@code half}: the 50 % stage, half of the routing keys answered by the candidate;</li>
 *   <li>{@code aborted}: the rollout aborted, all traffic back on the live version.</li>
 * </ol>
 *
 * Each phase runs its warm-up queries first, then the measured ones; a pause between phases lets the
 * background comparisons of the previous one finish. The caller is paced (one query, then a pause) because
 * background searches share the CPU with it: unpaced, the queue fills and comparisons are skipped, which
 * would understate their cost. Latencies are wall times, so they include waiting for a core: the JSON
 * records the processors and the load average before and after.
 */
public final class RolloutBench {
    /** The phases of one compare share, in order. */
    static final List<String> PHASES = List.of("no_rollout", "shadow", "half", "aborted");

    private RolloutBench() {
    }

    /**
     * Settings of one run.
     *
     * @param documents documents (one chunk each) in each version
     * @param warmup queries sent before each phase's measured ones
     * @param queries measured queries per phase
     * @param paceMicros pause after each query, in microseconds (0: unpaced)
     * @param settleMillis pause between phases, for the background comparisons to finish
     * @param compareShares the {@link RolloutPolicy#compareShare()} values measured, each on its own rollout
     * @param seed chooses the documents' and queries' words
     */
    public record Settings(int documents, int warmup, int queries, int paceMicros, int settleMillis,
                           List<Double> compareShares, long seed) {
        public Settings {
            compareShares = List.copyOf(compareShares);
            if (documents < 1 || queries < 1 || warmup < 0 || paceMicros < 0 || settleMillis < 0
                    || compareShares.isEmpty()
                    || compareShares.stream().anyMatch(share -> !(share >= 0 && share <= 1))) {
                throw new IllegalArgumentException("rollout bench settings out of range: " + documents
                        + " documents, " + queries + " queries, " + warmup + " warm-up, pace " + paceMicros
                        + " us, settle " + settleMillis + " ms, compare shares " + compareShares
                        + " (each between 0 and 1)");
            }
        }
    }

    /**
     * What one run measured.
     *
     * @param latencies per compare share (as written, e.g. {@code "1.0"}), per phase
     * @param json every figure and setting, as written to the result file
     */
    public record Result(Map<String, Map<String, LatencyStats>> latencies, String json) {
    }

    /**
     * Builds the two versions in a temporary directory (deleted afterwards), measures, and prints a table to
     * {@code out}.
     */
    public static Result run(Settings settings, PrintStream out) {
        Path work;
        try {
            work = Files.createTempDirectory("ragkit-rollout-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the rollout bench", e);
        }
        try {
            return run(settings, work, out);
        } finally {
            delete(work);
        }
    }

    private static Result run(Settings settings, Path work, PrintStream out) {
        List<Document> documents = documents(settings.documents(), settings.seed());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("store", "memory");
        params.put("versions", 2);
        params.put("documents_per_version", documents.size());
        params.put("dimension", new PipelineBench.HashEmbedder().dimension());
        params.put("mode", "dense");
        params.put("top_k", 5);
        params.put("warmup_queries_per_phase", settings.warmup());
        params.put("measured_queries_per_phase", settings.queries());
        params.put("pause_after_each_query_us", settings.paceMicros());
        params.put("settle_between_phases_ms", settings.settleMillis());
        params.put("stages", "shadow,0.5");
        params.put("processors", Runtime.getRuntime().availableProcessors());
        params.put("java", System.getProperty("java.version"));
        params.put("load_average_before", loadAverage());

        Map<String, Map<String, LatencyStats>> latencies = new LinkedHashMap<>();
        PipelineBench.HashEmbedder embedder = new PipelineBench.HashEmbedder();
        ProviderConfig config = new ProviderConfig(ComponentKind.STORE.configSegment(), "memory",
                Map.of("rag.store.memory.directory", work.toString()));
        try (VersionedIndex index = ProviderRegistry.discover().store("memory").versioned(config).orElseThrow(() ->
                new RagConfigurationException("the memory store keeps no versions"))) {
            IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(info -> embedder).build();
            out.printf(Locale.ROOT, "building v1 and v2: %d documents each%n", documents.size());
            ReindexReport v1 = lifecycle.reindex(loader(documents), embedder, new WholeDocumentSplitter(),
                    IngestionListener.NONE);
            lifecycle.promote(v1.version().number(), PromotionGate.none());
            ReindexReport v2 = lifecycle.reindex(loader(documents), embedder, new WholeDocumentSplitter(),
                    IngestionListener.NONE);
            int candidate = v2.version().number();
            Random words = new Random(settings.seed() + 1);
            try (VectorStore live = index.openLive()) {
                Retriever retriever = Retriever.builder().embedder(embedder).store(live).mode(RetrievalMode.DENSE)
                        .topK(5).build();
                for (double share : settings.compareShares()) {
                    latencies.put(Double.toString(share),
                            measureShare(index, retriever, embedder, candidate, share, settings, words, out));
                }
            }
        }
        params.put("load_average_after", loadAverage());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("parameters", params);
        Map<String, Object> byShare = new LinkedHashMap<>();
        latencies.forEach((share, phases) -> {
            Map<String, Object> byPhase = new LinkedHashMap<>();
            phases.forEach((phase, s) -> byPhase.put(phase, Map.of("queries", s.count(), "p50_ms", s.p50Ms(),
                    "p95_ms", s.p95Ms(), "p99_ms", s.p99Ms(), "mean_ms", s.meanMs())));
            byShare.put(share, byPhase);
        });
        json.put("latency_by_compare_share", byShare);
        try {
            return new Result(latencies, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the figures could not be written as JSON", e);
        }
    }

    /** The four phases on a fresh rollout of {@code candidate}, with a router comparing {@code share} of the queries. */
    private static Map<String, LatencyStats> measureShare(VersionedIndex index, Retriever retriever,
                                                          PipelineBench.HashEmbedder embedder, int candidate,
                                                          double share, Settings settings, Random words,
                                                          PrintStream out) {
        // The seeds' limits, manual advance: the bench drives the stages itself.
        RolloutPolicy policy = new RolloutPolicy(RolloutPolicy.DEFAULT_MAX_ERROR_RATE,
                RolloutPolicy.DEFAULT_MIN_AGREEMENT, RolloutPolicy.DEFAULT_MIN_QUERIES, share, 0);
        Map<String, LatencyStats> phases = new LinkedHashMap<>();
        Rollout rollout = Rollout.builder(index).build();
        try (RolloutRouter router = RolloutRouter.builder(index, retriever, info -> embedder).policy(policy).build()) {
            phases.put("no_rollout", phase(router, settings, words));
            rollout.start(candidate, RolloutStage.parseList("shadow,0.5"));
            router.refresh(); // opens the candidate now rather than on a later query
            phases.put("shadow", phase(router, settings, words));
            rollout.advance();
            router.refresh();
            phases.put("half", phase(router, settings, words));
            out.println(router.figures().map(f -> "  " + f.summary()).orElse("  no figures"));
            rollout.abort("rollout bench: phase over");
            router.refresh();
            phases.put("aborted", phase(router, settings, words));
        }
        phases.forEach((phase, s) -> out.printf(Locale.ROOT,
                "compare-share %-4s %-11s p50 %6.2f ms  p95 %6.2f ms  (%d queries)%n", share, phase, s.p50Ms(),
                s.p95Ms(), s.count()));
        return phases;
    }

    /** Warm-up, measured queries, then the settle pause; each query has its own routing key. */
    private static LatencyStats phase(RolloutRouter router, Settings settings, Random words) {
        for (int i = 0; i < settings.warmup(); i++) {
            router.retrieve(query(words), null, 5, "warmup-" + i, null);
            pause(settings.paceMicros() * 1_000L);
        }
        List<Double> millis = new ArrayList<>(settings.queries());
        for (int i = 0; i < settings.queries(); i++) {
            String query = query(words);
            long start = System.nanoTime();
            router.retrieve(query, null, 5, "user-" + i, null);
            millis.add((System.nanoTime() - start) / 1e6);
            pause(settings.paceMicros() * 1_000L);
        }
        pause(settings.settleMillis() * 1_000_000L);
        return LatencyStats.ofMillis(millis);
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    static String query(Random words) {
        return "w" + words.nextInt(5000) + " w" + words.nextInt(5000);
    }

    /** {@code count} documents of 30 words drawn from a 5,000-word vocabulary. */
    static List<Document> documents(int count, long seed) {
        Random random = new Random(seed);
        List<Document> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 30; w++) {
                text.append('w').append(random.nextInt(5000)).append(' ');
            }
            documents.add(new Document("d" + i, text.toString().strip()));
        }
        return documents;
    }

    static DocumentLoader loader(List<Document> documents) {
        return DocumentLoader.of("bench:rollout", sink -> documents.forEach(sink::document));
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static void delete(Path directory) {
        try (var paths = Files.walk(directory)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the rollout bench's directory " + directory, e);
        }
    }
}
