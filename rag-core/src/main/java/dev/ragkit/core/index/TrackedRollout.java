package dev.ragkit.core.index;

import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.LiveVersionStore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rollout as a {@link RolloutRouter} serves it: this host's figures and, once opened, the candidate's
 * retriever, whose store closes when no call uses it any more (reference counted: one reference for being
 * the router's current rollout, plus one per call using the candidate).
 */
final class TrackedRollout {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    final String id;
    final int candidateVersion;
    final int liveVersion;
    volatile Retriever candidate;
    private volatile VectorStore store;
    volatile int stage;
    volatile RolloutState.Status status;
    volatile boolean ended;
    /** Completed, and this host's live store still serves the old version: the candidate answers. */
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
    private final LatencyWindow liveLatency = new LatencyWindow();
    private final LatencyWindow candidateLatency = new LatencyWindow();
    /** The figures as of the last write into the index (guarded by this). */
    RolloutFigures lastPersisted;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Retriever live;
    private final RolloutMeters meters;

    /**
     * @param start the figures kept in the index for this rollout (by other hosts or earlier runs)
     * @param live the live retriever, whose store tells the version it serves now
     */
    TrackedRollout(RolloutState state, RolloutFigures start, Retriever live, RolloutMeters meters) {
        this.id = state.id();
        this.candidateVersion = state.candidate();
        this.liveVersion = state.baseline();
        this.stage = state.stage();
        this.status = state.status();
        this.ended = !state.active();
        this.live = live;
        this.meters = meters;
        liveRequests.add(start.live().requests());
        liveErrors.add(start.live().errors());
        candidateRequests.add(start.candidate().requests());
        candidateErrors.add(start.candidate().errors());
        compared.add(start.compared());
        agreementSum.add(start.agreementSum());
        stageStartRequests.set(start.stageStartRequests());
        lastPersisted = start;
    }

    void open(Retriever retriever, VectorStore opened) {
        this.store = opened;
        this.candidate = retriever;
    }

    /** Takes a reference for one call; false once retired and released (the store is closed). */
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

    /** Counts one query of {@code side} ({@code path} served or shadow). */
    void record(RolloutRouter.Route side, String path, boolean success, long nanos) {
        boolean isLive = side == RolloutRouter.Route.LIVE;
        (isLive ? liveRequests : candidateRequests).increment();
        if (!success) {
            (isLive ? liveErrors : candidateErrors).increment();
        }
        (isLive ? liveLatency : candidateLatency).add(nanos);
        meters.request(isLive ? liveVersionNow() : candidateVersion, isLive, path, success, nanos);
    }

    private int liveVersionNow() {
        return live.store() instanceof LiveVersionStore s ? s.version() : liveVersion;
    }

    void agree(double agreement) {
        agreementSum.add(agreement);
        compared.increment();
    }

    /** The mean agreement so far; NaN before any comparison. */
    double agreement() {
        long n = compared.sum();
        return n == 0 ? Double.NaN : agreementSum.sum() / n;
    }

    RolloutFigures figures() {
        return new RolloutFigures(id,
                new RolloutFigures.Side(liveVersion, liveRequests.sum(), liveErrors.sum(), liveLatency.p95Millis()),
                new RolloutFigures.Side(candidateVersion, candidateRequests.sum(), candidateErrors.sum(),
                        candidateLatency.p95Millis()),
                compared.sum(), agreementSum.sum(), stageStartRequests.get());
    }
}
