package dev.ragkit.core.index;

import dev.ragkit.core.RagException;
import dev.ragkit.core.spi.VersionedIndex;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout's state as a {@link RolloutRouter} last read it from the index, read again at most once per
 * refresh interval, so another process's advance or abort is followed within it.
 */
final class RolloutStateCache {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRouter.class);

    private record Cached(Optional<RolloutState> state, long readAt) {
    }

    private final VersionedIndex index;
    private final long refreshNanos;
    private final Object lock = new Object();
    private volatile Cached cached;

    RolloutStateCache(VersionedIndex index, long refreshNanos) {
        this.index = index;
        this.refreshNanos = refreshNanos;
    }

    /** The state, read from the index when the cached one is older than the refresh interval. */
    Optional<RolloutState> current() {
        Cached c = cached;
        if (c != null && System.nanoTime() - c.readAt < refreshNanos) {
            return c.state;
        }
        return read();
    }

    /** Reads the state from the index now; an unreadable state serves no rollout (logged once). */
    Optional<RolloutState> read() {
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

    /** Serves {@code state} from now on, without waiting for the next read (after this host changed it). */
    void update(RolloutState state) {
        cached = new Cached(Optional.of(state), System.nanoTime());
    }

    /** The active stage's share as last read; NaN when no rollout is active. */
    double shareNow() {
        Cached c = cached;
        return c == null || c.state.isEmpty() || !c.state.get().active() ? Double.NaN
                : c.state.get().currentStage().share();
    }
}
