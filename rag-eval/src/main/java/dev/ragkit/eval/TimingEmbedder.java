package dev.ragkit.eval;

import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link Embedder} that records how long each query embedding took, so evaluation reports can
 * show the model's share of retrieval latency. Thread-safe.
 */
public final class TimingEmbedder implements Embedder {
    private final Embedder delegate;
    private final List<Double> queryMillis = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<long[]> nanosInModel = ThreadLocal.withInitial(() -> new long[1]);

    /** Wraps {@code delegate}. */
    public TimingEmbedder(Embedder delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public Set<String> languages() {
        return delegate.languages();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        long start = System.nanoTime();
        try {
            return delegate.embedDocuments(texts);
        } finally {
            nanosInModel.get()[0] += System.nanoTime() - start;
        }
    }

    @Override
    public float[] embedQuery(String query) {
        long start = System.nanoTime();
        try {
            return delegate.embedQuery(query);
        } finally {
            long elapsed = System.nanoTime() - start;
            nanosInModel.get()[0] += elapsed;
            queryMillis.add(elapsed / 1e6);
        }
    }

    /** Every query embedding time so far, in milliseconds, in call order. */
    public List<Double> queryMillis() {
        synchronized (queryMillis) {
            return List.copyOf(queryMillis);
        }
    }

    /** Nanoseconds the calling thread has spent inside the wrapped embedder since the last call of this method. */
    public long takeThreadNanos() {
        long[] cell = nanosInModel.get();
        long n = cell[0];
        cell[0] = 0;
        return n;
    }
}
