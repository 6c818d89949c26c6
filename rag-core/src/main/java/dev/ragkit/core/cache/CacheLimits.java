package dev.ragkit.core.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of both regions.
 *
 * @param embeddings limits of {@link CacheRegion#EMBEDDINGS}
 * @param results limits of {@link CacheRegion#RESULTS}
 */
public record CacheLimits(RegionLimits embeddings, RegionLimits results) {
    /** 10,000 query vectors for an hour; 10,000 result lists for five minutes. */
    public static final CacheLimits DEFAULTS = new CacheLimits(new RegionLimits(10_000, Duration.ofHours(1)),
            new RegionLimits(10_000, Duration.ofMinutes(5)));

    public CacheLimits {
        Objects.requireNonNull(embeddings, "embeddings");
        Objects.requireNonNull(results, "results");
    }

    /** The limits of {@code region}. */
    public RegionLimits of(CacheRegion region) {
        return region == CacheRegion.EMBEDDINGS ? embeddings : results;
    }
}
