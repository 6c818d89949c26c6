package dev.ragkit.store.faiss.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The JNI surface of {@code libragkit_faiss.so} (sources in {@code src/main/native}). A handle is a
 * native pointer; every method taking one needs a live one. Callers serialise writes
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

    /** How the JDK spells file names for the operating system; paths cross JNI in it (see {@link #nativePath}). */
    private static final Charset FILE_NAMES = fileNameCharset();

    private FaissNative() {
    }

    /** A new, empty index built by FAISS's index factory. */
    public static native long create(int dimension, String factory, int metric, int efConstruction);

    /**
     * An index read from a file written by {@link #write}; {@code factory} is the string it was created
     * with. A damaged file, or one holding an index this binding does not build, throws
     * {@link FaissNativeException} and leaves no handle behind.
     */
    public static long read(Path path, String factory) {
        return read0(nativePath(path), factory);
    }

    /** Writes the index (with its id map) to {@code path} with FAISS's {@code write_index}. */
    public static void write(long handle, Path path) {
        write0(handle, nativePath(path));
    }

    private static native long read0(byte[] path, String factory);

    private static native void write0(long handle, byte[] path);

    /** Frees the index; the handle must not be used again. */
    public static native void destroy(long handle);

    /**
     * The calling thread's OpenMP thread count ({@code omp_get_max_threads()}). Diagnostic only: lets
     * tests check that FAISS calls give the caller its own setting back.
     */
    public static native int maxThreads();

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

    /**
     * Whether {@link #reconstruct} returns the vectors exactly as they were added (Flat, HNSW on Flat,
     * IVF-Flat), rather than approximations decoded from compressed codes (SQ, PQ).
     */
    public static native boolean storesExactVectors(long handle);

    /** Fewest vectors FAISS accepts for training; 0 when the index is trained or needs none. */
    public static native long minTrainingPoints(long handle);

    /**
     * Trains on {@code n} vectors laid end to end in {@code vectors}, on {@code threads} OpenMP threads
     * (the caller's own OpenMP setting is restored afterwards).
     */
    public static native void train(long handle, int n, float[] vectors, int threads);

    /** Adds {@code labels.length} vectors laid end to end, on {@code threads} OpenMP threads, like {@link #train}. */
    public static native void add(long handle, float[] vectors, long[] labels, int threads);

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

    /**
     * A new handle of the same kind holding only these labels, rebuilt from their stored vectors on
     * {@code threads} OpenMP threads, like {@link #train}.
     */
    public static native long rebuild(long handle, long[] labels, int threads);

    /**
     * The path as the bytes the operating system knows the file by. As a String it would cross JNI in
     * modified UTF-8, which spells characters outside the BMP (an emoji in a folder name) as surrogate
     * pairs and so names another file.
     */
    private static byte[] nativePath(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new IllegalArgumentException("FAISS reads and writes files of the default file system only, but "
                    + path + " is on a '" + path.getFileSystem().provider().getScheme() + "' file system");
        }
        return path.toString().getBytes(FILE_NAMES);
    }

    /** The JDK encodes file names with {@code sun.jnu.encoding} (from the locale); UTF-8 if it is unusable. */
    private static Charset fileNameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) { // an illegal or unsupported charset name
            return StandardCharsets.UTF_8;
        }
    }
}
