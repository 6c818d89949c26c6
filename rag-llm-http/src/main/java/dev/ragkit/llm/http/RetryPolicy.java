package dev.ragkit.llm.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How often and how long to wait before trying a failed call again: exponential backoff with
 * jitter, never shorter than the server's {@code Retry-After}, and no retry at all when the server
 * asks for a longer wait than {@code maxRetryAfter} (better to fall back than to hang).
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 *
 * @param retries extra attempts after the first one, {@code >= 0}
 * @param initialBackoff wait before the first retry, before jitter
 * @param maxBackoff upper bound of the exponential wait, before {@code Retry-After}
 * @param maxRetryAfter longest {@code Retry-After} the client is willing to honour
 * @param sleeper how to wait
 * @param random source of jitter
 */
public record RetryPolicy(int retries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
                          Sleeper sleeper, Random random) {
    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries was " + retries + " but it must be >= 0");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial (" + initialBackoff
                    + ") <= max (" + maxBackoff + ")");
        }
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): half the exponential
     * delay plus a random part of the other half ("equal jitter", so concurrent clients spread out
     * but never retry at once), raised to {@code retryAfter} when the server asked for longer.
     *
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public Duration delayBefore(int retry, Duration retryAfter) {
        long initial = initialBackoff.toMillis();
        long exponential = initial << Math.min(Math.max(retry - 1, 0), 30);
        long capped = Math.min(exponential < 0 ? Long.MAX_VALUE : exponential, maxBackoff.toMillis());
        long half = capped / 2;
        long jittered = half + (capped - half == 0 ? 0 : (long) (random.nextDouble() * (capped - half)));
        Duration delay = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        return delay;
    }

    /** True when the server's {@code Retry-After} is longer than this client will wait. */
    public boolean tooLong(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0;
    }
}
