package dev.ragkit.core.spi;

import java.util.Set;

/**
 * Checks text at one or more pipeline stages. Thread-safe; returns a verdict and never throws for
 * content it dislikes.
 */
public interface Guard extends AutoCloseable {
    /** The provider name, e.g. {@code pii}; used in metrics tags and reasons. */
    String name();

    /** The stages this guard wants to see; the pipeline calls it only for these. */
    Set<GuardStage> stages();

    /** Decides on one text. */
    GuardVerdict check(GuardInput input);

    /**
     * The pipeline is done with request {@code requestId} (see {@link GuardInput#requestId()}),
     * whatever its outcome (answered, blocked, nothing found, failed): a guard that keeps state per
     * request drops it here. Does nothing by default; must not throw.
     */
    default void requestFinished(String requestId) {
    }

    /**
     * Releases what this guard holds (native sessions, connection pools, threads). Idempotent: later
     * calls do nothing. Afterwards the other methods may fail with an exception saying the guard is
     * closed; an implementation that holds nothing may stay usable and says so. Must not be called
     * while other calls are in flight. Does nothing by default; throws no checked exception.
     */
    @Override
    default void close() {
    }
}
