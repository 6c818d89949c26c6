package dev.ragkit.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.AnswerListener;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline under a budget: cheaper model past the soft limit, extractive past the hard one, streams, races, restarts. */
class PipelineBudgetTest {
    private static final String QUESTION = "What is FAISS used for?";
    private static final String ANSWER = "FAISS searches dense vectors by similarity, quickly and at scale [1]. ";
    private static final int CAP = 40;
    /** A model that reports the largest usage its request allows: the prompt estimate plus the cap. */
    private static final Function<LlmRequest, TokenUsage> AT_MAXIMUM =
            r -> new TokenUsage((MeteredLlm.promptChars(r) + 3) / 4, r.maxTokens().orElseThrow());

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T13:30:00Z"), ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Retriever retriever;
    /** Estimated prompt tokens of {@link #QUESTION}'s prompt, as the budget counts them. */
    private long promptTokens;

    @BeforeEach
    void index() {
        WordHashEmbedder embedder = new WordHashEmbedder(256);
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(256).build();
        Ingestor.builder().embedder(embedder).store(store).build().ingest(List.of(
                new Document("faiss", "FAISS is a library for efficient similarity search of dense vectors. "
                        + "It was written at Meta.", Map.of("title", "FAISS")),
                new Document("piaf", "PIAF est un jeu de questions et réponses en français. Il a été constitué "
                        + "par des bénévoles.", Map.of("title", "PIAF"))));
        retriever = Retriever.builder().embedder(embedder).store(store).topK(2).build();
        MeteredLlm probe = new MeteredLlm("probe:m", ANSWER, AT_MAXIMUM);
        RagPipeline.builder().retriever(retriever).llm(probe).maxTokens(CAP).build().ask(QUESTION);
        promptTokens = (MeteredLlm.promptChars(probe.requests().get(0)) + 3) / 4;
    }

    private Budget.Builder budget(BudgetLimit... limits) {
        Budget.Builder b = Budget.builder().clock(clock).meterRegistry(meters);
        for (BudgetLimit l : limits) {
            b.limit(l);
        }
        return b;
    }

