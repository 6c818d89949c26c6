package dev.ragkit.core.migrate;

import dev.ragkit.core.RagException;

/** A cutover or rollback was refused; {@link #readiness()} holds the figures the message names. */
public final class MigrationNotReadyException extends RagException {
    private static final long serialVersionUID = 1L;
    private final transient CutoverReadiness readiness;

    public MigrationNotReadyException(String message, CutoverReadiness readiness) {
        super(message);
        this.readiness = readiness;
    }

    /** The figures at the time of the refusal. */
    public CutoverReadiness readiness() {
        return readiness;
    }
}
