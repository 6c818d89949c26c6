package dev.ragkit.tools.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed split of each development file into a training part (80%) and a held-out part (20%),
 * decided by the SHA-256 of the row id so that translations sharing an id land on the same side:
 * a row is held out when the first byte of the digest is divisible by 5.
 *
 * <p>Training ({@code TrainGuards}, in rag-guard's test sources, beside the model format it writes)
 * applies the same rule with its own copy, and only ever reads the training part: the tool module
 * depends on rag-guard, not the other way round. {@code SplitTest} in both modules pins the rule to
 * the same ids.
 */
public enum Split {
    /** Every row. */
    ALL,
    /** The rows training may read. */
    TRAIN,
    /** The rows kept out of training and threshold selection. */
    HELDOUT;

    /** True when the row with this id belongs to this split. */
    public boolean contains(String id) {
        return switch (this) {
            case ALL -> true;
            case TRAIN -> !heldOut(id);
            case HELDOUT -> heldOut(id);
        };
    }

    static boolean heldOut(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return (h[0] & 0xFF) % 5 == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
