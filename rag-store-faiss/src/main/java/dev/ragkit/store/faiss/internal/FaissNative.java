package dev.ragkit.store.faiss.internal;

/**
 * The JNI surface of {@code libragkit_faiss.so} (sources in {@code src/main/native}). A handle is a
 * native pointer; every method but {@link #liveHandles()} needs a live one. Callers serialise writes
 * and never use a handle after {@link #destroy(long)}; FAISS failures arrive as
 * {@link FaissNativeException}. Call {@link NativeLibrary#load()} first.
 */
public final class FaissNative {
    /** Metric codes of {@link #create}. */
    public static final int INNER_PRODUCT = 0;
    /** Squared Euclidean distance. */
    public static final int L2 = 1;
    /** Removal modes of {@link #removalMode}. */
    public static final int REMOVE_NATIVE = 0;
    /** FAISS cannot remove (HNSW): the store keeps tombstones and rebuilds. */
    public static final int REMOVE_TOMBSTONE = 1;

    private FaissNative() {
    }

    /** A new, empty index built by FAISS's index factory. */
    public static native long create(int dimension, String factory, int metric, int efConstruction);

    /** An index read from a file written by {@link #write}. */
    public static native long read(String path, String factory);

    /** Writes the index (with its id map) to {@code path} with FAISS's {@code write_index}. */
    public static native void write(long handle, String path);

    /** Frees the index; the handle must not be used again. */
    public static native void destroy(long handle);

    /** OpenMP threads for the FAISS writes (train, add, rebuild) this Java thread makes next. */
    public static native void useThreads(int threads);

    /** Handles created and not yet destroyed in this process. */
    public static native long liveHandles();

    /** Vectors in the index, tombstones included. */
    public static native long count(long handle);

    /** Dimension of the index. */
    public static native int dimension(long handle);

    /** {@link #REMOVE_NATIVE} or {@link #REMOVE_TOMBSTONE}. */
    public static native int removalMode(long handle);

    /** Whether the index can take vectors. */
    public static native boolean isTrained(long handle);

    /** Fewest vectors FAISS accepts for training; 0 when the index is trained or needs none. */
    public static native long minTrainingPoints(long handle);

    /** Trains on {@code n} vectors laid end to end in {@code vectors}, with the calling thread's {@link #useThreads} setting. */
    public static native void train(long handle, int n, float[] vectors);

    /** Adds {@code labels.length} vectors laid end to end, with the calling thread's {@link #useThreads} setting. */
    public static native void add(long handle, float[] vectors, long[] labels);

    /** Removes labels from an index whose removal mode is {@link #REMOVE_NATIVE}; returns how many. */
    public static native long remove(long handle, long[] labels);

    /**
     * The {@code k} nearest labels, with one OpenMP thread. {@code allowed} is a bitmap over labels
     * (null: all). Fills {@code distances} and {@code labels} and returns how many were found.
     */
    public static native int search(long handle, float[] query, int k, byte[] allowed, long allowedBits,
                                    int efSearch, int nprobe, float[] distances, long[] labels);

    /**
     * Stores efSearch and nprobe in the index (FAISS 1.7.3's HNSW search sizes its candidate heap from
     * the index's own efSearch). Callers must exclude concurrent searches.
     */
    public static native void setSearchDefaults(long handle, int efSearch, int nprobe);

    /** Exact distance from the query to each stored label (inner product or squared L2). */
    public static native void distances(long handle, float[] query, long[] labels, float[] out);

    /** The stored vectors of the labels, end to end (approximate for compressed codes). */
    public static native void reconstruct(long handle, long[] labels, float[] out);

    /** A new handle of the same kind holding only these labels, rebuilt from their stored vectors. */
    public static native long rebuild(long handle, long[] labels);
}
