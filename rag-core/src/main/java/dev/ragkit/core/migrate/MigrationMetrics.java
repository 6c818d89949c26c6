package dev.ragkit.core.migrate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters and spans of a migration, tagged {@code from} (source store) and {@code to} (target
 * store). Without a registry only spans are made (none without a tracer), as in the pipeline's
 * instrumentation.
 */
final class MigrationMetrics {
    static final String AGREEMENT = "rag.migration.agreement";
    static final String SHADOW_LATENCY = "rag.migration.shadow.latency";
    static final String SHADOW_DROPPED = "rag.migration.shadow.dropped";
    static final String BACKFILL_CHUNKS = "rag.migration.backfill.chunks";
    static final String WRITE_RETRIES = "rag.migration.write.retries";
    static final String REPAIRS_PENDING = "rag.migration.repairs.pending";

    private final MeterRegistry registry;
    private final Tracer tracer;
    private final String from;
    private final String to;

    MigrationMetrics(MeterRegistry registry, Tracer tracer, String from, String to) {
        this.registry = registry;
        this.tracer = tracer != null ? tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
        this.from = from;
        this.to = to;
    }

    /** Agreement@k of one shadowed query, from 0 to 1. */
    void agreement(double value) {
        if (registry != null) {
            DistributionSummary.builder(AGREEMENT).tag("from", from).tag("to", to).register(registry).record(value);
        }
    }

    /** Latency of one side of a shadowed query ({@code side} = source or target). */
    void shadowLatency(String side, boolean success, long nanos) {
        if (registry != null) {
            Timer.builder(SHADOW_LATENCY).tag("from", from).tag("to", to).tag("side", side)
                    .tag("outcome", success ? "success" : "error").register(registry).record(Duration.ofNanos(nanos));
        }
    }

    void shadowDropped() {
        if (registry != null) {
            Counter.builder(SHADOW_DROPPED).tag("from", from).tag("to", to).register(registry).increment();
        }
    }

    void backfilled(long chunks) {
        if (registry != null) {
            Counter.builder(BACKFILL_CHUNKS).tag("from", from).tag("to", to).register(registry).increment(chunks);
        }
    }

    /** One more attempt at a write on {@code side} after a failure. */
    void retry(String side) {
        if (registry != null) {
            Counter.builder(WRITE_RETRIES).tag("from", from).tag("to", to).tag("side", side).register(registry)
                    .increment();
        }
    }

    <T> void pendingRepairs(T owner, ToDoubleFunction<T> count) {
        if (registry != null) {
            Gauge.builder(REPAIRS_PENDING, owner, count).tag("from", from).tag("to", to).strongReference(false)
                    .register(registry);
        }
    }

    /** Runs {@code body} in span {@code name} ({@code rag.migration.backfill}, ...), tagged from/to. */
    <T> T span(String name, Supplier<T> body) {
        Span span = tracer.spanBuilder(name).setAttribute("from", from).setAttribute("to", to).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return body.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }
}
