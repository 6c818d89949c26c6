package dev.ragkit.core.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A gate's decision and the figures it rests on, printed when a promotion is refused.
 *
 * @param gate the gate's name, e.g. {@code agreement@10}
 * @param passed whether the candidate may become live
 * @param figures what was measured, by name, e.g. {@code agreement@10 -> 0.93}, in a stable order
 * @param explanation one sentence saying why it passed or failed, naming the threshold
 */
public record GateVerdict(String gate, boolean passed, Map<String, Double> figures, String explanation) {
    public GateVerdict {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(explanation, "explanation");
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** {@code agreement@10 passed: agreement@10=0.930 queries=100 (...)}: one line for logs and the CLI. */
    public String summary() {
        StringBuilder line = new StringBuilder(gate).append(passed ? " passed:" : " refused:");
        figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(format(v)));
        return line.append(" (").append(explanation).append(')').toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
