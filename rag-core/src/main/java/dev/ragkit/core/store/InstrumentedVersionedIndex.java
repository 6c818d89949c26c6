package dev.ragkit.core.store;

import dev.ragkit.core.internal.Instrumentation;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VersionedIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;

/**
 * A {@link VersionedIndex} whose lifecycle steps are measured: each of create, markReady, promote,
 * rollback and drop is a timer {@code rag.index.<step>} (so also a count; steps {@code create},
 * {@code ready}, {@code promote}, {@code rollback}, {@code drop}; tags {@code index} and
 * {@code outcome=success|error}) and a span of the same name, and gauge {@code rag.index.live} (tag
 * {@code index}) shows the live version's number (0 when none). The implementations log each step at
 * INFO themselves. Everything else passes through ({@link ForwardingVersionedIndex}).
 */
public final class InstrumentedVersionedIndex extends ForwardingVersionedIndex {
    private final Instrumentation instrumentation;

    private InstrumentedVersionedIndex(VersionedIndex delegate, MeterRegistry registry, Tracer tracer) {
        super(delegate);
        this.instrumentation = new Instrumentation(registry, tracer);
        if (registry != null) {
            Gauge.builder("rag.index.live", delegate, InstrumentedVersionedIndex::liveOrZero).tag("index", delegate.name())
                    .description("the live version of the index (0: none)").register(registry);
        }
    }

    /**
     * Measures {@code index}'s lifecycle steps into {@code registry} and {@code tracer} (either may be
     * null: nothing is recorded there).
     */
    public static VersionedIndex instrument(VersionedIndex index, MeterRegistry registry, Tracer tracer) {
        Objects.requireNonNull(index, "index");
        return index instanceof InstrumentedVersionedIndex ? index : new InstrumentedVersionedIndex(index, registry, tracer);
    }

    private static double liveOrZero(VersionedIndex index) {
        try {
            return index.live().orElse(0);
        } catch (RuntimeException e) {
            return Double.NaN; // a damaged catalog: the gauge shows it rather than failing the scrape
        }
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        return instrumentation.indexStep("create", name(), () -> super.create(builtWith));
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        return instrumentation.indexStep("ready", name(),
                () -> super.markReady(version, sourceFingerprint, documents, chunks));
    }

    @Override
    public void promote(int version) {
        instrumentation.indexStep("promote", name(), () -> {
            super.promote(version);
            return null;
        });
    }

    @Override
    public int rollback() {
        return instrumentation.indexStep("rollback", name(), super::rollback);
    }

    @Override
    public void drop(int version) {
        instrumentation.indexStep("drop", name(), () -> {
            super.drop(version);
            return null;
        });
    }
}
