package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A go/no-go condition on one reported value, such as {@code recall@5>=0.8} or
 * {@code retrieval.p95<=2500ms}. Latency values are in milliseconds; a threshold may carry the
 * unit {@code ms} or {@code s} (converted to milliseconds) and only latency statistics accept one.
 *
 * @param metric the value's name as in {@link EvalReport#gateValues()}, lowercase
 * @param operator the comparison
 * @param threshold the bound, in the metric's unit (milliseconds for latencies)
 * @param text the gate as written, for messages
 */
public record Gate(String metric, Operator operator, double threshold, String text) {
    private static final Pattern GATE = Pattern.compile(
            "\\s*([A-Za-z0-9_.@-]+)\\s*(>=|<=|>|<)\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(ms|s)?\\s*");
    private static final Pattern LATENCY = Pattern.compile(".+\\.(p50|p95|p99|mean|min|max)");

    /** A comparison operator. */
    public enum Operator {
        GE(">="), LE("<="), GT(">"), LT("<");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** The operator as written in a gate, e.g. {@code >=}. */
        public String symbol() {
            return symbol;
        }

        /** Whether {@code actual op threshold} holds. */
        public boolean test(double actual, double threshold) {
            return switch (this) {
                case GE -> actual >= threshold;
                case LE -> actual <= threshold;
                case GT -> actual > threshold;
                case LT -> actual < threshold;
            };
        }

        static Operator of(String symbol) {
            for (Operator op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /**
     * The outcome of one gate.
     *
     * @param gate the gate
     * @param actual the measured value, or NaN when the run did not measure it
     * @param passed whether the condition held (false when not measured)
     */
    public record Result(Gate gate, double actual, boolean passed) {
        /** One line for the console, e.g. {@code FAIL recall@5>=0.8 (was 0.7533)}. */
        public String describe() {
            String was = Double.isNaN(actual) ? "not measured by this run" : "was " + format(actual);
            return (passed ? "PASS " : "FAIL ") + gate.text() + " (" + was + ")";
        }
    }

    /**
     * Parses a comma-separated list of gates.
     *
     * @throws InvalidInputException naming the gate that is malformed
     */
    public static List<Gate> parseAll(String spec) {
        List<Gate> gates = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return gates;
        }
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                gates.add(parse(part));
            }
        }
        return gates;
    }

    /**
     * Parses one gate, e.g. {@code ndcg@10>0.7} or {@code retrieval.p95<=2.5s}.
     *
     * @throws InvalidInputException when it is malformed or puts a unit on a value that is not a latency
     */
    public static Gate parse(String text) {
        Matcher m = GATE.matcher(text);
        if (!m.matches()) {
            throw new InvalidInputException("gate '" + text.strip() + "' must look like <metric><op><number>[ms|s]"
                    + " with op one of >=, <=, >, < (e.g. recall@5>=0.8 or retrieval.p95<=2500ms)");
        }
        String metric = canonical(m.group(1));
        double threshold = Double.parseDouble(m.group(3));
        String unit = m.group(4);
        if (unit != null) {
            if (!LATENCY.matcher(metric).matches()) {
                throw new InvalidInputException("gate '" + text.strip() + "' has unit '" + unit + "' but " + metric
                        + " is not a latency statistic (<step>.p50|p95|p99|mean|min|max)");
            }
            if (unit.equals("s")) {
                threshold *= 1000;
            }
        }
        return new Gate(metric, Operator.of(m.group(2)), threshold, text.strip());
    }

    /** Checks this gate against the values of a report. */
    public Result check(Map<String, Double> values) {
        Double actual = values.get(metric);
        if (actual == null || actual.isNaN()) {
            return new Result(this, Double.NaN, false);
        }
        return new Result(this, actual, operator.test(actual, threshold));
    }

    /** Checks every gate; the caller fails the run when any result did not pass. */
    public static List<Result> checkAll(List<Gate> gates, Map<String, Double> values) {
        List<Result> results = new ArrayList<>();
        for (Gate g : gates) {
            results.add(g.check(values));
        }
        return results;
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        // "p@5" is the common spelling of precision@5 (trec_eval's P.5)
        return lower.startsWith("p@") ? "precision@" + lower.substring(2) : lower;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
