package dev.ragkit.core.migrate;

/** The agreement@k of the last N shadowed queries, oldest replaced first. Thread-safe. */
final class AgreementWindow {
    private final double[] values;
    private int next;
    private int size;

    AgreementWindow(int capacity) {
        values = new double[capacity];
    }

    synchronized void add(double agreement) {
        values[next] = agreement;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    synchronized void clear() {
        next = 0;
        size = 0;
    }

    /** Figures of the queries now in the window. */
    record Figures(int queries, int capacity, double mean, double min) {
    }

    synchronized Figures figures() {
        if (size == 0) {
            return new Figures(0, values.length, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            sum += values[i];
            min = Math.min(min, values[i]);
        }
        return new Figures(size, values.length, sum / size, min);
    }
}