    private static BudgetLimit globalMinuteTokens(double soft, double hard) {
        return new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.MINUTE, BudgetUnit.TOKENS, soft, hard);
    }

    private RagPipeline pipeline(Budget budget, MeteredLlm... llms) {
        return RagPipeline.builder().retriever(retriever).llm(llms).maxTokens(CAP).budget(budget).build();
    }

    @Test
    void pastTheSoftLimitTheCheaperModelAnswers() {
        MeteredLlm big = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        MeteredLlm small = new MeteredLlm("ollama:small", ANSWER, AT_MAXIMUM);
        Budget budget = budget(globalMinuteTokens(10, 100_000)).softLimitLlm("ollama:small").build();

        Answer answer = pipeline(budget, big, small).ask(QUESTION);

        assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(answer.answeredBy()).isEqualTo("ollama:small");
        assertThat(big.requests()).isEmpty();
        assertThat(answer.fallbacks()).containsExactly(
                new Answer.Fallback("hf:big", "budget global/minute/tokens past its soft limit"));
        assertThat(meters.get("rag.budget.degraded").tag("level", "fallback-model").tag("scope", "global")
                .tag("period", "minute").tag("unit", "tokens").counter().count()).isEqualTo(1);
        assertThat(budget.usage("global", BudgetPeriod.MINUTE).tokens()).isEqualTo(promptTokens + CAP);
    }

    @Test
    void belowTheSoftLimitTheFirstModelAnswersAndIsCharged() {
        MeteredLlm big = new MeteredLlm("hf:big", ANSWER, r -> new TokenUsage(300, 12));
        MeteredLlm small = new MeteredLlm("ollama:small", ANSWER, AT_MAXIMUM);
        Budget budget = budget(new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.DAY, BudgetUnit.COST, 0.5, 1.0))
                .price("hf:big", new ModelPrice(1.0, 4.0)).price("ollama:small", ModelPrice.FREE)
                .softLimitLlm("ollama:small").build();

        Answer answer = pipeline(budget, big, small).ask(QUESTION);

        assertThat(answer.answeredBy()).isEqualTo("hf:big");
        assertThat(small.requests()).isEmpty();
        UsageRecord day = budget.usage("global", BudgetPeriod.DAY);
        assertThat(day.tokens()).isEqualTo(312);
        assertThat(day.cost()).isCloseTo((300 * 1.0 + 12 * 4.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(budget.heldTokens("global", BudgetPeriod.DAY)).isZero();
    }

    @Test
    void pastTheHardLimitTheAnswerIsExtractiveAndSaysTheBudgetIsReachedInTheQuestionsLanguage() {
        MeteredLlm llm = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        Budget budget = budget(globalMinuteTokens(5, 10)).build();
        RagPipeline pipeline = pipeline(budget, llm);

        Answer english = pipeline.ask(QUESTION);
        Answer french = pipeline.ask("Qui a constitué le jeu de questions PIAF ?");

        assertThat(llm.requests()).isEmpty();
        assertThat(english.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(english.text()).startsWith(Budget.DEFAULT_MESSAGE_EN + "\n\nExtractive answer (budget reached)");
        assertThat(english.citations()).isNotEmpty();
        assertThat(english.fallbacks()).containsExactly(
                new Answer.Fallback("hf:big", "budget global/minute/tokens past its hard limit"));
        assertThat(french.text()).startsWith(Budget.DEFAULT_MESSAGE_FR + "\n\nRéponse extractive (budget atteint)");
        assertThat(meters.get("rag.budget.degraded").tag("level", "extractive").counter().count()).isEqualTo(2);
        assertThat(budget.usage("global", BudgetPeriod.MINUTE).tokens()).isZero();
    }

    @Test
    void theDegradedMessageIsConfigurableAndStreamedLikeAnyAnswer() {
        MeteredLlm llm = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        Budget budget = budget(globalMinuteTokens(5, 10)).degradedMessages("Quota used up.", "Quota épuisé.").build();
        StringBuilder streamed = new StringBuilder();

        Answer answer = pipeline(budget, llm).askStreaming(QUESTION, streamed::append);

        assertThat(answer.text()).startsWith("Quota used up.\n\n");
        assertThat(streamed.toString()).isEqualTo(answer.text());
    }

    @Test
    void aBudgetCrossedMidStreamDegradesTheNextQuestionAndLetsTheStreamFinish() throws Exception {
        // The model runs past its cap (it streams ~4x CAP tokens): the hold grows as the text arrives.
        String longAnswer = (ANSWER.repeat(3) + "More about vectors and indexes. ").repeat(2);
        long streamedTokens = (longAnswer.length() + 3) / 4;
        assertThat(streamedTokens).isGreaterThan(2L * CAP);
        MeteredLlm streaming = new MeteredLlm("hf:big", longAnswer, r -> new TokenUsage(promptTokens, streamedTokens))
                .pauseAfter(longAnswer.split("(?<= )").length - 1);
        // Room for two requests at their estimates, not for one that overran plus another.
        long hard = 2 * (promptTokens + CAP) + CAP / 2;
        Budget budget = budget(globalMinuteTokens(hard, hard)).build();
        RagPipeline pipeline = pipeline(budget, streaming);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            StringBuilder first = new StringBuilder();
            CompletableFuture<Answer> inFlight = CompletableFuture.supplyAsync(
                    () -> pipeline.askStreaming(QUESTION, first::append), pool);
            assertThat(streaming.paused.await(30, TimeUnit.SECONDS)).isTrue();

            // Mid-stream: nothing charged yet, but the hold covers what was streamed, beyond the estimate.
            assertThat(budget.usage("global", BudgetPeriod.MINUTE).tokens()).isZero();
            long held = budget.heldTokens("global", BudgetPeriod.MINUTE);
            assertThat(held).isGreaterThan(promptTokens + CAP).isGreaterThan(hard - (promptTokens + CAP));
            Answer second = pipeline.ask(QUESTION);
            assertThat(second.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(second.text()).startsWith(Budget.DEFAULT_MESSAGE_EN);

            streaming.resume.countDown();
            Answer answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.kind()).isEqualTo(Answer.Kind.GENERATED);
            assertThat(answer.text()).isEqualTo(longAnswer);
            assertThat(first.toString()).isEqualTo(longAnswer);
            assertThat(budget.heldTokens("global", BudgetPeriod.MINUTE)).isZero();
            assertThat(budget.usage("global", BudgetPeriod.MINUTE).tokens()).isEqualTo(promptTokens + streamedTokens);
            assertThat(meters.get("rag.budget.used").tag("scope", "global").tag("period", "minute")
                    .tag("unit", "tokens").gauge().value()).isEqualTo((promptTokens + streamedTokens) / (double) hard);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStreamCutMidwayIsChargedForWhatItDelivered() throws Exception {
        MeteredLlm cut = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM).pauseAfter(4).cutAtPause();
        cut.resume.countDown();
        Budget budget = budget(globalMinuteTokens(100_000, 100_000)).build();
        List<String> restarts = new ArrayList<>();
        StringBuilder streamed = new StringBuilder();

        Answer answer = pipeline(budget, cut).askStreaming(QUESTION, null, new AnswerListener() {
            @Override
            public void onToken(String token) {
                streamed.append(token);
            }

            @Override
            public void onRestart(Answer.Fallback reason) {
                restarts.add(reason.reason());
                streamed.setLength(0);
            }
        });

        assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(restarts).containsExactly("the stream was cut");
        String delivered = String.join("", List.of(ANSWER.split("(?<= )")).subList(0, 4));
        assertThat(budget.usage("global", BudgetPeriod.MINUTE).tokens())
                .isEqualTo(promptTokens + (delivered.length() + 3) / 4);
        assertThat(budget.heldTokens("global", BudgetPeriod.MINUTE)).isZero();
    }

    @Test
    void concurrentRequestsRacingForTheLastTokensNeverOverspend() throws Exception {
        int threads = 16;
        int fits = 5;
        long perRequest = promptTokens + CAP;
        // Room for five requests at their maximum and half of a sixth.
        long hard = fits * perRequest + perRequest / 2;
        MeteredLlm llm = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        llm.gate = new CountDownLatch(1);
        Budget budget = budget(globalMinuteTokens(hard, hard)).build();
        RagPipeline pipeline = pipeline(budget, llm);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        try {
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return pipeline.forTenant("t" + Thread.currentThread().getId()).ask(QUESTION);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        finished.incrementAndGet();
                    }
                }, pool));
            }
            start.countDown();
            // Every request decides while the admitted ones still hold their reservations.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (llm.entered.get() + finished.get() < threads && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(llm.entered.get()).isEqualTo(fits);
            llm.gate.countDown();
            long generated = 0;
            for (CompletableFuture<Answer> a : answers) {
                if (a.get(30, TimeUnit.SECONDS).kind() == Answer.Kind.GENERATED) {
                    generated++;
                }
            }
            assertThat(generated).isEqualTo(fits);
            long used = budget.usage("global", BudgetPeriod.MINUTE).tokens();
            assertThat(used).isEqualTo(fits * perRequest).isLessThanOrEqualTo(hard);
            assertThat(meters.get("rag.budget.degraded").tag("level", "extractive").counter().count())
                    .isEqualTo(threads - fits);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenantsHaveTheirOwnLimitsAndTheGlobalOneStillHolds() {
        MeteredLlm llm = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        long perRequest = promptTokens + CAP;
        Budget budget = budget(
                new BudgetLimit(BudgetScope.TENANT, BudgetPeriod.DAY, BudgetUnit.TOKENS, perRequest, perRequest),
                new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.MONTH, BudgetUnit.TOKENS, 3 * perRequest,
                        3 * perRequest)).build();
        RagPipeline pipeline = pipeline(budget, llm);

        assertThat(pipeline.forTenant("acme").ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(pipeline.forTenant("acme").ask(QUESTION).kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(pipeline.forTenant("globex").ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(pipeline.ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED); // the anonymous tenant
        assertThat(pipeline.forTenant("initech").ask(QUESTION).kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        assertThat(budget.usage("tenant:acme", BudgetPeriod.DAY).tokens()).isEqualTo(perRequest);
        assertThat(budget.usage("global", BudgetPeriod.MONTH).tokens()).isEqualTo(3 * perRequest);
        assertThat(meters.get("rag.budget.used").tag("scope", "tenant").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("rag.budget.degraded").tag("level", "extractive").tag("scope", "global").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void usageSurvivesARestartAndEndsWithItsWindow(@TempDir Path dir) {
        Path file = dir.resolve("budget/usage.txt");
        long perRequest = promptTokens + CAP;
        BudgetLimit day = new BudgetLimit(BudgetScope.GLOBAL, BudgetPeriod.DAY, BudgetUnit.TOKENS, 2 * perRequest,
                2 * perRequest);
        MeteredLlm llm = new MeteredLlm("hf:big", ANSWER, AT_MAXIMUM);
        Budget before = Budget.builder().limit(day).clock(clock).store(new FileBudgetStore(file)).build();
        RagPipeline first = pipeline(before, llm);
        assertThat(first.forTenant("acme").ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
        assertThat(first.ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);

        // A new process: the same file, the same day.
        Budget after = Budget.builder().limit(day).clock(clock).store(new FileBudgetStore(file)).build();
        assertThat(after.usage("global", BudgetPeriod.DAY).tokens()).isEqualTo(2 * perRequest);
        assertThat(pipeline(after, llm).ask(QUESTION).kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("usage.txt");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        // The next day the counts start from zero.
        Clock tomorrow = Clock.offset(clock, java.time.Duration.ofDays(1));
        Budget nextDay = Budget.builder().limit(day).clock(tomorrow).store(new FileBudgetStore(file)).build();
        assertThat(nextDay.usage("global", BudgetPeriod.DAY).tokens()).isZero();
        assertThat(pipeline(nextDay, llm).ask(QUESTION).kind()).isEqualTo(Answer.Kind.GENERATED);
    }
}
