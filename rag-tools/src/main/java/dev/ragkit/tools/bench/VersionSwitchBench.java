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
import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.eval.LatencyStats;
import dev.ragkit.eval.WholeDocumentSplitter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench versions}, a benchmark (not a test) of switching the live version of a versioned index
 * while it serves: two ready versions of the same synthetic corpus in the memory store's versioned
 * directory, one handle that promotes (the writer) and another, read-only handle that serves searches
 * through a {@link LiveVersionStore}, as a host beside {@code ./ragkit index promote} would. It measures:
 *
 * <ol>
 *   <li>{@code promote}: the time of {@link VersionedIndex#promote} alone (catalog written to a temporary
 *       file, forced, renamed over the old one, directory forced), alternating between the two versions;</li>
 *   <li>{@code notice}: after a promote on the writer, how long until the serving handle answers from the
 *       promoted version (its refresh interval, plus opening that version in the background);</li>
 *   <li>{@code steady} and {@code switching}: searches answered by reader threads in a fixed window without
 *       promotes, then with a promote every {@link Settings#promoteEvery}: how many, how many failed or came
 *       back empty (the claim is none).</li>
 * </ol>
 *
 * Wall times on whatever else the machine runs: the JSON records processors and load averages.
 */
public final class VersionSwitchBench {
    private VersionSwitchBench() {
    }

    /**
     * Settings of one run.
     *
     * @param documents documents (one chunk each) in each version
     * @param promotes promotes timed for {@code promote}
     * @param switches promotes observed from the serving handle for {@code notice}
     * @param refresh the serving handle's {@code live-refresh}
     * @param readers search threads of {@code steady} and {@code switching}
     * @param window how long each of {@code steady} and {@code switching} runs
     * @param promoteEvery pause between promotes during {@code switching}
     * @param seed chooses the documents' and queries' words
     */
    public record Settings(int documents, int promotes, int switches, Duration refresh, int readers, Duration window,
                           Duration promoteEvery, long seed) {
        public Settings {
            if (documents < 1 || promotes < 1 || switches < 1 || readers < 1 || refresh.isNegative()
                    || window.isNegative() || window.isZero() || promoteEvery.isNegative() || promoteEvery.isZero()) {
                throw new IllegalArgumentException("version-switch bench settings out of range: " + documents
                        + " documents, " + promotes + " promotes, " + switches + " switches, " + readers
                        + " readers, refresh " + refresh + ", window " + window + ", promote every " + promoteEvery);
            }
        }
    }

    /** Searches answered by the readers in one window. */
    public record Window(long searches, long failed, long empty, int promotes) {
    }

    /**
     * What one run measured.
     *
     * @param promote the promote calls' times
     * @param notice for each observed switch, the time from the promote's return to the first search the
     *     serving handle answered from the promoted version
     * @param steady the window without promotes
     * @param switching the window with promotes
     * @param json every figure and setting, as written to the result file
     */
    public record Result(LatencyStats promote, LatencyStats notice, Window steady, Window switching, String json) {
    }

    /** Builds the two versions in a temporary directory (deleted afterwards), measures, prints a summary. */
    public static Result run(Settings settings, PrintStream out) {
        Path work;
        try {
            work = Files.createTempDirectory("ragkit-version-switch-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the version-switch bench", e);
        }
        try {
            return run(settings, work, out);
        } finally {
            RolloutBench.delete(work);
        }
    }

    private static Result run(Settings settings, Path work, PrintStream out) {
        List<Document> documents = RolloutBench.documents(settings.documents(), settings.seed());
        PipelineBench.HashEmbedder embedder = new PipelineBench.HashEmbedder();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("store", "memory (versioned directory)");
        params.put("documents_per_version", documents.size());
        params.put("dimension", embedder.dimension());
        params.put("serving_handle", "read-only, live-refresh " + settings.refresh().toMillis() + " ms");
        params.put("readers", settings.readers());
        params.put("window_ms", settings.window().toMillis());
        params.put("promote_every_ms", settings.promoteEvery().toMillis());
        params.put("processors", Runtime.getRuntime().availableProcessors());
        params.put("java", System.getProperty("java.version"));
        params.put("load_average_before", RolloutBench.loadAverage());

        String directory = work.toString();
        ProviderConfig writerConfig = new ProviderConfig(ComponentKind.STORE.configSegment(), "memory",
                Map.of("rag.store.memory.directory", directory));
        ProviderConfig servingConfig = new ProviderConfig(ComponentKind.STORE.configSegment(), "memory",
                Map.of("rag.store.memory.directory", directory, "rag.store.memory.read-only", "true",
                        "rag.store.memory.live-refresh", settings.refresh().toMillis() + "ms"));
        LatencyStats promote;
        LatencyStats notice;
        Window steady;
        Window switching;
        try (VersionedIndex writer = versioned(writerConfig)) {
            IndexLifecycle lifecycle = IndexLifecycle.builder(writer).embedders(info -> embedder).build();
            out.printf(Locale.ROOT, "building v1 and v2: %d documents each%n", documents.size());
            int first = lifecycle.reindex(RolloutBench.loader(documents), embedder, new WholeDocumentSplitter(),
                    IngestionListener.NONE).version().number();
            lifecycle.promote(first, PromotionGate.none());
            int second = lifecycle.reindex(RolloutBench.loader(documents), embedder, new WholeDocumentSplitter(),
                    IngestionListener.NONE).version().number();
            int[] versions = {first, second};

            promote = timePromotes(writer, versions, settings.promotes());
            out.printf(Locale.ROOT, "promote: mean %.2f ms, p95 %.2f ms over %d%n", promote.meanMs(), promote.p95Ms(),
                    promote.count());

            try (VersionedIndex servingIndex = versioned(servingConfig); VectorStore serving = servingIndex.openLive()) {
                if (!(serving instanceof LiveVersionStore live)) {
                    throw new IllegalStateException("the memory store's openLive() is no LiveVersionStore: " + serving);
                }
                Random words = new Random(settings.seed() + 1);
                notice = timeNotices(writer, live, versions, settings.switches(), embedder, words);
                out.printf(Locale.ROOT, "notice: min %.0f ms, p50 %.0f ms, max %.0f ms over %d switches%n",
                        notice.minMs(), notice.p50Ms(), notice.maxMs(), notice.count());
                steady = window(writer, live, versions, settings, false, embedder);
                switching = window(writer, live, versions, settings, true, embedder);
                out.printf(Locale.ROOT, "searches in %d ms: %d without promotes, %d with %d promotes (failed %d,"
                                + " empty %d)%n", settings.window().toMillis(), steady.searches(),
                        switching.searches(), switching.promotes(), switching.failed(), switching.empty());
            }
        }
        params.put("load_average_after", RolloutBench.loadAverage());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("parameters", params);
        json.put("promote_ms", stats(promote));
        json.put("notice_ms", stats(notice));
        json.put("steady", steady);
        json.put("switching", switching);
        try {
            return new Result(promote, notice, steady, switching,
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the figures could not be written as JSON", e);
        }
    }

    private static VersionedIndex versioned(ProviderConfig config) {
        return ProviderRegistry.discover().store("memory").versioned(config).orElseThrow(() ->
                new RagConfigurationException("the memory store keeps no versions"));
    }

    /** Promotes the two versions in turn, timing each call. */
    private static LatencyStats timePromotes(VersionedIndex writer, int[] versions, int promotes) {
        List<Double> millis = new ArrayList<>(promotes);
        int live = writer.live().orElseThrow();
        for (int i = 0; i < promotes; i++) {
            int next = live == versions[0] ? versions[1] : versions[0];
            long start = System.nanoTime();
            writer.promote(next);
            millis.add((System.nanoTime() - start) / 1e6);
            live = next;
        }
        return LatencyStats.ofMillis(millis);
    }

    /**
     * For each switch: promote the other version on the writer, then search the serving handle until it
     * answers from that version. Each switch starts once the serving handle has settled on the current one.
     */
    private static LatencyStats timeNotices(VersionedIndex writer, LiveVersionStore serving, int[] versions,
                                            int switches, PipelineBench.HashEmbedder embedder, Random words) {
        List<Double> millis = new ArrayList<>(switches);
        for (int i = 0; i < switches; i++) {
            int current = writer.live().orElseThrow();
            awaitServing(serving, current, embedder, words);
            int next = current == versions[0] ? versions[1] : versions[0];
            writer.promote(next);
            long start = System.nanoTime();
            awaitServing(serving, next, embedder, words);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return LatencyStats.ofMillis(millis);
    }

    private static void awaitServing(LiveVersionStore serving, int version, PipelineBench.HashEmbedder embedder,
                                     Random words) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            serving.search(request(embedder, words));
            if (serving.version() == version) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the serving handle still serves v" + serving.version()
                        + " 30 s after v" + version + " was promoted");
            }
            pause(1);
        }
    }

    /** Reader threads search for the window; with {@code promoting}, this thread promotes meanwhile. */
    private static Window window(VersionedIndex writer, LiveVersionStore serving, int[] versions, Settings settings,
                                 boolean promoting, PipelineBench.HashEmbedder embedder) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong searches = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong empty = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < settings.readers(); r++) {
            Random words = new Random(settings.seed() + 100 + r);
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (serving.search(request(embedder, words)).isEmpty()) {
                            empty.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                    searches.incrementAndGet();
                }
            }, "version-switch-reader-" + r);
            reader.start();
            readers.add(reader);
        }
        int promotes = 0;
        long end = System.nanoTime() + settings.window().toNanos();
        while (System.nanoTime() < end) {
            pause(promoting ? settings.promoteEvery().toMillis() : 50);
            if (promoting && System.nanoTime() < end) {
                int current = writer.live().orElseThrow();
                writer.promote(current == versions[0] ? versions[1] : versions[0]);
                promotes++;
            }
        }
        stop.set(true);
        for (Thread reader : readers) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the readers", e);
            }
        }
        return new Window(searches.get(), failed.get(), empty.get(), promotes);
    }

    private static SearchRequest request(PipelineBench.HashEmbedder embedder, Random words) {
        return SearchRequest.dense(embedder.embedQuery(RolloutBench.query(words)), 5);
    }

    private static Map<String, Object> stats(LatencyStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("mean", s.meanMs());
        m.put("min", s.minMs());
        m.put("p50", s.p50Ms());
        m.put("p95", s.p95Ms());
        m.put("max", s.maxMs());
        return m;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
