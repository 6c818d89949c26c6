package dev.ragkit.core.index;

import dev.ragkit.core.spi.VersionedIndex;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a rollout's figures into the index's properties, at most once per persist interval from queries. */
final class RolloutFiguresWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    private final VersionedIndex index;
    private final long persistNanos;
    private final RolloutBackground background;

    RolloutFiguresWriter(VersionedIndex index, long persistNanos, RolloutBackground background) {
        this.index = index;
        this.persistNanos = persistNanos;
        this.background = background;
    }

    /** Writes in the background when the last write is older than the persist interval. */
    void maybePersist(TrackedRollout t) {
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
    void persist(TrackedRollout t) {
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
}
