package dev.ragkit.core.index;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one {@link IndexLifecycle#promote} did.
 *
 * @param version the version that was to become live
 * @param promoted whether the alias now points at it; false when the gate refused it
 * @param previous the version live before, if any
 * @param verdict the gate's decision and figures
 * @param dropped old versions removed afterwards to keep the configured number (ascending)
 */
public record PromotionResult(int version, boolean promoted, OptionalInt previous, GateVerdict verdict,
                              List<Integer> dropped) {
    public PromotionResult {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(verdict, "verdict");
        dropped = List.copyOf(dropped);
    }

    /** {@code promoted v3 (was v2): agreement@10 passed: ...}, or {@code refused v3: ...}. */
    public String summary() {
        String was = previous.isPresent() ? " (was v" + previous.getAsInt() + ")" : "";
        return (promoted ? "promoted v" + version + was : "refused v" + version + ", live stays "
                + (previous.isPresent() ? "v" + previous.getAsInt() : "none")) + ": " + verdict.summary()
                + (dropped.isEmpty() ? "" : "; dropped old version(s) " + dropped.stream().map(v -> "v" + v).toList());
    }
}
