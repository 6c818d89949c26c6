package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.StepTiming;
import dev.ragkit.core.retrieval.Agreement;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves queries during a {@link Rollout}: each query goes to the live version or to the candidate by
 * its routing key, both sides are measured side by side, and the rollout is rolled back by itself when
 * the candidate crosses a limit of its {@link RolloutPolicy}. With no active rollout every query goes
 * to the live retriever, as without a router.
 *
 * <ul>
 *   <li>Routing is sticky: a key's place in [0, 1) is a hash of the rollout's id and the key, and the
 *       candidate answers when it is below the stage's share. The same key (a session or user id) always
 *       lands on the same side during one rollout, and raising the share only moves keys from the live
 *       version to the candidate. A query without a key is routed by its text, so the same question
 *       gets the same side.</li>
 *   <li>The candidate is searched with its own embedder (the one its {@link IndexVersion#builtWith()}
 *       names, from the {@link EmbedderResolver}) and the live retriever's other settings. When it fails
 *       on a query it answers, the error is counted and the live version answers instead.</li>
 *   <li>In the shadow stage the live version answers every query; the candidate is queried beside it
 *       on a background thread, so its latency and errors never reach the request. In every stage a
 *       {@linkplain RolloutPolicy#compareShare() share} of the queries is also run on the other side in
 *       the background, to measure agreement (when the background queue is full, the comparison is
 *       skipped and counted).</li>
 *   <li>When the candidate's error rate exceeds the limit over at least the minimum of its queries, or
 *       its mean agreement with the live version falls below the limit over at least the minimum of
 *       compared queries, the rollout is marked ROLLED_BACK in the index with the figures as its reason:
 *       every host sends all traffic back to the live version.</li>
 * </ul>
 *
 * <p>The state is read from the index at most once per refresh interval, so another process's advance or
 * abort is followed within it, and a restarted host resumes the same stage. The candidate version is
 * opened in the background when a rollout is first seen (queries go to the live version meanwhile; {@link
 * #refresh()} opens it at once); a candidate that cannot be opened here rolls the rollout back.
 *
 * <p>Metrics (tag {@code index}, and {@code index.version}, {@code role}=live|candidate): counter {@code
 * rag.rollout.requests} (also {@code path}=served|shadow, {@code outcome}=success|error), timer {@code
 * rag.rollout.latency}, gauge {@code rag.rollout.agreement}, gauge {@code rag.rollout.share}, counters
 * {@code rag.rollout.rollbacks} (tag {@code reason}) and {@code rag.rollout.compare.skipped}; the
 * retrieval metrics of each side carry its {@code index.version}. Thread-safe.
 */
public final class RolloutRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);
    /** Latencies kept per side for the p95. */
    private static final int LATENCY_WINDOW = 1024;

    /** Where a query goes. */
    public enum Route {
        /** The live version answers. */
        LIVE,
        /** The candidate answers. */
        CANDIDATE
    }

    private final VersionedIndex index;
    private final Retriever live;
    private final EmbedderResolver embedders;
    private final IntFunction<VectorStore> candidateOpener;
    private final RolloutPolicy policy;
    private final Rollout rollout;
    private final long refreshNanos;
    private final long persistNanos;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final ThreadPoolExecutor background;
    private final Object lock = new Object();
    private volatile Cached cached;
    private volatile Tracked tracked;
    private volatile Idle idle;
    private volatile boolean closed;

    private record Cached(Optional<RolloutState> state, long readAt) {
    }

    private record Idle(String id, long checkedAt) {
    }

    private RolloutRouter(Builder b) {
        this.index = b.index;
        this.live = b.live;
        this.embedders = b.embedders;
        this.policy = b.policy;
        this.refreshNanos = b.refresh.toNanos();
        this.persistNanos = b.persistInterval.toNanos();
        this.registry = b.registry;
        this.tracer = b.tracer != null ? b.tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
        this.rollout = Rollout.builder(b.index).embedders(b.embedders).meterRegistry(b.registry).tracer(this.tracer)
                .build();
        this.candidateOpener = b.candidateOpener != null ? b.candidateOpener : this::openCandidateStore;
        AtomicInteger threads = new AtomicInteger();
        this.background = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(b.queue), r -> {
                    Thread t = new Thread(r, "ragkit-rollout-" + b.index.name() + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.background.allowCoreThreadTimeOut(true);
        if (registry != null) {
            Gauge.builder("rag.rollout.share", this, RolloutRouter::shareNow).tag("index", index.name())
                    .description("share of routing keys answered by the candidate (0: shadow; NaN: no active rollout)")
                    .register(registry);
        }
    }

    /**
     * A router over {@code index}, whose live version {@code live} searches (its store is normally the
     * index's {@link LiveVersionStore}); {@code embedders} gives each candidate's embedder.
     */
    public static Builder builder(VersionedIndex index, Retriever live, EmbedderResolver embedders) {
        return new Builder(index, live, embedders);
    }

    /** Settings of a {@link RolloutRouter}. */
    public static final class Builder {
        private final VersionedIndex index;
        private final Retriever live;
        private final EmbedderResolver embedders;
        private RolloutPolicy policy = RolloutPolicy.DEFAULTS;
        private Duration refresh;
        private Duration persistInterval = Duration.ofSeconds(5);
        private IntFunction<VectorStore> candidateOpener;
        private int threads = 2;
        private int queue = 256;
        private MeterRegistry registry;
        private Tracer tracer;

        private Builder(VersionedIndex index, Retriever live, EmbedderResolver embedders) {
            this.index = Objects.requireNonNull(index, "index");
            this.live = Objects.requireNonNull(live, "live");
            this.embedders = Objects.requireNonNull(embedders, "embedders");
            this.refresh = unwrap(index) instanceof DirectoryVersionedIndex d ? d.refreshInterval()
                    : DirectoryVersionedIndex.DEFAULT_REFRESH;
        }

        /** Limits and measurement; {@link RolloutPolicy#DEFAULTS} unless set. */
        public Builder policy(RolloutPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How often, at most, the rollout's state is read from the index; the index's own refresh interval
         * for a {@link DirectoryVersionedIndex}, else 1 s. Zero reads it at every query.
         */
        public Builder refresh(Duration refresh) {
            if (refresh.isNegative()) {
                throw new IllegalArgumentException("rollout refresh was " + refresh + " but it must be >= 0");
            }
            this.refresh = refresh;
            return this;
        }

        /** How often, at most, the figures are written into the index's properties; 5 s by default. */
        public Builder persistInterval(Duration persistInterval) {
            if (persistInterval.isNegative()) {
                throw new IllegalArgumentException("persist interval was " + persistInterval + " but it must be >= 0");
            }
            this.persistInterval = persistInterval;
            return this;
        }

        /**
         * Opens a candidate version's store for searching (e.g. wrapped with a keyword sidecar); by default a
         * read-only opening where the index has one, else {@link VersionedIndex#open}, wrapped with a BM25
         * sidecar when the live retriever's mode searches keywords and the store has no keyword search.
         */
        public Builder candidateStores(IntFunction<VectorStore> opener) {
            this.candidateOpener = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /** Background threads for shadow and comparison queries (2) and the queries waiting for them (256). */
        public Builder background(int threads, int queue) {
            if (threads < 1 || queue < 1) {
                throw new IllegalArgumentException("rollout background threads and queue were " + threads + " and "
                        + queue + " but they must be >= 1");
            }
            this.threads = threads;
            this.queue = queue;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        public RolloutRouter build() {
            return new RolloutRouter(this);
        }
    }

    /** The retriever of the live version. */
    public Retriever live() {
        return live;
    }

    /** The index's rollout as this router last read it (at most one refresh interval old). */
    public Optional<RolloutState> state() {
        return currentState();
    }

    /** This host's figures for the active or last rollout it served; empty before any. */
    public Optional<RolloutFigures> figures() {
        Tracked t = tracked;
        return t == null ? Optional.empty() : Optional.of(t.figures());
    }

    /**
     * Reads the state from the index now and, when a rollout is active, opens its candidate before
     * returning (a host may call it at start-up so that its first queries are already routed).
     */
    public Optional<RolloutState> refresh() {
        Optional<RolloutState> state = readState();
        state.ifPresent(s -> tracked(s, true));
        return state;
    }

    /**
     * Where a query with {@code routingKey} (or, when null, with the text {@code query}) goes now.
     */
    public Route route(String query, String routingKey) {
        Optional<RolloutState> state = currentState();
        if (state.isEmpty()) {
            return Route.LIVE;
        }
        Tracked t = tracked(state.get(), false);
        if (t == null || t.candidate == null) {
            return Route.LIVE;
        }
        if (!state.get().active()) {
            return t.servesCompleted ? Route.CANDIDATE : Route.LIVE;
        }
        return bucket(state.get().id(), routingKey != null ? routingKey : query) < state.get().currentStage().share()
                ? Route.CANDIDATE : Route.LIVE;
    }

    /**
     * A key's place in [0, 1) for one rollout: the first 53 bits of SHA-256(rollout id, key). Uniform, and
     * fixed for the pair, so a key's side depends only on the stage's share.
     */
    static double bucket(String rolloutId, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(rolloutId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(sha.digest()).getLong() >>> 11;
            return bits * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }

    /**
     * The best {@code topK} hits for {@code query}, from the side its routing key goes to; {@code timings}
     * gets the answering side's step timings (never those of background queries).
     *
     * @param routingKey the session's or user's key; null routes by the query's text
     */
    public List<SearchHit> retrieve(String query, Filter filter, int topK, String routingKey,
                                    Consumer<StepTiming> timings) {
        Optional<RolloutState> state = currentState();
        Tracked t = state.isEmpty() ? null : tracked(state.get(), false);
        if (t == null || t.candidate == null || !t.acquire()) {
            return live.retrieve(query, filter, topK, timings);
        }
        try {
            RolloutState s = state.get();
            if (!s.active()) {
                // Completed, but this host's live store still serves the old version (e.g. the candidate was built
                // with another embedder than the host's): the candidate, searched with its own embedder, answers.
                return t.servesCompleted ? t.candidate.retrieve(query, filter, topK, timings)
                        : live.retrieve(query, filter, topK, timings);
            }
            boolean toCandidate = bucket(s.id(), routingKey != null ? routingKey : query) < s.currentStage().share();
            if (toCandidate) {
                long start = System.nanoTime();
                List<SearchHit> hits;
                try {
                    hits = t.candidate.retrieve(query, filter, topK, timings);
                } catch (InvalidInputException e) {
                    throw e; // the query's fault, not the candidate's: live would refuse it too
                } catch (RuntimeException e) {
                    t.record(Route.CANDIDATE, "served", false, System.nanoTime() - start);
                    LOG.debug("index '{}': candidate v{} failed a query, the live version answers: {}", index.name(),
                            s.candidate(), e.toString());
                    judge(s, t);
                    return servedByLive(t, query, filter, topK, timings);
                }
                t.record(Route.CANDIDATE, "served", true, System.nanoTime() - start);
                compareLater(s, t, Route.CANDIDATE, hits, query, filter, topK);
                judge(s, t);
                return hits;
            }
            List<SearchHit> hits = servedByLive(t, query, filter, topK, timings);
            compareLater(s, t, Route.LIVE, hits, query, filter, topK);
            return hits;
        } finally {
            t.release();
            maybePersist(t);
        }
    }

    private List<SearchHit> servedByLive(Tracked t, String query, Filter filter, int topK,
                                         Consumer<StepTiming> timings) {
        long start = System.nanoTime();
        try {
            List<SearchHit> hits = live.retrieve(query, filter, topK, timings);
            t.record(Route.LIVE, "served", true, System.nanoTime() - start);
            return hits;
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            t.record(Route.LIVE, "served", false, System.nanoTime() - start);
            throw e;
        }
    }

    /** Runs {@code query} on the side that did not answer, in the background, and compares the two. */
    private void compareLater(RolloutState s, Tracked t, Route answered, List<SearchHit> answer, String query,
                              Filter filter, int topK) {
        if (policy.compareShare() < 1 && ThreadLocalRandom.current().nextDouble() >= policy.compareShare()) {
            return;
        }
        if (!t.acquire()) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    Route other = answered == Route.LIVE ? Route.CANDIDATE : Route.LIVE;
                    Retriever retriever = other == Route.LIVE ? live : t.candidate;
                    long start = System.nanoTime();
                    List<SearchHit> hits;
                    try {
                        hits = retriever.retrieve(query, filter, topK);
                    } catch (RuntimeException e) {
                        t.record(other, "shadow", false, System.nanoTime() - start);
                        if (other == Route.CANDIDATE) {
                            judge(s, t);
                        }
                        return;
                    }
                    t.record(other, "shadow", true, System.nanoTime() - start);
                    t.agree(Agreement.ofDocuments(answer, hits));
                    judge(s, t);
                } catch (RuntimeException e) {
                    LOG.warn("index '{}': a rollout comparison failed: {}", index.name(), e.toString());
                } finally {
                    t.release();
                }
            });
        } catch (RejectedExecutionException e) {
            t.release();
            if (registry != null) {
                Counter.builder("rag.rollout.compare.skipped").tag("index", index.name()).register(registry).increment();
            }
        }
    }

    /**
     * Checks the candidate's figures against the limits: rolls back when one is crossed, advances when a
     * stage has served enough healthy queries and the policy advances by itself.
     */
    private void judge(RolloutState s, Tracked t) {
        if (!t.judging.compareAndSet(false, true)) {
            return; // another thread judges these figures right now
        }
        try {
            if (t.ended) {
                return;
            }
            long requests = t.candidateRequests.sum();
            long errors = t.candidateErrors.sum();
            long compared = t.compared.sum();
            double agreement = compared == 0 ? Double.NaN : t.agreementSum.sum() / compared;
            if (requests >= policy.minQueries() && (double) errors / requests > policy.maxErrorRate()) {
                rollBack(s, t, "error-rate", String.format(Locale.ROOT, "candidate v%d error rate %.4f (%d failed of"
                        + " %d queries) is above the limit %s", s.candidate(), (double) errors / requests, errors,
                        requests, policy.maxErrorRate()));
            } else if (compared >= policy.minQueries() && agreement < policy.minAgreement()) {
                rollBack(s, t, "agreement", String.format(Locale.ROOT, "candidate v%d agreement with live v%d %.3f"
                        + " over %d compared queries is below the limit %s (agreement stands in for recall online)",
                        s.candidate(), s.baseline(), agreement, compared, policy.minAgreement()));
            } else if (policy.autoAdvanceAfter() > 0 && requests >= policy.minQueries()
                    && requests - t.stageStartRequests.get() >= policy.autoAdvanceAfter()) {
                RolloutState current = currentState().orElse(s);
                if (current.active() && current.id().equals(s.id())) {
                    LOG.info("index '{}': stage {} of rollout {} served {} healthy candidate queries: advancing",
                            index.name(), current.currentStage().describe(), s.id(), requests - t.stageStartRequests.get());
                    t.stageStartRequests.set(requests); // one advance per stage, even if the write below races
                    // In the background: completing promotes, and the live store then opens the new version.
                    background.execute(() -> {
                        try {
                            update(rollout.advanceIfStill(current));
                        } catch (RuntimeException e) {
                            LOG.warn("index '{}': advancing rollout {} failed: {}", index.name(), s.id(), e.toString());
                        }
                    });
                }
            }
        } catch (RejectedExecutionException e) {
            t.stageStartRequests.set(0); // the queue was full: advance on a later query
        } catch (RuntimeException e) {
            LOG.warn("index '{}': judging rollout {} failed: {}", index.name(), s.id(), e.toString());
        } finally {
            t.judging.set(false);
        }
    }

    private void rollBack(RolloutState s, Tracked t, String reasonTag, String reason) {
        t.ended = true;
        RolloutState now = rollout.rollBackIfStill(s, reason);
        update(now);
        if (registry != null) {
            Counter.builder("rag.rollout.rollbacks").tag("index", index.name()).tag("reason", reasonTag)
                    .register(registry).increment();
        }
        persist(t);
    }

    /** Serves {@code state} from now on, without waiting for the next read. */
    private void update(RolloutState state) {
        cached = new Cached(Optional.of(state), System.nanoTime());
    }

    private Optional<RolloutState> currentState() {
        Cached c = cached;
        if (c != null && System.nanoTime() - c.readAt < refreshNanos) {
            return c.state;
        }
        return readState();
    }

    private Optional<RolloutState> readState() {
        synchronized (lock) {
            Cached c = cached;
            Optional<RolloutState> state;
            try {
                state = RolloutState.fromProperties(index.properties());
            } catch (RagException e) {
                if (c == null || c.state.isPresent()) {
                    LOG.warn("index '{}': no rollout is served: {}", index.name(), e.getMessage());
                }
                state = Optional.empty();
            }
            cached = new Cached(state, System.nanoTime());
            return state;
        }
    }

    /**
     * The figures and candidate of {@code state}'s rollout, created when it is first seen (the candidate
     * opened in the background, or at once when {@code now}); null when nothing needs the candidate.
     */
    private Tracked tracked(RolloutState state, boolean now) {
        Tracked t = tracked;
        if (t != null && t.id.equals(state.id())) {
            if (t.stage != state.stage() || t.status != state.status()) {
                stageChanged(t, state);
            } else if (t.servesCompleted && System.nanoTime() - t.servesCheckedAt > refreshNanos) {
                t.servesCheckedAt = System.nanoTime();
                if (!completedButNotServedHere(state)) {
                    t.servesCompleted = false; // the live store serves the candidate now: its own opening can go
                    t.retire();
                }
            }
            return t;
        }
        if (!state.active()) {
            // An ended rollout this host has nothing to serve for: decided once per refresh interval, since
            // asking the index which version is live may cost a file stat.
            Idle idle = this.idle;
            if (idle != null && idle.id.equals(state.id()) && System.nanoTime() - idle.checkedAt < refreshNanos) {
                return null;
            }
            if (!completedButNotServedHere(state)) {
                this.idle = new Idle(state.id(), System.nanoTime());
                return null;
            }
        }
        synchronized (lock) {
            t = tracked;
            if (t != null && t.id.equals(state.id())) {
                return t;
            }
            Tracked fresh = new Tracked(state, RolloutFigures.fromProperties(index.properties(), state.id())
                    .orElse(RolloutFigures.empty(state)));
            Tracked old = tracked;
            tracked = fresh;
            if (old != null) {
                persist(old);
                old.retire();
            }
            if (now) {
                open(fresh, state);
            } else {
                try {
                    background.execute(() -> open(fresh, state));
                } catch (RejectedExecutionException e) {
                    tracked = null; // tried again on a later query
                }
            }
            return fresh;
        }
    }

    /** The rollout completed, but this host's live store still serves another version than the candidate. */
    private boolean completedButNotServedHere(RolloutState state) {
        if (state.status() != RolloutState.Status.COMPLETED || !(live.store() instanceof LiveVersionStore store)) {
            return false;
        }
        OptionalInt aliased = index.live();
        return aliased.isPresent() && aliased.getAsInt() == state.candidate() && store.version() != state.candidate();
    }

    private void stageChanged(Tracked t, RolloutState state) {
        synchronized (t) {
            if (t.stage == state.stage() && t.status == state.status()) {
                return;
            }
            t.stage = state.stage();
            t.status = state.status();
            t.stageStartRequests.set(t.candidateRequests.sum());
        }
        Span span = tracer.spanBuilder("rag.rollout.stage").setAttribute("index", index.name())
                .setAttribute("rollout", state.id()).setAttribute("stage", state.currentStage().label())
                .setAttribute("status", state.status().name()).startSpan();
        span.end();
        LOG.info("index '{}': now serving {}", index.name(), state.summary());
        if (!state.active()) {
            t.ended = true;
            t.servesCompleted = completedButNotServedHere(state);
            if (!t.servesCompleted) {
                t.retire(); // all traffic is live: the candidate's store closes once its last call returns
            }
        }
        persist(t);
    }

    private void open(Tracked t, RolloutState state) {
        try {
            IndexVersion version = index.versions().stream().filter(v -> v.number() == state.candidate()).findFirst()
                    .orElseThrow(() -> new InvalidInputException("version v" + state.candidate() + " no longer exists"));
            Embedder embedder = embedders.embedderFor(version.builtWith());
            if (!version.builtWith().sameEmbedder(IndexCompatibility.infoOf(embedder, ""))) {
                throw new RagConfigurationException("the embedder resolver gave '" + embedder.id() + "' (dimension "
                        + embedder.dimension() + ") for " + version.label() + ", built with "
                        + version.builtWith().describeEmbedder());
            }
            VectorStore store = candidateOpener.apply(state.candidate());
            try {
                t.open(live.toBuilder().embedder(embedder).store(store).indexVersion(state.candidate()).build(), store);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            t.servesCompleted = !state.active() && completedButNotServedHere(state);
            if (closed || tracked != t || (t.ended && !t.servesCompleted)) {
                t.retire();
            }
            LOG.info("index '{}': serving {} with candidate v{} searched by embedder {}", index.name(), state.summary(),
                    state.candidate(), embedder.id());
        } catch (RuntimeException e) {
            LOG.error("index '{}': candidate v{} of rollout {} cannot be served by this host: {}", index.name(),
                    state.candidate(), state.id(), e.toString());
            if (state.active()) {
                rollBack(state, t, "unservable", "candidate v" + state.candidate() + " cannot be served: "
                        + e.getMessage());
            }
        }
    }

    private VectorStore openCandidateStore(int version) {
        VectorStore store;
        if (unwrap(index) instanceof DirectoryVersionedIndex directory) {
            try {
                store = directory.openReadOnly(version);
            } catch (IllegalStateException noReadOnly) {
                store = index.open(version);
            }
        } else {
            store = index.open(version);
        }
        if (live.mode() == dev.ragkit.core.model.RetrievalMode.DENSE) {
            return store;
        }
        try {
            return dev.ragkit.core.store.Bm25SidecarStore.wrapIfNeeded(store, dev.ragkit.core.text.TextAnalyzer
                    .frenchEnglish());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The index under any forwarding wrappers (e.g. the instrumented one a host is given). */
    private static VersionedIndex unwrap(VersionedIndex index) {
        VersionedIndex inner = index;
        while (inner instanceof dev.ragkit.core.store.ForwardingVersionedIndex forwarding) {
            inner = forwarding.delegate();
        }
        return inner;
    }

    private void maybePersist(Tracked t) {
        long now = System.nanoTime();
        long last = t.persistedAt.get();
        if (now - last >= persistNanos && t.persistedAt.compareAndSet(last, now)) {
            try {
                background.execute(() -> persist(t));
            } catch (RejectedExecutionException e) {
                t.persistedAt.set(last); // tried again on a later query
            }
        }
    }

    /**
     * Adds what this host counted since its last write to the figures kept in the index (so that hosts,
     * restarts and one-off processes add up rather than overwrite each other; two hosts writing at the same
     * instant may lose one's increment, which the next write does not repair: the figures are a close
     * count, the limits are judged on each host's own).
     */
    private void persist(Tracked t) {
        synchronized (t) {
            try {
                RolloutFigures now = t.figures();
                RolloutFigures kept = RolloutFigures.fromProperties(index.properties(), t.id).orElse(null);
                index.putProperties((kept == null ? now : kept.plus(now.minus(t.lastPersisted), now)).toProperties());
                t.lastPersisted = now;
            } catch (RuntimeException e) {
                LOG.warn("index '{}': cannot write the rollout figures: {}", index.name(), e.toString());
            }
        }
    }

    /** The current rollout's mean agreement when {@code version} is its candidate; NaN otherwise or before any. */
    private double agreementOf(int version) {
        Tracked t = tracked;
        if (t == null || t.candidateVersion != version || t.compared.sum() == 0) {
            return Double.NaN;
        }
        return t.agreementSum.sum() / t.compared.sum();
    }

    private double shareNow() {
        Cached c = cached;
        return c == null || c.state.isEmpty() || !c.state.get().active() ? Double.NaN
                : c.state.get().currentStage().share();
    }

    /** Writes the figures, waits briefly for background queries and closes the candidate's store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            background.shutdownNow();
        }
        Tracked t = tracked;
        if (t != null) {
            persist(t);
            t.retire();
        }
    }

    /** One rollout's figures and, once opened, its candidate; closed when no call uses it any more. */
    private final class Tracked {
        final String id;
        final int candidateVersion;
        final int liveVersion;
        volatile Retriever candidate;
        private volatile VectorStore store;
        volatile int stage;
        volatile RolloutState.Status status;
        volatile boolean ended;
        volatile boolean servesCompleted;
        volatile long servesCheckedAt = System.nanoTime();
        private final AtomicBoolean retired = new AtomicBoolean();
        final AtomicBoolean judging = new AtomicBoolean();
        final LongAdder liveRequests = new LongAdder();
        final LongAdder liveErrors = new LongAdder();
        final LongAdder candidateRequests = new LongAdder();
        final LongAdder candidateErrors = new LongAdder();
        final LongAdder compared = new LongAdder();
        final DoubleAdder agreementSum = new DoubleAdder();
        final AtomicLong stageStartRequests = new AtomicLong();
        final AtomicLong persistedAt = new AtomicLong(System.nanoTime());
        final Window liveLatency = new Window();
        final Window candidateLatency = new Window();
        /** The figures as of the last write into the index (guarded by this). */
        RolloutFigures lastPersisted;
        /** One for being current, plus one per call using the candidate. */
        private final AtomicInteger references = new AtomicInteger(1);

        Tracked(RolloutState state, RolloutFigures start) {
            this.id = state.id();
            this.candidateVersion = state.candidate();
            this.liveVersion = state.baseline();
            this.stage = state.stage();
            this.status = state.status();
            this.ended = !state.active();
            liveRequests.add(start.live().requests());
            liveErrors.add(start.live().errors());
            candidateRequests.add(start.candidate().requests());
            candidateErrors.add(start.candidate().errors());
            compared.add(start.compared());
            agreementSum.add(start.agreementSum());
            stageStartRequests.set(start.stageStartRequests());
            lastPersisted = start;
            if (registry != null) {
                // Bound to the router, not to this rollout: a later rollout of the same version reuses the gauge.
                int version = candidateVersion;
                Gauge.builder("rag.rollout.agreement", RolloutRouter.this, r -> r.agreementOf(version))
                        .tag("index", index.name()).tag("index.version", "v" + candidateVersion)
                        .description("mean agreement of the candidate's results with the live version's")
                        .register(registry);
            }
        }

        void open(Retriever retriever, VectorStore opened) {
            this.store = opened;
            this.candidate = retriever;
        }

        boolean acquire() {
            while (true) {
                int r = references.get();
                if (r == 0) {
                    return false;
                }
                if (references.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0 && store != null) {
                try {
                    store.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing candidate v{}'s store failed: {}", candidateVersion, e.toString());
                }
            }
        }

        /** No longer current: its store closes when its last call returns. */
        void retire() {
            if (retired.compareAndSet(false, true)) {
                release();
            }
        }

        void record(Route side, String path, boolean success, long nanos) {
            boolean isLive = side == Route.LIVE;
            (isLive ? liveRequests : candidateRequests).increment();
            if (!success) {
                (isLive ? liveErrors : candidateErrors).increment();
            }
            (isLive ? liveLatency : candidateLatency).add(nanos);
            if (registry != null) {
                String version = "v" + (isLive ? liveVersionNow() : candidateVersion);
                String role = isLive ? "live" : "candidate";
                Counter.builder("rag.rollout.requests").tag("index", index.name()).tag("index.version", version)
                        .tag("role", role).tag("path", path).tag("outcome", success ? "success" : "error")
                        .register(registry).increment();
                Timer.builder("rag.rollout.latency").tag("index", index.name()).tag("index.version", version)
                        .tag("role", role).register(registry).record(Duration.ofNanos(nanos));
            }
        }

        private int liveVersionNow() {
            return live.store() instanceof LiveVersionStore s ? s.version() : liveVersion;
        }

        void agree(double agreement) {
            agreementSum.add(agreement);
            compared.increment();
        }

        RolloutFigures figures() {
            return new RolloutFigures(id,
                    new RolloutFigures.Side(liveVersion, liveRequests.sum(), liveErrors.sum(), liveLatency.p95Millis()),
                    new RolloutFigures.Side(candidateVersion, candidateRequests.sum(), candidateErrors.sum(),
                            candidateLatency.p95Millis()),
                    compared.sum(), agreementSum.sum(), stageStartRequests.get());
        }
    }

    /** The latest latencies of one side, for its p95. */
    private static final class Window {
        private final long[] nanos = new long[LATENCY_WINDOW];
        private int next;
        private int size;

        synchronized void add(long value) {
            nanos[next] = value;
            next = (next + 1) % nanos.length;
            size = Math.min(size + 1, nanos.length);
        }

        synchronized double p95Millis() {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            return sorted[(int) Math.ceil(0.95 * size) - 1] / 1e6;
        }
    }
}
