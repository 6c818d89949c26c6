package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.ForwardingVersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.OptionalInt;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout a {@link RolloutRouter} serves now, followed through its stages: tracked when first seen
 * (its figures resumed from the index), its candidate opened in the background (or at once on a refresh),
 * and retired when the rollout ends or another one starts. A candidate that cannot be opened rolls an
 * active rollout back.
 */
final class RolloutCandidates {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    /** An ended rollout this host has nothing to serve for, and when that was decided. */
    private record Idle(String id, long checkedAt) {
    }

    private final VersionedIndex index;
    private final Retriever live;
    private final EmbedderResolver embedders;
    private final IntFunction<VectorStore> candidateOpener;
    /** How a candidate's BM25 sidecar reads text: as the live one does. */
    private final TextAnalyzer keywordAnalyzer;
    private final KeywordWeights keywordWeights;
    private final long refreshNanos;
    private final Tracer tracer;
    private final RolloutBackground background;
    private final RolloutFiguresWriter writer;
    private final RolloutJudge judge;
    private final RolloutMeters meters;
    private final Object lock = new Object();
    private volatile TrackedRollout tracked;
    private volatile Idle idle;

    /**
     * @param candidateOpener opens a candidate's store; null for the default ({@code openCandidateStore})
     * @param keywordAnalyzer the analyzer of the default opener's BM25 sidecar
     * @param keywordWeights that sidecar's proximity and subword weights
     */
    RolloutCandidates(VersionedIndex index, Retriever live, EmbedderResolver embedders,
                      IntFunction<VectorStore> candidateOpener, TextAnalyzer keywordAnalyzer,
                      KeywordWeights keywordWeights, long refreshNanos,
                      Tracer tracer,
                      RolloutBackground background, RolloutFiguresWriter writer, RolloutJudge judge,
                      RolloutMeters meters) {
        this.index = index;
        this.live = live;
        this.embedders = embedders;
        this.candidateOpener = candidateOpener != null ? candidateOpener : this::openCandidateStore;
        this.keywordAnalyzer = keywordAnalyzer;
        this.keywordWeights = keywordWeights;
        this.refreshNanos = refreshNanos;
        this.tracer = tracer;
        this.background = background;
        this.writer = writer;
        this.judge = judge;
        this.meters = meters;
    }

    /** The active or last rollout this router served; null before any. */
    TrackedRollout current() {
        return tracked;
    }

    /**
     * The figures and candidate of {@code state}'s rollout, created when it is first seen (the candidate
     * opened in the background, or at once when {@code now}); null when nothing needs the candidate.
     */
    TrackedRollout tracked(RolloutState state, boolean now) {
        TrackedRollout t = tracked;
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
            TrackedRollout fresh = new TrackedRollout(state, RolloutFigures.fromProperties(index.properties(),
                    state.id()).orElse(RolloutFigures.empty(state)), live, meters);
            // Bound to these candidates, not to this rollout: a later rollout of the same version reuses the gauge.
            int version = fresh.candidateVersion;
            meters.agreement(version, this, c -> c.agreementOf(version));
            TrackedRollout old = tracked;
            tracked = fresh;
            if (old != null) {
                writer.persist(old);
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

    private void stageChanged(TrackedRollout t, RolloutState state) {
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
        writer.persist(t);
    }

    private void open(TrackedRollout t, RolloutState state) {
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
            if (background.closed() || tracked != t || (t.ended && !t.servesCompleted)) {
                t.retire();
            }
            LOG.info("index '{}': serving {} with candidate v{} searched by embedder {}", index.name(), state.summary(),
                    state.candidate(), embedder.id());
        } catch (RuntimeException e) {
            LOG.error("index '{}': candidate v{} of rollout {} cannot be served by this host: {}", index.name(),
                    state.candidate(), state.id(), e.toString());
            if (state.active()) {
                judge.rollBack(state, t, "unservable", "candidate v" + state.candidate() + " cannot be served: "
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
        if (live.mode() == RetrievalMode.DENSE) {
            return store;
        }
        try {
            return Bm25SidecarStore.wrapIfNeeded(store, keywordAnalyzer, keywordWeights);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The index under any forwarding wrappers (e.g. the instrumented one a host is given). */
    static VersionedIndex unwrap(VersionedIndex index) {
        VersionedIndex inner = index;
        while (inner instanceof ForwardingVersionedIndex forwarding) {
            inner = forwarding.delegate();
        }
        return inner;
    }

    /** The current rollout's mean agreement when {@code version} is its candidate; NaN otherwise or before any. */
    private double agreementOf(int version) {
        TrackedRollout t = tracked;
        return t == null || t.candidateVersion != version ? Double.NaN : t.agreement();
    }

    /** Writes the current rollout's figures and lets its candidate's store close (the router is closing). */
    void close() {
        TrackedRollout t = tracked;
        if (t != null) {
            writer.persist(t);
            t.retire();
        }
    }
}
