package dev.ragkit.core.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/** The meters of a {@link RolloutRouter} (see its documentation); does nothing without a registry. */
final class RolloutMeters {
    private final MeterRegistry registry;
    private final String index;

    /** @param registry null for no meters */
    RolloutMeters(MeterRegistry registry, String index) {
        this.registry = registry;
        this.index = index;
    }

    /** Gauge {@code rag.rollout.share}, read from {@code source}. */
    <T> void share(T source, ToDoubleFunction<T> share) {
        if (registry != null) {
            Gauge.builder("rag.rollout.share", source, share).tag("index", index)
                    .description("share of routing keys answered by the candidate (0: shadow; NaN: no active rollout)")
                    .register(registry);
        }
    }

    /** Gauge {@code rag.rollout.agreement} of candidate {@code version}, read from {@code source}. */
    <T> void agreement(int version, T source, ToDoubleFunction<T> agreement) {
        if (registry != null) {
            Gauge.builder("rag.rollout.agreement", source, agreement).tag("index", index)
                    .tag("index.version", "v" + version)
                    .description("mean agreement of the candidate's results with the live version's")
                    .register(registry);
        }
    }

    /** Counter {@code rag.rollout.requests} and timer {@code rag.rollout.latency} for one query of one side. */
    void request(int version, boolean live, String path, boolean success, long nanos) {
        if (registry != null) {
            String role = live ? "live" : "candidate";
            Counter.builder("rag.rollout.requests").tag("index", index).tag("index.version", "v" + version)
                    .tag("role", role).tag("path", path).tag("outcome", success ? "success" : "error")
                    .register(registry).increment();
            Timer.builder("rag.rollout.latency").tag("index", index).tag("index.version", "v" + version)
                    .tag("role", role).register(registry).record(Duration.ofNanos(nanos));
        }
    }

    /** Counter {@code rag.rollout.compare.skipped}: the background queue was full. */
    void compareSkipped() {
        if (registry != null) {
            Counter.builder("rag.rollout.compare.skipped").tag("index", index).register(registry).increment();
        }
    }

    /** Counter {@code rag.rollout.rollbacks} with the limit crossed. */
    void rollback(String reasonTag) {
        if (registry != null) {
            Counter.builder("rag.rollout.rollbacks").tag("index", index).tag("reason", reasonTag).register(registry)
                    .increment();
        }
    }
}
