package dev.ragkit.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.testing.TestProviders;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progressive rollouts over the memory store's versioned index: sticky routing, the candidate's own
 * embedder, shadowing off the request path, automatic rollback, durable state and stage changes under load.
 */
class RolloutTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(
            new MemoryVectorStoreProvider(), new TestProviders.WordsEmbedderProvider()));
    private static final int DOCUMENTS = 30;

    @TempDir
    Path root;

    private VersionedIndex handle() {
        return new MemoryVectorStoreProvider().versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString(), "live-refresh", "10ms"))).orElseThrow();
    }

    private static List<Document> corpus() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            docs.add(new Document("doc-" + i, "Topic" + i + " is about subject" + i + " and theme" + i
                    + ", written for readers of section" + i + "."));
        }
        return docs;
    }

    private static String question(int i) {
        return "Topic" + i + ", subject" + i + ", theme" + i + " and section" + i + "?";
    }

    /** Builds the next version of the corpus with {@code embedder}, ready; returns its number. */
    private static int build(VersionedIndex index, Embedder embedder) {
        int n = index.create(IndexCompatibility.infoOf(embedder, "test")).number();
        try (VectorStore store = index.open(n)) {
            Ingestor.builder().embedder(embedder).store(store).build().ingest(corpus());
        }
        index.markReady(n, "fp-" + n, DOCUMENTS, DOCUMENTS);
        return n;
    }

    /** v1 live and v2 ready, both built with the host's embedder. */
    private void twoVersions() {
        try (VersionedIndex index = handle()) {
            Embedder embedder = new WordHashEmbedder(64);
            index.promote(build(index, embedder));
            build(index, embedder);
        }
    }

    private Map<String, String> config(Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>(Map.of("rag.embedder", "words",
                "rag.store.memory.directory", root.toString(), "rag.store.memory.live-refresh", "10ms",
                "rag.retrieval.mode", "dense", "rag.retrieval.top-k", "3"));
        config.putAll(extra);
        return config;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aKeyAlwaysLandsOnTheSameSideAndRaisingTheShareOnlyMovesKeysToTheCandidate() {
        twoVersions();
        try (VersionedIndex control = handle();
             Ragkit rag = Ragkit.builder().config(config(Map.of())).registry(REGISTRY).build()) {
            Rollout rollout = Rollout.builder(control).build();
            rollout.start(2, RolloutStage.parseList("shadow,0.1,0.5,1"));
            RolloutRouter router = rag.rollout().orElseThrow();
            router.refresh();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                keys.add("user-" + i);
            }
            assertThat(keys).allMatch(k -> router.route("q", k) == RolloutRouter.Route.LIVE);

            Set<String> atTenPercent = candidates(rollout, router, keys);
            Set<String> atHalf = candidates(rollout, router, keys);
            Set<String> atAll = candidates(rollout, router, keys);
            assertThat(atTenPercent.size() / 10_000.0).as("observed share at 10%").isBetween(0.085, 0.115);
            assertThat(atHalf.size() / 10_000.0).as("observed share at 50%").isBetween(0.475, 0.525);
            assertThat(atHalf).as("raising the share keeps every key already on the candidate").containsAll(atTenPercent);
            assertThat(atAll).hasSize(10_000);
            for (int i = 0; i < 100; i++) {
                String key = keys.get(i);
                assertThat(router.route("any question " + i, key)).as("the question does not move a keyed query")
                        .isEqualTo(router.route("another question", key));
            }
            assertThat(router.route("same text", null)).as("without a key, the question's text routes")
                    .isEqualTo(router.route("same text", null));
        }
    }

    private static Set<String> candidates(Rollout rollout, RolloutRouter router, List<String> keys) {
        rollout.advance();
        router.refresh();
        Set<String> onCandidate = new HashSet<>();
        keys.stream().filter(k -> router.route("q", k) == RolloutRouter.Route.CANDIDATE).forEach(onCandidate::add);
        return onCandidate;
    }

    @Test
    void theCandidateIsSearchedWithItsOwnEmbedderAndBothSidesAreMeasured() throws Exception {
        WordHashEmbedder hosts = new WordHashEmbedder(64);
        WordHashEmbedder other = new WordHashEmbedder(128, "other");
        try (VersionedIndex index = handle()) {
            index.promote(build(index, hosts));
            build(index, other);
            Rollout.builder(index).build().start(2, RolloutStage.parseList("0.5"));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Embedder> byId = Map.of(hosts.id(), hosts, other.id(), other);
        // top-1: below it, the two hashing models rank unrelated documents differently, which is not the point here
        try (Ragkit rag = Ragkit.builder().config(config(Map.of("rag.retrieval.top-k", "1"))).registry(REGISTRY)
                .meterRegistry(meters).versionEmbedders(info -> byId.get(info.embedder())).build()) {
            for (int i = 0; i < 200; i++) {
                Answer answer = rag.pipeline().forKey("session-" + i).ask(question(i % DOCUMENTS));
                assertThat(answer.citations()).as("answer to session-" + i).isNotEmpty();
                assertThat(answer.citations().get(0).documentId()).isEqualTo("doc-" + (i % DOCUMENTS));
            }
            assertThat(meters.get("rag.embed").tag("provider", other.id()).timer().count())
                    .as("queries embedded by the candidate's embedder").isPositive();
            assertThat(meters.get("rag.retrieval").tag("index.version", "v2").timer().count()).isPositive();
            assertThat(meters.get("rag.retrieval").tag("index.version", "v1").timer().count()).isPositive();
            assertThat(meters.get("rag.rollout.requests").tag("role", "candidate").tag("path", "served")
                    .tag("index.version", "v2").counter().count()).isBetween(60.0, 140.0);
            assertThat(meters.get("rag.rollout.requests").tag("role", "live").tag("path", "served")
                    .tag("index.version", "v1").counter().count()).isBetween(60.0, 140.0);
            RolloutRouter router = rag.rollout().orElseThrow();
            await("every comparison ran", () -> router.figures().orElseThrow().compared() == 200);
            RolloutFigures figures = router.figures().orElseThrow();
            assertThat(figures.agreement()).as("the same documents, embedded by two models").isEqualTo(1.0);
            assertThat(figures.candidate().errors()).isZero();
            assertThat(figures.candidate().p95Millis()).isPositive();
            assertThat(meters.get("rag.rollout.agreement").tag("index.version", "v2").gauge().value())
                    .isEqualTo(figures.agreement());
            assertThat(router.state().orElseThrow().status()).isEqualTo(RolloutState.Status.ACTIVE);
        }
    }

    @Test
    void afterCompletingToAnotherEmbeddersVersionTheHostKeepsAnsweringFromItWithThatEmbedder() throws Exception {
        WordHashEmbedder hosts = new WordHashEmbedder(64);
        WordHashEmbedder other = new WordHashEmbedder(128, "other");
        try (VersionedIndex index = handle()) {
            index.promote(build(index, hosts));
            build(index, other);
            Rollout.builder(index).build().start(2, RolloutStage.parseList("1"));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Embedder> byId = Map.of(hosts.id(), hosts, other.id(), other);
        try (Ragkit rag = Ragkit.builder().config(config(Map.of("rag.retrieval.top-k", "1"))).registry(REGISTRY)
                .meterRegistry(meters).versionEmbedders(info -> byId.get(info.embedder())).build();
             VersionedIndex control = handle()) {
            assertThat(Rollout.builder(control).build().complete(PromotionGate.none()).promoted()).isTrue();
            RolloutRouter router = rag.rollout().orElseThrow();
            await("the host sees the completion", () -> router.state().orElseThrow().status()
                    == RolloutState.Status.COMPLETED);
            Thread.sleep(100); // the live store has tried v2 by now, and refused it: built with another embedder
            io.micrometer.core.instrument.Timer v2 = meters.find("rag.retrieval").tag("index.version", "v2").timer();
            long before = v2 == null ? 0 : v2.count();
            for (int i = 0; i < 10; i++) {
                Answer answer = rag.pipeline().ask(question(i));
                assertThat(answer.citations().get(0).documentId()).isEqualTo("doc-" + i);
            }
            assertThat(meters.get("rag.retrieval").tag("index.version", "v2").timer().count() - before)
                    .as("answered by the promoted version, with its own embedder").isEqualTo(10);
            assertThat(((dev.ragkit.core.store.LiveVersionStore) rag.store()).version()).isEqualTo(1);
        }
    }

    /** A store whose searches take {@code millis} or fail. */
    private static final class Misbehaving extends ForwardingVectorStore {
        private final long millis;
        private final boolean fail;
        final AtomicInteger searches = new AtomicInteger();

        Misbehaving(VectorStore delegate, long millis, boolean fail) {
            super(delegate);
            this.millis = millis;
            this.fail = fail;
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            searches.incrementAndGet();
            if (fail) {
                throw RagBackendException.retriable("test-store", "candidate store down", null);
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.search(request);
        }
    }

    private static RolloutPolicy policy(int minQueries, long autoAdvance) {
        return new RolloutPolicy(0.01, 0.7, minQueries, 1.0, autoAdvance);
    }

    @Test
    void theShadowStageNeverChangesAnswersNorWaitsForTheCandidate() throws Exception {
        twoVersions();
        Embedder embedder = new WordHashEmbedder(64);
        ConcurrentLinkedQueue<Misbehaving> opened = new ConcurrentLinkedQueue<>();
        try (VersionedIndex index = handle(); VectorStore liveStore = index.openLive()) {
            Rollout.builder(index).build().start(2, RolloutStage.DEFAULT_STAGES);
            Retriever live = Retriever.builder().embedder(embedder).store(liveStore).mode(RetrievalMode.DENSE).topK(3)
                    .build();
            RolloutRouter router = RolloutRouter.builder(index, live, info -> embedder).policy(policy(100, 0))
                    .candidateStores(v -> {
                        Misbehaving store = new Misbehaving(index.open(v), 500, false);
                        opened.add(store);
                        return store;
                    }).build();
            try (router) {
                router.refresh();
                for (int i = 0; i < 6; i++) {
                    long start = System.nanoTime();
                    List<SearchHit> hits = router.retrieve(question(i), null, 3, "user-" + i, null);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(millis).as("query %d waited for the slowed candidate", i).isLessThan(500);
                    assertThat(ids(hits)).isEqualTo(ids(live.retrieve(question(i), null, 3)));
                }
            }
            assertThat(opened).hasSize(1);
            assertThat(opened.peek().searches.get()).as("the candidate was queried beside each query").isEqualTo(6);
            RolloutFigures figures = router.figures().orElseThrow();
            assertThat(figures.candidate().requests()).isEqualTo(6);
            assertThat(figures.live().requests()).isEqualTo(6);
            assertThat(figures.candidate().p95Millis()).isGreaterThanOrEqualTo(500);
            assertThat(figures.agreement()).isEqualTo(1.0);
        }
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.chunk().id()).toList();
    }

    @Test
    void aFailingCandidateIsRolledBackByItselfWhileEveryAnswerStillComes() throws Exception {
        twoVersions();
        Embedder embedder = new WordHashEmbedder(64);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (VersionedIndex index = handle(); VectorStore liveStore = index.openLive()) {
            Rollout.builder(index).build().start(2, RolloutStage.parseList("0.5,1"));
            Retriever live = Retriever.builder().embedder(embedder).store(liveStore).mode(RetrievalMode.DENSE).topK(3)
                    .build();
            try (RolloutRouter router = RolloutRouter.builder(index, live, info -> embedder).policy(policy(20, 0))
                    .refresh(Duration.ZERO).meterRegistry(meters)
                    .candidateStores(v -> new Misbehaving(index.open(v), 0, true)).build()) {
                router.refresh();
                for (int i = 0; i < 300; i++) {
                    List<SearchHit> hits = router.retrieve(question(i % DOCUMENTS), null, 3, "user-" + i, null);
                    assertThat(hits).as("query %d is answered by the live version", i).isNotEmpty();
                }
                await("the rollback is seen", () -> router.state().orElseThrow().status()
                        == RolloutState.Status.ROLLED_BACK);
                assertThat(router.route("q", "user-1")).isEqualTo(RolloutRouter.Route.LIVE);
            }
            RolloutState state = Rollout.builder(handle()).build().state().orElseThrow();
            assertThat(state.status()).as("durable, through another handle").isEqualTo(RolloutState.Status.ROLLED_BACK);
            assertThat(state.reason()).contains("error rate").contains("above the limit 0.01");
            assertThat(meters.get("rag.rollout.rollbacks").tag("reason", "error-rate").counter().count()).isEqualTo(1);
            assertThat(meters.get("rag.rollout.requests").tag("role", "candidate").tag("outcome", "error").counters())
                    .isNotEmpty();
            assertThat(index.live()).hasValue(1);
        }
    }

    /** An embedder that places texts at random: a version built with it finds nothing relevant. */
    private static final class BrokenEmbedder implements Embedder {
        @Override
        public String id() {
            return "broken:random";
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(t -> random(t.hashCode())).toList();
        }

        @Override
        public float[] embedQuery(String text) {
            return random(text.hashCode() * 31 + 7);
        }

        private static float[] random(long seed) {
            Random random = new Random(seed);
            float[] v = new float[64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return Vectors.normalised("broken vector", v);
        }
    }

    @Test
    void aCandidateThatDisagreesWithTheLiveVersionIsRolledBackInTheShadowStage() throws Exception {
        WordHashEmbedder hosts = new WordHashEmbedder(64);
        BrokenEmbedder broken = new BrokenEmbedder();
        try (VersionedIndex index = handle()) {
            index.promote(build(index, hosts));
            build(index, broken);
            Rollout.builder(index).build().start(2, RolloutStage.DEFAULT_STAGES);
        }
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
             Ragkit rag = Ragkit.builder().config(config(Map.of("rag.rollout.min-queries", "20")))
                     .registry(REGISTRY).tracer(tracing.get("test"))
                     .versionEmbedders(info -> info.embedder().equals(broken.id()) ? broken : hosts).build()) {
            for (int i = 0; i < 60; i++) {
                Answer answer = rag.pipeline().forKey("user-" + i).ask(question(i % DOCUMENTS));
                assertThat(answer.citations().get(0).documentId()).as("shadowing never changes the answer")
                        .isEqualTo("doc-" + (i % DOCUMENTS));
            }
            RolloutRouter router = rag.rollout().orElseThrow();
            await("the rollback", () -> router.state().orElseThrow().status() == RolloutState.Status.ROLLED_BACK);
            assertThat(router.state().orElseThrow().reason()).contains("agreement").contains("below the limit 0.7");
            await("the rollback's span ended", () -> spans.getFinishedSpanItems().stream()
                    .anyMatch(span -> span.getName().equals("rag.rollout.rollback")));
        }
    }

    @Test
    void aRestartedHostResumesTheSameStageWithTheSameRoutesAndFigures() throws Exception {
        twoVersions();
        try (VersionedIndex control = handle()) {
            Rollout rollout = Rollout.builder(control).build();
            rollout.start(2, RolloutStage.DEFAULT_STAGES);
            rollout.advance(); // 10 %
        }
        Map<String, RolloutRouter.Route> before = new HashMap<>();
        long candidateRequests;
        try (Ragkit rag = Ragkit.builder().config(config(Map.of())).registry(REGISTRY).build()) {
            for (int i = 0; i < 100; i++) {
                rag.pipeline().forKey("user-" + i).ask(question(i % DOCUMENTS));
                before.put("user-" + i, rag.rollout().orElseThrow().route("q", "user-" + i));
            }
            RolloutRouter router = rag.rollout().orElseThrow();
            await("the comparisons ran", () -> router.figures().orElseThrow().compared() == 100);
            candidateRequests = router.figures().orElseThrow().candidate().requests();
            assertThat(before.values()).contains(RolloutRouter.Route.CANDIDATE, RolloutRouter.Route.LIVE);
        }
        try (Ragkit restarted = Ragkit.builder().config(config(Map.of())).registry(REGISTRY).build()) {
            RolloutRouter router = restarted.rollout().orElseThrow();
            RolloutState state = router.state().orElseThrow();
            assertThat(state.active()).isTrue();
            assertThat(state.currentStage()).isEqualTo(new RolloutStage(0.1));
            before.forEach((key, route) -> assertThat(router.route("q", key)).as(key).isEqualTo(route));
            assertThat(router.figures().orElseThrow().candidate().requests()).as("figures carried over the restart")
                    .isEqualTo(candidateRequests);
        }
    }

    @Test
    void queriesNeverFailWhileStagesChangeAndTheRolloutCompletes() throws Exception {
        twoVersions();
        try (VersionedIndex control = handle();
             Ragkit rag = Ragkit.builder().config(config(Map.of())).registry(REGISTRY).build()) {
            Rollout rollout = Rollout.builder(control).build();
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger answered = new AtomicInteger();
            List<Thread> askers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread asker = new Thread(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        try {
                            Answer a = rag.pipeline().forKey("t" + thread + "-" + (i % 50)).ask(question(i % DOCUMENTS));
                            if (a.citations().isEmpty()) {
                                failures.add(new AssertionError("no citation for " + question(i % DOCUMENTS)));
                            }
                            answered.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                        i++;
                    }
                });
                asker.start();
                askers.add(asker);
            }
            rollout.start(2, RolloutStage.DEFAULT_STAGES);
            for (int stage = 0; stage < 3; stage++) {
                Thread.sleep(150);
                rollout.advance();
            }
            Thread.sleep(150);
            assertThat(rollout.complete(PromotionGate.none()).promoted()).isTrue();
            Thread.sleep(150);
            rollout.start(1, RolloutStage.parseList("0.5")); // and back: v1 is now the candidate
            Thread.sleep(150);
            rollout.abort("test over");
            Thread.sleep(100);
            stop.set(true);
            for (Thread asker : askers) {
                asker.join();
            }
            assertThat(failures).isEmpty();
            assertThat(answered.get()).isGreaterThan(50);
            assertThat(control.live()).hasValue(2);
            assertThat(rollout.state().orElseThrow().status()).isEqualTo(RolloutState.Status.ABORTED);
        }
    }

    @Test
    void healthyStagesAdvanceByThemselvesUpToThePromotion() throws Exception {
        twoVersions();
        try (VersionedIndex control = handle()) {
            Rollout.builder(control).build().start(2, RolloutStage.parseList("shadow,1"));
        }
        try (Ragkit rag = Ragkit.builder().config(config(Map.of("rag.rollout.min-queries", "10",
                "rag.rollout.auto-advance-after", "10"))).registry(REGISTRY).build()) {
            RolloutRouter router = rag.rollout().orElseThrow();
            for (int i = 0; i < 200 && router.state().orElseThrow().active(); i++) {
                rag.pipeline().forKey("user-" + i).ask(question(i % DOCUMENTS));
                Thread.sleep(2);
            }
            await("the rollout completes", () -> router.state().orElseThrow().status()
                    == RolloutState.Status.COMPLETED);
            assertThat(rag.versionedIndex().orElseThrow().live()).hasValue(2);
            assertThat(router.state().orElseThrow().reason()).startsWith("promoted");
        }
    }

    @Test
    void badRolloutSettingsAreReportedAllAtOnce() {
        twoVersions();
        assertThatThrownBy(() -> Ragkit.builder().config(config(Map.of("rag.rollout.max-error-rate", "2",
                "rag.rollout.min-agreement", "high", "rag.rollout.auto-advance-after", "-5"))).registry(REGISTRY)
                .build())
                .isInstanceOf(dev.ragkit.core.RagConfigurationException.class)
                .hasMessageContaining("rag.rollout.max-error-rate was '2' but it must be between 0 and 1")
                .hasMessageContaining("rag.rollout.min-agreement was 'high' but it must be a number")
                .hasMessageContaining("rag.rollout.auto-advance-after was -5 but it must be >= 0");
    }

    @Test
    void startRefusesWhatCannotBeRolledOutAndStepsNeedAnActiveRollout() {
        twoVersions();
        try (VersionedIndex index = handle()) {
            Rollout rollout = Rollout.builder(index).build();
            assertThatThrownBy(() -> rollout.start(1, RolloutStage.DEFAULT_STAGES))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("live already");
            assertThatThrownBy(() -> rollout.start(7, RolloutStage.DEFAULT_STAGES))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("no version 7");
            assertThatThrownBy(rollout::advance).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("no active rollout");
            assertThatThrownBy(() -> RolloutStage.parseList("0.5,0.1")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("must rise");
            assertThatThrownBy(() -> RolloutStage.parseList("shadow,2")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'2'");
            assertThat(RolloutStage.parseList("shadow, 10%, 0.5, 1")).isEqualTo(RolloutStage.DEFAULT_STAGES);
            RolloutState started = rollout.start(2, RolloutStage.parseList("shadow,1"));
            assertThatThrownBy(() -> rollout.start(2, RolloutStage.DEFAULT_STAGES))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("already has an active");
            rollout.advance();
            assertThatThrownBy(rollout::advance).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("last stage");
            assertThat(rollout.state().orElseThrow().id()).isEqualTo(started.id());
        }
    }
}
