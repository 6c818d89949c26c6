package dev.ragkit.core.spi;

import java.util.Set;

/**
 * Checks text at one or more pipeline stages. Thread-safe; returns a verdict and never throws for
 * content it dislikes.
 */
public interface Guard {
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
}
