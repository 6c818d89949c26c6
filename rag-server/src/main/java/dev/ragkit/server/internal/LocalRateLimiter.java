package dev.ragkit.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Fixed windows counted in this process; the clock is injectable so tests can move time. */
public final class LocalRateLimiter implements RateLimiter {
    private final Clock clock;
    private final long windowMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long index, int count) {
    }

    public LocalRateLimiter(Clock clock, Duration window) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        if (windowMillis < 1) {
            throw new IllegalArgumentException("the rate-limit window must be at least 1 ms, was " + window);
        }
    }

    @Override
    public Decision acquire(String key, int limit) {
        long now = clock.millis();
        long index = Math.floorDiv(now, windowMillis);
        Window w = windows.compute(key, (k, old) -> old == null || old.index() != index ? new Window(index, 1)
                : new Window(index, old.count() == Integer.MAX_VALUE ? old.count() : old.count() + 1));
        // Windows of other keys that ended are dropped lazily, so the map holds only active tokens.
        if (windows.size() > 10_000) {
            windows.values().removeIf(old -> old.index() < index);
        }
        long reset = Math.max(1, ((index + 1) * windowMillis - now + 999) / 1000);
        return new Decision(w.count() <= limit, limit, Math.max(0, limit - w.count()), reset);
    }
}
