package dev.ragkit.core.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one {@link CacheRegion} may hold and for how long.
 *
 * @param maxEntries entries kept at most; the least recently used go first
 * @param ttl how long an entry may be served after it was written
 */
public record RegionLimits(long maxEntries, Duration ttl) {
    public RegionLimits {
        Objects.requireNonNull(ttl, "ttl");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries was " + maxEntries + " but it must be >= 1");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl was " + ttl + " but it must be positive");
        }
    }
}
