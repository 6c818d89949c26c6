package dev.ragkit.core.spi;

import dev.ragkit.core.RagException;

/** A caller used a capability the store does not declare; assembly checks should have caught it. */
public final class UnsupportedCapabilityException extends RagException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCapabilityException(String store, StoreCapability capability) {
        super("store '" + store + "' does not declare " + capability
                + "; check VectorStore.capabilities() before using it");
    }

    /**
     * The store declares {@code capability} only in part (see {@link FilterSupport}), and {@code detail}
     * says which part was asked for, what the store supports and what to do.
     */
    public UnsupportedCapabilityException(String store, StoreCapability capability, String detail) {
        super("store '" + store + "' declares " + capability + " only in part: " + detail);
    }
}
