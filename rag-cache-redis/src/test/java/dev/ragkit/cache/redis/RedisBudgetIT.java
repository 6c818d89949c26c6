package dev.ragkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.budget.Budget;
import dev.ragkit.core.budget.BudgetConfig;
import dev.ragkit.core.budget.BudgetLimit;
import dev.ragkit.core.budget.BudgetPeriod;
import dev.ragkit.core.budget.BudgetScope;
import dev.ragkit.core.budget.BudgetUnit;
import dev.ragkit.core.budget.BudgetWindow;
import dev.ragkit.core.budget.ModelPrice;
import dev.ragkit.core.budget.Reservation;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.secret.Secrets;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.testkit.servers.LocalRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Budgets shared through a real redis-server (Debian's, started on a free loopback port by rag-testkit):
 * each {@link Budget} has its own {@link RedisBudgetStore} and connection pool, as two replicas would.
 */
class RedisBudgetIT {
    private static final int PER_REQUEST = 100;
    private static final String QUESTION = "Which library searches dense vectors?";

    private static String prefix() {
        return "it-budget-" + UUID.randomUUID();
    }

    private static RedisBudgetStore store(LocalRedisServer redis, String prefix) {
        return RedisBudgetStore.builder().url(redis.url()).keyPrefix(prefix).timeout(Duration.ofMillis(300)).build();
    }

    private static BudgetLimit globalDayTokens(double soft, double hard) {
        return new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.DAY, BudgetUnit.TOKENS, soft, hard);
    }

    /** A replica's budget over {@code store}, charged {@link #PER_REQUEST} tokens per request at most. */
    private static Budget budget(RedisBudgetStore store, BudgetLimit limit, SimpleMeterRegistry meters) {
        return Budget.builder().limit(limit).sharedStore(store).retryAfter(Duration.ofMillis(500))
                .meterRegistry(meters).build();
    }

    /** Reserves one request's maximum and, when admitted, commits it as fully used. */
    private static Reservation.Level spend(Budget budget, String tenant) {
        Reservation r = budget.reserve(tenant, "test:model", PER_REQUEST - 20, 20);
        if (r.level() != Reservation.Level.HARD) {
            r.commit("test:model", new TokenUsage(PER_REQUEST - 20, 20), "");
        }
        return r.level();
    }

    @Test
    void twoPipelinesShareOneBudgetAndTheSecondDegradesWhenTheFirstSpentIt() {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = prefix();
        Retriever retriever = retriever();
        FixedLlm llm = new FixedLlm();
        long perAnswer = -1;
        try (Budget a = budget(store(redis, prefix), globalDayTokens(1e9, 1e9), new SimpleMeterRegistry())) {
            RagPipeline first = RagPipeline.builder().retriever(retriever).llm(llm).maxTokens(20).budget(a).build();
            assertThat(first.ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
            perAnswer = a.usage("global", BudgetPeriod.DAY).tokens();
        }
        assertThat(perAnswer).isPositive();
        // Replicas A and B share a hard limit of three answers; two of them were spent on A already.
        double hard = 3 * perAnswer;
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        try (Budget a = budget(store(redis, prefix), globalDayTokens(hard, hard), new SimpleMeterRegistry());
             Budget b = budget(store(redis, prefix), globalDayTokens(hard, hard), metersB)) {
            RagPipeline onA = RagPipeline.builder().retriever(retriever).llm(llm).maxTokens(20).budget(a).build();
            RagPipeline onB = RagPipeline.builder().retriever(retriever).llm(llm).maxTokens(20).budget(b).build();
            assertThat(onA.ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(b.usage("global", BudgetPeriod.DAY).tokens()).as("B sees A's usage").isEqualTo(2 * perAnswer);
            assertThat(onB.ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
            Answer degraded = onA.ask(QUESTION);
            assertThat(degraded.kind()).as("A sees B's usage").isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(degraded.text()).startsWith(Budget.DEFAULT_MESSAGE_EN);
            assertThat(onB.ask(QUESTION).kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(a.usage("global", BudgetPeriod.DAY).tokens()).isEqualTo(3 * perAnswer);
            assertThat(metersB.get("rag.budget.store.available").tag("store", "redis").gauge().value()).isEqualTo(1);
            assertThat(metersB.get("rag.budget.used").tag("scope", "global").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void reservationsOfTwoReplicasRacingForTheLastTokensNeverOverspend() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = prefix();
        int threads = 24;
        int fits = 7;
        // room for seven requests at their maximum and half of an eighth
        double hard = fits * PER_REQUEST + PER_REQUEST / 2.0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Budget a = budget(store(redis, prefix), globalDayTokens(hard, hard), new SimpleMeterRegistry());
             Budget b = budget(store(redis, prefix), globalDayTokens(hard, hard), new SimpleMeterRegistry())) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Reservation>> held = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Budget replica = i % 2 == 0 ? a : b;
                String tenant = "t" + i;
                held.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return replica.reserve(tenant, "test:model", PER_REQUEST - 20, 20);
                }, pool));
            }
            start.countDown();
            List<Reservation> reservations = new ArrayList<>();
            for (CompletableFuture<Reservation> f : held) {
                reservations.add(f.get(30, TimeUnit.SECONDS));
            }
            // every request decided while the admitted ones still held their maximum
            long admitted = reservations.stream().filter(r -> r.level() != Reservation.Level.HARD).count();
            assertThat(admitted).isEqualTo(fits);
            assertThat(a.heldTokens("global", BudgetPeriod.DAY)).isEqualTo((long) fits * PER_REQUEST);
            // each admitted request uses its whole maximum
            for (Reservation r : reservations) {
                r.commit("test:model", new TokenUsage(PER_REQUEST - 20, 20), "");
            }
            long used = b.usage("global", BudgetPeriod.DAY).tokens();
            assertThat(used).isEqualTo((long) fits * PER_REQUEST).isLessThanOrEqualTo((long) hard);
            assertThat(a.usage("global", BudgetPeriod.DAY).tokens()).isEqualTo(used);
            assertThat(b.heldTokens("global", BudgetPeriod.DAY)).isZero();
            assertThat(a.sharedStoreErrors() + b.sharedStoreErrors()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countsSurviveAReplicaRestartAndARedisRestartAndWindowsExpireWithTheirPeriod() {
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        try (LocalRedisServer redis = LocalRedisServer.start(true)) {
            String prefix = prefix();
            BudgetLimit minute = new BudgetLimit(BudgetScope.TENANT, BudgetPeriod.MINUTE, BudgetUnit.TOKENS,
                    10 * PER_REQUEST, 10 * PER_REQUEST);
            BudgetLimit month = new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.MONTH, BudgetUnit.COST, 1, 2);
            try (Budget first = Budget.builder().limit(minute).limit(month).price("test:model", new ModelPrice(1000, 2000))
                    .clock(clock).sharedStore(store(redis, prefix)).build()) {
                spend(first, "acme");
                spend(first, "acme");
            }
            double cost = 2 * new ModelPrice(1000, 2000).cost(PER_REQUEST - 20, 20);
            // a new process, the same Redis
            try (Budget second = Budget.builder().limit(minute).limit(month).price("test:model", new ModelPrice(1000, 2000))
                    .clock(clock).sharedStore(store(redis, prefix)).build()) {
                assertThat(second.usage("tenant:acme", BudgetPeriod.MINUTE).tokens()).isEqualTo(2 * PER_REQUEST);
                assertThat(second.usage("global", BudgetPeriod.MONTH).cost()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
            }
            redis.stop();
            redis.restart();
            try (RedisBudgetStore store = store(redis, prefix);
                 Budget third = Budget.builder().limit(minute).limit(month).price("test:model", new ModelPrice(1000, 2000))
                    .clock(clock).sharedStore(store).build();
                 RedisClient raw = RedisClient.builder().hostAndPort(redis.host(), redis.port()).build()) {
                assertThat(third.usage("tenant:acme", BudgetPeriod.MINUTE).tokens()).as("after a Redis restart")
                        .isEqualTo(2 * PER_REQUEST);
                // each window's hash expires an hour after its period ends
                long minuteStart = BudgetPeriod.MINUTE.windowStart(clock.instant());
                String minuteKey = store.windowKey(new BudgetWindow("tenant:acme", BudgetPeriod.MINUTE, minuteStart));
                long expected = (minuteStart + 60 + 3600) * 1000 - System.currentTimeMillis();
                assertThat(raw.pttl(minuteKey)).isBetween(expected - 5000, expected + 1000);
                long monthStart = BudgetPeriod.MONTH.windowStart(clock.instant());
                String monthKey = store.windowKey(new BudgetWindow("global", BudgetPeriod.MONTH, monthStart));
                long monthEnd = BudgetPeriod.MONTH.windowEnd(monthStart);
                assertThat(raw.pexpireTime(monthKey)).isEqualTo((monthEnd + 3600) * 1000);
                assertThat(raw.keys("{" + prefix + "}:hold:*")).as("no hold is left behind").isEmpty();
            }
            // the next minute counts from zero; the month goes on
            try (Budget later = Budget.builder().limit(minute).limit(month).price("test:model", new ModelPrice(1000, 2000))
                    .clock(Clock.offset(clock, Duration.ofMinutes(1))).sharedStore(store(redis, prefix)).build()) {
                assertThat(later.usage("tenant:acme", BudgetPeriod.MINUTE).tokens()).isZero();
                assertThat(later.usage("global", BudgetPeriod.MONTH).cost()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void redisKilledMidRunNeverFailsAQuestionNeverGivesUnlimitedBudgetAndReplaysItsChargesWhenBack() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LocalRedisServer redis = LocalRedisServer.start(true)) {
            String prefix = prefix();
            // room for five requests in the day; a second replica spends one before the outage
            BudgetLimit day = globalDayTokens(5 * PER_REQUEST, 5 * PER_REQUEST);
            try (Budget other = budget(store(redis, prefix), day, new SimpleMeterRegistry())) {
                assertThat(spend(other, "globex")).isEqualTo(Reservation.Level.WITHIN);
            }
            try (Budget budget = budget(store(redis, prefix), day, meters)) {
                assertThat(spend(budget, "acme")).isEqualTo(Reservation.Level.WITHIN);
                Reservation inFlight = budget.reserve("acme", "test:model", PER_REQUEST - 20, 20);
                assertThat(inFlight.level()).isEqualTo(Reservation.Level.WITHIN);

                redis.kill();
                // the request that was in flight ends during the outage: charged here, owed to Redis
                inFlight.commit("test:model", new TokenUsage(PER_REQUEST - 20, 20), "");
                assertThat(budget.sharedStoreAvailable()).isFalse();
                assertThat(meters.get("rag.budget.store.available").gauge().value()).isZero();
                // counting goes on from the three requests spent: two more fit, then the limit holds
                assertThat(spend(budget, "acme")).isEqualTo(Reservation.Level.WITHIN);
                assertThat(spend(budget, "acme")).isEqualTo(Reservation.Level.WITHIN);
                assertThat(spend(budget, "acme")).as("no unlimited budget while Redis is down")
                        .isEqualTo(Reservation.Level.HARD);
                assertThat(budget.pendingCharges()).isEqualTo(3);
                assertThat(meters.get("rag.budget.store.pending").gauge().value()).isEqualTo(3);
                assertThat(meters.get("rag.budget.store.errors").tag("operation", "settle").functionCounter().count())
                        .isEqualTo(1);

                redis.restart();
                Thread.sleep(600); // past the retry delay
                assertThat(budget.usage("global", BudgetPeriod.DAY).tokens()).as("the outage's charges were replayed")
                        .isEqualTo(5 * PER_REQUEST);
                assertThat(budget.pendingCharges()).isZero();
                assertThat(meters.get("rag.budget.store.available").gauge().value()).isEqualTo(1);
                assertThat(budget.heldTokens("global", BudgetPeriod.DAY))
                        .as("the in-flight request's hold, never released in Redis, lapses after the hold timeout")
                        .isEqualTo(PER_REQUEST);
            }
            try (Budget other = budget(store(redis, prefix), day, new SimpleMeterRegistry())) {
                assertThat(spend(other, "globex")).as("the other replica sees the whole day's use")
                        .isEqualTo(Reservation.Level.HARD);
            }
        }
    }

    @Test
    void aHoldOfAReplicaThatDiedLapsesAfterTheHoldTimeout() {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = prefix();
        MutableClock clock = new MutableClock(Instant.now());
        BudgetLimit day = globalDayTokens(2 * PER_REQUEST, 2 * PER_REQUEST);
        RedisBudgetStore crashed = RedisBudgetStore.builder().url(redis.url()).keyPrefix(prefix)
                .holdTimeout(Duration.ofMinutes(1)).clock(clock).build();
        Budget dying = Budget.builder().limit(day).sharedStore(crashed).build();
        dying.reserve("acme", "test:model", 2 * PER_REQUEST - 20, 20); // never ended: the process "dies"
        crashed.close();
        try (Budget survivor = Budget.builder().limit(day).sharedStore(RedisBudgetStore.builder().url(redis.url())
                .keyPrefix(prefix).holdTimeout(Duration.ofMinutes(1)).clock(clock).build()).build()) {
            assertThat(survivor.reserve("globex", "test:model", 10, 10).level()).isEqualTo(Reservation.Level.HARD);
            clock.now = clock.now.plus(Duration.ofMinutes(1)).plusSeconds(1);
            Reservation r = survivor.reserve("globex", "test:model", 10, 10);
            assertThat(r.level()).isEqualTo(Reservation.Level.WITHIN);
            r.release();
            assertThat(survivor.heldTokens("global", BudgetPeriod.DAY)).isZero();
        }
    }

    @Test
    void configSelectsTheRedisStoreAndReportsBadSettingsWithoutThePassword() {
        LocalRedisServer redis = LocalRedisServer.shared();
        List<String> problems = new ArrayList<>();
        Map<String, String> config = new HashMap<>(Map.of("rag.budget.global.day.tokens", "1000",
                "rag.budget.store", "redis", "rag.budget.redis.url", redis.url(),
                "rag.budget.redis.key-prefix", prefix(), "rag.budget.redis.hold-timeout", "2m"));
        Budget budget = BudgetConfig.read(config, getClass().getClassLoader(), Secrets.defaults(), problems)
                .orElseThrow().build();
        try (budget) {
            assertThat(problems).isEmpty();
            assertThat(spend(budget, "acme")).isEqualTo(Reservation.Level.WITHIN);
            assertThat(budget.usage("global", BudgetPeriod.DAY).tokens()).isEqualTo(PER_REQUEST);
            assertThat(budget.sharedStoreAvailable()).isTrue();
        }

        List<String> bad = new ArrayList<>();
        Map<String, String> wrong = Map.of("rag.budget.global.day.tokens", "1000", "rag.budget.store", "redis",
                "rag.budget.redis.url", "http://user:s3cret-pw@localhost:1", "rag.budget.redis.pool-sise", "4",
                "rag.budget.file", "/tmp/usage.txt");
        assertThat(BudgetConfig.read(wrong, getClass().getClassLoader(), Secrets.defaults(), bad)).isEmpty();
        assertThat(bad).anyMatch(p -> p.contains("rag.budget.redis.url") && p.contains("redis://"))
                .anyMatch(p -> p.contains("rag.budget.redis.pool-sise"))
                .anyMatch(p -> p.contains("rag.budget.file"));
        assertThat(String.join("\n", bad)).doesNotContain("s3cret-pw");
        assertThatThrownBy(() -> RedisBudgetStore.builder().url("redis://localhost").holdTimeout(Duration.ZERO).build())
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("hold-timeout");
    }

    private static Retriever retriever() {
        WordsEmbedder embedder = new WordsEmbedder();
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(WordsEmbedder.DIMENSION).build();
        Ingestor.builder().embedder(embedder).store(store).build().ingest(List.of(
                new Document("faiss", "FAISS is a library for similarity search of dense vectors."),
                new Document("lucene", "Lucene is a library for full text search with BM25.")));
        return Retriever.builder().embedder(embedder).store(store).topK(2).build();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A model that answers one sentence and reports the prompt estimate plus its completion cap as usage. */
    private static final class FixedLlm implements LlmClient {
        @Override
        public String id() {
            return "test:model";
        }

        @Override
        public Generation generate(LlmRequest request) {
            long promptChars = request.messages().stream().mapToLong(m -> m.content().length()).sum();
            return new Generation("FAISS searches dense vectors [1].",
                    new TokenUsage((promptChars + 3) / 4, request.maxTokens().orElseThrow()), "model");
        }

        @Override
        public Generation stream(LlmRequest request, Consumer<String> onToken) {
            Generation g = generate(request);
            onToken.accept(g.text());
            return g;
        }
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
