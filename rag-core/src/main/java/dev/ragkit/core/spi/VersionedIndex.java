package dev.ragkit.core.spi;

import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The versions of one named index and the alias that says which one is live, implemented natively by
 * each store that can (version directories and an alias file replaced atomically for the embedded
 * stores, {@code _aliases} for Elasticsearch and OpenSearch, {@code FT.ALIASUPDATE} for RediSearch, a
 * pointer kept by Ragkit where the store has no alias). A new version is built beside the live one
 * while queries keep hitting the live one; moving the alias is one atomic step, so a reader sees the
 * old version or the new one, never a mix, and a crash at any point leaves exactly one version live.
 *
 * <p>Obtained from {@link VectorStoreProvider#versioned}; the test kit's {@code VersionedIndexConformanceTest}
 * checks every implementation. Thread-safe. Closing it does not close the stores it opened.
 */
public interface VersionedIndex extends AutoCloseable {
    /** The index's name, e.g. {@code routing}; stores derive their native names from it. */
    String name();

    /** Every version that exists, ascending by number, live or not. */
    List<IndexVersion> versions();

    /** The version the alias points at; empty before the first {@link #promote}. */
    OptionalInt live();

    /**
     * Creates the next version, empty and {@link IndexVersion.State#BUILDING BUILDING}, beside the
     * others; the live version is not touched. Its number is one more than the highest ever created.
     */
    IndexVersion create(IndexInfo builtWith);

    /**
     * A read-write store over one version, for building it or serving it directly; the caller closes
     * it. A version is opened by one writer at a time (a second writer fails with a clear error).
     *
     * @throws dev.ragkit.core.InvalidInputException when no such version exists
     */
    VectorStore open(int version);

    /**
     * A store that serves the live version and follows the alias: after {@link #promote} or
     * {@link #rollback}, in this process or another one, its next searches hit the new live version.
     * Searches in flight finish on the version they started on. The caller closes it. Implementations
     * return a {@link dev.ragkit.core.store.LiveVersionStore}, which does all this over any implementation
     * and lets retrieval metrics tag the version served.
     *
     * @throws dev.ragkit.core.RagException when no version is live yet
     */
    VectorStore openLive();

    /**
     * Marks a completely built version {@link IndexVersion.State#READY READY} with what it was built from;
     * durable once this returns. Call it after the version's store was flushed or closed: from then on the
     * version may be promoted and served.
     */
    IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks);

    /**
     * Points the alias at {@code version} in one atomic, durable step, remembering the version it
     * pointed at before (for {@link #rollback}).
     *
     * @throws dev.ragkit.core.InvalidInputException when the version does not exist or is not ready
     */
    void promote(int version);

    /**
     * Points the alias back at the version that was live before the last promote, in one step.
     *
     * @return the version now live
     * @throws dev.ragkit.core.RagException when there is no earlier live version left to return to
     */
    int rollback();

    /**
     * Removes a version and its data.
     *
     * @throws dev.ragkit.core.InvalidInputException when it is the live version
     */
    void drop(int version);

    /**
     * Small durable key-values kept with the alias (a rollout's state, a migration's progress), as last
     * written by {@link #putProperties}. Keys are {@code [a-z0-9.-]+}.
     */
    Map<String, String> properties();

    /** Replaces the given keys atomically and durably (a null value removes the key). */
    void putProperties(Map<String, String> changes);

    /** Releases what this handle holds (never a store it opened). */
    @Override
    void close();
}
