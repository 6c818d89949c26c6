package dev.ragkit.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of one step's latencies, in milliseconds. Percentiles use the nearest-rank definition:
 * the p-th percentile of n sorted samples is the sample at 1-based rank {@code ceil(p / 100 * n)},
 * so it is always an observed value (p95 of 300 samples is the 285th smallest).
 *
 * @param count number of samples
 * @param meanMs arithmetic mean
 * @param minMs smallest sample
 * @param p50Ms nearest-rank median
 * @param p95Ms nearest-rank 95th percentile
 * @param p99Ms nearest-rank 99th percentile
 * @param maxMs largest sample
 */
public record LatencyStats(int count, double meanMs, double minMs, double p50Ms, double p95Ms, double p99Ms,
                           double maxMs) {
    public LatencyStats {
        if (count < 1) {
            throw new IllegalArgumentException("latency stats need at least one sample but count was " + count);
        }
    }

    /** Statistics of {@code samplesMs} (milliseconds). */
    public static LatencyStats ofMillis(List<Double> samplesMs) {
        double[] sorted = samplesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("latency stats need at least one sample but there were none");
        }
        double mean = Arrays.stream(sorted).average().orElseThrow();
        return new LatencyStats(sorted.length, mean, sorted[0], nearestRank(sorted, 50), nearestRank(sorted, 95),
                nearestRank(sorted, 99), sorted[sorted.length - 1]);
    }

    /**
     * The nearest-rank percentile of already sorted (ascending) values.
     *
     * @param p the percentile, in (0, 100]
     */
    public static double nearestRank(double[] sortedAscending, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile was " + p + " but it must be in (0, 100]");
        }
        if (sortedAscending.length == 0) {
            throw new IllegalArgumentException("percentile of no values is undefined");
        }
        // p * n first: exact for whole p, so 95% of 300 is rank 285, not 286 through rounding.
        int rank = (int) Math.ceil(p * sortedAscending.length / 100.0);
        return sortedAscending[Math.max(rank, 1) - 1];
    }

    /** The value of a statistic by name: {@code p50}, {@code p95}, {@code p99}, {@code mean}, {@code min}, {@code max}. */
    public double get(String stat) {
        return switch (stat) {
            case "p50" -> p50Ms;
            case "p95" -> p95Ms;
            case "p99" -> p99Ms;
            case "mean" -> meanMs;
            case "min" -> minMs;
            case "max" -> maxMs;
            default -> throw new IllegalArgumentException("unknown latency statistic '" + stat
                    + "'; known: p50, p95, p99, mean, min, max");
        };
    }
}
