package dev.ragkit.store.faiss.internal;

/** FAISS or the native shim failed; thrown by {@link FaissNative} and translated by the store. */
public final class FaissNativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with FAISS's own message. */
    public FaissNativeException(String message) {
        super(message);
    }
}
