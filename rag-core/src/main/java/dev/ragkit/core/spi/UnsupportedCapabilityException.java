package dev.ragkit.core.spi;

import dev.ragkit.core.RagException;

/** A caller used a capability the store does not declare; assembly checks should have caught it. */
public final class UnsupportedCapabilityException extends RagException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCapabilityException(String store, StoreCapability capability) {
        super("store '" + store + "' does not declare " + capability
                + "; check VectorStore.capabilities() before using it");
    }
}
