package dev.ragkit.embed.onnx.internal;

import java.lang.ref.Cleaner;

/**
 * This module's one {@link Cleaner}: a daemon thread that releases the ONNX sessions of embedders that
 * became unreachable without being closed. A safety net only: hosts close their embedders.
 */
public final class NativeCleaner {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "ragkit-onnx-cleaner");
        t.setDaemon(true);
        return t;
    });

    private NativeCleaner() {
    }

    /**
     * Runs {@code action} once, when {@code owner} becomes phantom reachable or when the returned
     * cleanable is cleaned, whichever comes first. The action must not refer to {@code owner}, or the
     * owner never becomes unreachable.
     */
    public static Cleaner.Cleanable register(Object owner, Runnable action) {
        return CLEANER.register(owner, action);
    }
}
