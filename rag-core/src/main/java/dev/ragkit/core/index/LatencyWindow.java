package dev.ragkit.core.index;

import java.util.Arrays;

/** The latest latencies of one side of a rollout, for its p95. Thread-safe. */
final class LatencyWindow {
    /** Latencies kept per side. */
    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private int next;
    private int size;

    synchronized void add(long value) {
        nanos[next] = value;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
    }

    /** NaN before any latency. */
    synchronized double p95Millis() {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * size) - 1] / 1e6;
    }
}
