package dev.ragkit.llm.http;

import java.time.Duration;

/**
 * Waits between two attempts. The real one sleeps; tests pass one that records the waits, so
 * backoff and {@code Retry-After} are checked without wall-clock timing.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
}
