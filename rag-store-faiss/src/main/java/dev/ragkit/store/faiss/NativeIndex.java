package dev.ragkit.store.faiss;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.store.faiss.internal.FaissNative;
import dev.ragkit.store.faiss.internal.FaissNativeException;
import dev.ragkit.store.faiss.internal.NativeIndexCleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one owner of a native FAISS index: it allocates the handle, makes every call on it, swaps it when
 * the index is rebuilt and frees it on {@link #close()}. If it becomes unreachable unclosed, the
 * module's cleaner frees the handle and logs the leak. FAISS failures leave it as
 * {@link RagBackendException}s naming the factory string.
 *
 * <p>Not thread-safe on its own: searches, {@link #distances} and {@link #reconstruct} may run in
 * parallel, but the owner must keep every other call from running beside anything (the store's lock).
 */
final class NativeIndex implements AutoCloseable {
    private static final String STORE = "faiss";

    private final String factory;
    private final NativeIndexCleaner.Tracker leak;
    private final boolean tombstoning;
    private final boolean exactVectors;
    private long handle;
    private int efSearch;
    private int nprobe;

    private NativeIndex(long handle, String factory, String what) {
        this.handle = handle;
        this.factory = factory;
        this.leak = NativeIndexCleaner.register(this, what);
        leak.track(handle);
        this.tombstoning = FaissNative.removalMode(handle) == FaissNative.REMOVE_TOMBSTONE;
        this.exactVectors = FaissNative.storesExactVectors(handle);
    }

    /**
     * A new, empty index from a FAISS factory string.
     *
     * @param what names the index in a leak warning, e.g. {@code FAISS index 'HNSW32' in memory}
     * @throws RagConfigurationException when FAISS rejects the factory string (caused by a
     *     {@link FaissNativeException} with FAISS's message)
     */
    static NativeIndex create(int dimension, String factory, FaissVectorStore.Metric metric, int efConstruction,
                              String what) {
        long handle;
        try {
            handle = FaissNative.create(dimension, factory,
                    metric == FaissVectorStore.Metric.COSINE ? FaissNative.INNER_PRODUCT : FaissNative.L2, efConstruction);
        } catch (FaissNativeException e) {
            throw new RagConfigurationException("FAISS index '" + factory + "' cannot be created: " + e.getMessage(), e);
        }
        return adopt(handle, factory, what);
    }

    /**
     * An index read from a file {@link #write} wrote.
     *
     * @throws FaissNativeException when FAISS cannot read the file or it holds an index of another layout
     *     (no handle is left behind)
     */
    static NativeIndex read(Path file, String factory, String what) {
        return adopt(FaissNative.read(file, factory), factory, what);
    }

    private static NativeIndex adopt(long handle, String factory, String what) {
        try {
            return new NativeIndex(handle, factory, what);
        } catch (RuntimeException | Error e) {
            FaissNative.destroy(handle);
            throw e;
        }
    }

    /** The factory string the index was made from. */
    String factory() {
        return factory;
    }

    /** Whether removed vectors stay in the index as tombstones until {@link #rebuild} (HNSW). */
    boolean tombstoning() {
        return tombstoning;
    }

    /** Whether {@link #reconstruct} returns vectors exactly as added, not decoded from compressed codes. */
    boolean storesExactVectors() {
        return exactVectors;
    }

    /** Dimension of the vectors. */
    int dimension() {
        return call(() -> FaissNative.dimension(handle()));
    }

    /** Vectors in the index, tombstones included. */
    long count() {
        return call(() -> FaissNative.count(handle()));
    }

    /** Whether the index can take vectors. */
    boolean isTrained() {
        return call(() -> FaissNative.isTrained(handle()));
    }

    /** Fewest training vectors FAISS accepts; 0 when trained or when no training is needed. */
    long minTrainingPoints() {
        return call(() -> FaissNative.minTrainingPoints(handle()));
    }

    /** Sets the search widths kept in the index itself, now and after every {@link #rebuild}. */
    void searchDefaults(int efSearch, int nprobe) {
        this.efSearch = efSearch;
        this.nprobe = nprobe;
        run(() -> FaissNative.setSearchDefaults(handle(), efSearch, nprobe));
    }

    /** Trains on the vectors, on {@code threads} OpenMP threads. */
    void train(List<float[]> vectors, int threads) {
        float[] flat = flatten(vectors);
        run(() -> FaissNative.train(handle(), vectors.size(), flat, threads));
    }

    /** Adds the vectors under the labels, on {@code threads} OpenMP threads. */
    void add(List<float[]> vectors, long[] labels, int threads) {
        float[] flat = flatten(vectors);
        run(() -> FaissNative.add(handle(), flat, labels, threads));
    }

    /** Removes the labels' vectors; only for an index that is not {@link #tombstoning()}. */
    void remove(long[] labels) {
        run(() -> FaissNative.remove(handle(), labels));
    }

    /**
     * The {@code k} nearest labels among those set in {@code allowed} (a bitmap over labels; null for
     * all), searched with the given widths: fills {@code distances} and {@code labels}, returns how
     * many were found.
     */
    int search(float[] query, int k, byte[] allowed, int efSearch, int nprobe, float[] distances, long[] labels) {
        long allowedBits = allowed == null ? 0 : (long) allowed.length * 8;
        return call(() -> FaissNative.search(handle(), query, k, allowed, allowedBits, efSearch, nprobe,
                distances, labels));
    }

    /** Exact distance (inner product or squared L2) from the query to each label's stored vector. */
    float[] distances(float[] query, long[] labels) {
        float[] out = new float[labels.length];
        run(() -> FaissNative.distances(handle(), query, labels, out));
        return out;
    }

    /** The stored vectors of the labels, in their order (approximations unless {@link #storesExactVectors()}). */
    List<float[]> reconstruct(long[] labels) {
        int d = dimension();
        float[] flat = new float[labels.length * d];
        run(() -> FaissNative.reconstruct(handle(), labels, flat));
        List<float[]> vectors = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            vectors.add(Arrays.copyOfRange(flat, i * d, (i + 1) * d));
        }
        return vectors;
    }

    /**
     * Replaces the index with one holding only the {@code kept} labels, rebuilt from their stored vectors
     * (drops an HNSW graph's tombstones). On failure the index is left as it was.
     */
    void rebuild(long[] kept, int threads) {
        long fresh = call(() -> FaissNative.rebuild(handle(), kept, threads));
        long old = handle;
        handle = fresh;
        leak.track(fresh);
        FaissNative.destroy(old);
        if (efSearch > 0) {
            searchDefaults(efSearch, nprobe);
        }
    }

    /** Writes the index to {@code file} with FAISS's {@code write_index}. */
    void write(Path file) {
        run(() -> FaissNative.write(handle(), file));
    }

    /** Frees the native index; later calls throw. Idempotent. */
    @Override
    public void close() {
        if (handle != 0) {
            FaissNative.destroy(handle);
            handle = 0;
            leak.track(0);
        }
        leak.closed();
    }

    private long handle() {
        if (handle == 0) {
            // A freed handle must never reach native code: it would crash the JVM.
            throw new IllegalStateException("FAISS index '" + factory + "' was freed");
        }
        return handle;
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (FaissNativeException e) {
            throw RagBackendException.permanent(STORE, "FAISS index '" + factory + "' failed: " + e.getMessage(), e);
        } finally {
            // This object owns the handle: it must stay reachable until the native call has returned.
            Reference.reachabilityFence(this);
        }
    }

    private void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    private static float[] flatten(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            return new float[0];
        }
        int d = vectors.get(0).length;
        float[] out = new float[vectors.size() * d];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, out, i * d, d);
        }
        return out;
    }
}
