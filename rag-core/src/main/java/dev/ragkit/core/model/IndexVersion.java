package dev.ragkit.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a versioned index and what built it. Versions are numbered from 1 in creation
 * order; a number is never reused, even after its version was dropped, so {@code v3} names one build
 * for the index's whole life.
 *
 * @param number the version number, from 1
 * @param builtWith the embedder and splitter that fill it
 * @param state {@link State#BUILDING} until its build completed, then {@link State#READY}
 * @param created when it was created
 * @param sourceFingerprint a digest of the source it was built from (ids and content hashes of its
 *     documents); empty while building
 * @param documents documents it holds once ready (0 while building)
 * @param chunks chunks it holds once ready (0 while building)
 */
public record IndexVersion(int number, IndexInfo builtWith, State state, Instant created, String sourceFingerprint,
                           long documents, long chunks) {
    /** Where a version is in its life. Only a ready version can become live. */
    public enum State {
        /** Created and being filled; never served. */
        BUILDING,
        /** Completely built: it may become live. */
        READY
    }

    public IndexVersion {
        if (number < 1) {
            throw new IllegalArgumentException("index version number was " + number + " but it must be >= 1");
        }
        Objects.requireNonNull(builtWith, "builtWith");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
        if (documents < 0 || chunks < 0) {
            throw new IllegalArgumentException("index version " + number + " counts were " + documents
                    + " documents and " + chunks + " chunks but they must be >= 0");
        }
    }

    /** A new, empty version being built. */
    public static IndexVersion building(int number, IndexInfo builtWith, Instant created) {
        return new IndexVersion(number, builtWith, State.BUILDING, created, "", 0, 0);
    }

    /** This version, completely built from the source with this fingerprint and these counts. */
    public IndexVersion ready(String sourceFingerprint, long documents, long chunks) {
        return new IndexVersion(number, builtWith, State.READY, created, sourceFingerprint, documents, chunks);
    }

    /** {@code v3}: how names and messages show it. */
    public String label() {
        return "v" + number;
    }
}
