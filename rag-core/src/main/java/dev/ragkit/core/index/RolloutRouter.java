package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.StepTiming;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>This class routes each request; the rest is done by package-private parts: {@code RolloutStateCache}
 * (reading the state), {@code RolloutCandidates} (following the rollout and opening its candidate),
 * {@code RolloutComparisons} (background shadow and comparison queries), {@code RolloutJudge} (limits:
 * automatic rollback and advance), {@code RolloutFiguresWriter} and {@code RolloutMeters}.
 */
public final class RolloutRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    /** Where a query goes. */
    public enum Route {
        /** The live version answers. */
        LIVE,
        /** The candidate answers. */
        CANDIDATE
    }

    private final String indexName;
    private final Retriever live;
    private final RolloutStateCache states;
    private final RolloutBackground background;
    private final RolloutFiguresWriter writer;
    private final RolloutJudge judge;
    private final RolloutComparisons comparisons;
    private final RolloutCandidates candidates;
    private volatile boolean closed;

    private RolloutRouter(Builder b) {
        this.indexName = b.index.name();
        this.live = b.live;
        Tracer tracer = b.tracer != null ? b.tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
        Rollout rollout = Rollout.builder(b.index).embedders(b.embedders).meterRegistry(b.registry).tracer(tracer)
                .build();
        RolloutMeters meters = new RolloutMeters(b.registry, b.index.name());
        this.states = new RolloutStateCache(b.index, b.refresh.toNanos());
        this.background = new RolloutBackground(b.index.name(), b.threads, b.queue);
        this.writer = new RolloutFiguresWriter(b.index, b.persistInterval.toNanos(), background);
        this.judge = new RolloutJudge(b.index.name(), b.policy, rollout, states, background, writer, meters);
        this.comparisons = new RolloutComparisons(b.index.name(), b.policy.compareShare(), b.live, background, judge,
                meters);
        this.candidates = new RolloutCandidates(b.index, b.live, b.embedders, b.candidateOpener, b.keywordAnalyzer,
                b.keywordWeights,
                b.refresh.toNanos(),
                tracer, background, writer, judge, meters);
        meters.share(states, RolloutStateCache::shareNow);
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
        private TextAnalyzer keywordAnalyzer = TextAnalyzer.auto();
        private KeywordWeights keywordWeights = KeywordWeights.DEFAULTS;
        private int threads = 2;
        private int queue = 256;
        private MeterRegistry registry;
        private Tracer tracer;

        private Builder(VersionedIndex index, Retriever live, EmbedderResolver embedders) {
            this.index = Objects.requireNonNull(index, "index");
            this.live = Objects.requireNonNull(live, "live");
            this.embedders = Objects.requireNonNull(embedders, "embedders");
            this.refresh = RolloutCandidates.unwrap(index) instanceof DirectoryVersionedIndex d ? d.refreshInterval()
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

        /**
         * How the default candidate opener's BM25 sidecar reads text: the live store's analyzer, so that a
         * candidate is compared on equal terms; {@link TextAnalyzer#auto()} unless set.
         */
        public Builder keywordAnalyzer(TextAnalyzer analyzer) {
            this.keywordAnalyzer = Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        /** The proximity and subword weights of the default candidate opener's BM25 sidecar, as the live store's. */
        public Builder keywordWeights(KeywordWeights weights) {
            this.keywordWeights = Objects.requireNonNull(weights, "weights");
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
        return states.current();
    }

    /** This host's figures for the active or last rollout it served; empty before any. */
    public Optional<RolloutFigures> figures() {
        TrackedRollout t = candidates.current();
        return t == null ? Optional.empty() : Optional.of(t.figures());
    }

    /**
     * Reads the state from the index now and, when a rollout is active, opens its candidate before
     * returning (a host may call it at start-up so that its first queries are already routed).
     */
    public Optional<RolloutState> refresh() {
        Optional<RolloutState> state = states.read();
        state.ifPresent(s -> candidates.tracked(s, true));
        return state;
    }

    /**
     * Where a query with {@code routingKey} (or, when null, with the text {@code query}) goes now.
     */
    public Route route(String query, String routingKey) {
        Optional<RolloutState> state = states.current();
        if (state.isEmpty()) {
            return Route.LIVE;
        }
        TrackedRollout t = candidates.tracked(state.get(), false);
        if (t == null || t.candidate == null) {
            return Route.LIVE;
        }
        if (!state.get().active()) {
            return t.servesCompleted ? Route.CANDIDATE : Route.LIVE;
        }
        return toCandidate(state.get(), query, routingKey) ? Route.CANDIDATE : Route.LIVE;
    }

    private static boolean toCandidate(RolloutState state, String query, String routingKey) {
        return bucket(state.id(), routingKey != null ? routingKey : query) < state.currentStage().share();
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
        Optional<RolloutState> state = states.current();
        TrackedRollout t = state.isEmpty() ? null : candidates.tracked(state.get(), false);
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
            if (toCandidate(s, query, routingKey)) {
                return servedByCandidate(s, t, query, filter, topK, timings);
            }
            List<SearchHit> hits = servedByLive(t, query, filter, topK, timings);
            comparisons.compareLater(s, t, Route.LIVE, hits, query, filter, topK);
            return hits;
        } finally {
            t.release();
            writer.maybePersist(t);
        }
    }

    /** The candidate answers; when it fails, the error is counted and the live version answers instead. */
    private List<SearchHit> servedByCandidate(RolloutState s, TrackedRollout t, String query, Filter filter, int topK,
                                              Consumer<StepTiming> timings) {
        long start = System.nanoTime();
        List<SearchHit> hits;
        try {
            hits = t.candidate.retrieve(query, filter, topK, timings);
        } catch (InvalidInputException e) {
            throw e; // the query's fault, not the candidate's: live would refuse it too
        } catch (RuntimeException e) {
            t.record(Route.CANDIDATE, "served", false, System.nanoTime() - start);
            LOG.debug("index '{}': candidate v{} failed a query, the live version answers: {}", indexName,
                    s.candidate(), e.toString());
            judge.judge(s, t);
            return servedByLive(t, query, filter, topK, timings);
        }
        t.record(Route.CANDIDATE, "served", true, System.nanoTime() - start);
        comparisons.compareLater(s, t, Route.CANDIDATE, hits, query, filter, topK);
        judge.judge(s, t);
        return hits;
    }

    private List<SearchHit> servedByLive(TrackedRollout t, String query, Filter filter, int topK,
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

    /** Writes the figures, waits briefly for background queries and closes the candidate's store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        background.close();
        candidates.close();
    }
}
