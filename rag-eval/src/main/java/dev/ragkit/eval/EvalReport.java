package dev.ragkit.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one evaluation run, as written to JSON, Markdown and HTML and checked by gates.
 *
 * @param title one line saying what was run, e.g. {@code scifact/test dense onnx:all-minilm-l6-v2-q}
 * @param kind {@code beir} or {@code qa}
 * @param parameters how it was run (dataset, split, mode, embedder, store, command line...)
 * @param queries number of scored queries (the denominator of every mean)
 * @param metrics every scalar metric by name ({@code ndcg@10}, {@code recall@100}, {@code em}...)
 * @param curves metric label to (cut-off to mean), for the metric-by-k plot; may be empty
 * @param latency step name ({@code retrieval}, {@code embed}, {@code pipeline}...) to its statistics
 * @param latencySamplesMs raw samples per step for the histogram; not written to JSON (too big)
 * @param durationsSeconds wall-clock phases ({@code ingest}, {@code queries}, {@code total})
 * @param notes free-text remarks printed with the report
 */
public record EvalReport(String title, String kind, Map<String, String> parameters, int queries,
                         Map<String, Double> metrics, Map<String, Map<Integer, Double>> curves,
                         Map<String, LatencyStats> latency,
                         @JsonIgnore Map<String, List<Double>> latencySamplesMs,
                         Map<String, Double> durationsSeconds, List<String> notes) {
    public EvalReport {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(kind, "kind");
        parameters = copy(parameters);
        metrics = copy(metrics);
        Map<String, Map<Integer, Double>> curveCopy = new LinkedHashMap<>();
        curves.forEach((k, v) -> curveCopy.put(k, copy(v)));
        curves = Collections.unmodifiableMap(curveCopy);
        latency = copy(latency);
        Map<String, List<Double>> samplesCopy = new LinkedHashMap<>();
        latencySamplesMs.forEach((k, v) -> samplesCopy.put(k, List.copyOf(v)));
        latencySamplesMs = Collections.unmodifiableMap(samplesCopy);
        durationsSeconds = copy(durationsSeconds);
        notes = List.copyOf(notes);
    }

    private static <K, V> Map<K, V> copy(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Everything a gate can name: the metrics, each latency statistic as
     * {@code <step>.<p50|p95|p99|mean|min|max>} in milliseconds, and each duration as
     * {@code <phase>.seconds}.
     */
    public Map<String, Double> gateValues() {
        Map<String, Double> values = new LinkedHashMap<>(metrics);
        latency.forEach((step, stats) -> {
            for (String stat : List.of("p50", "p95", "p99", "mean", "min", "max")) {
                values.put(step + "." + stat, stats.get(stat));
            }
        });
        durationsSeconds.forEach((phase, seconds) -> values.put(phase + ".seconds", seconds));
        return values;
    }

    /** Starts a report; the builder collects the parts as a run produces them. */
    public static Builder builder(String title, String kind) {
        return new Builder(title, kind);
    }

    /** Collects a report's parts; not thread-safe. */
    public static final class Builder {
        private final String title;
        private final String kind;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private int queries;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Map<Integer, Double>> curves = new LinkedHashMap<>();
        private final Map<String, LatencyStats> latency = new LinkedHashMap<>();
        private final Map<String, List<Double>> samples = new LinkedHashMap<>();
        private final Map<String, Double> durations = new LinkedHashMap<>();
        private final List<String> notes = new java.util.ArrayList<>();

        private Builder(String title, String kind) {
            this.title = title;
            this.kind = kind;
        }

        /** Records how the run was made, e.g. {@code mode=dense}. */
        public Builder parameter(String name, Object value) {
            parameters.put(name, String.valueOf(value));
            return this;
        }

        /** Sets the number of scored queries. */
        public Builder queries(int n) {
            this.queries = n;
            return this;
        }

        /** Adds one scalar metric, e.g. {@code em}. */
        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        /** Adds every mean of {@code scores} as a metric and as a curve, prefixing names with {@code prefix}. */
        public Builder retrieval(String prefix, RetrievalEvaluation.Scores scores) {
            scores.means().forEach((m, byK) -> {
                curves.put(prefix + m.label(), byK);
                byK.forEach((k, v) -> metrics.put(prefix + m.at(k), v));
            });
            return this;
        }

        /** Records a step's latency samples (milliseconds); ignored when there are none. */
        public Builder latency(String step, List<Double> samplesMs) {
            if (!samplesMs.isEmpty()) {
                latency.put(step, LatencyStats.ofMillis(samplesMs));
                samples.put(step, samplesMs);
            }
            return this;
        }

        /** Records the wall-clock seconds of a phase ({@code ingest}, {@code queries}, {@code total}). */
        public Builder duration(String phase, double seconds) {
            durations.put(phase, seconds);
            return this;
        }

        /** Adds a remark shown with the report. */
        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        /** The report with everything collected so far. */
        public EvalReport build() {
            return new EvalReport(title, kind, parameters, queries, metrics, curves, latency, samples, durations, notes);
        }
    }
}
