package dev.ragkit.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Meter filters a host applies to its registry for the shipped dashboard and SLO alerts
 * ({@code observability/} in the source tree): {@code registry.config().meterFilter(RagkitMeterFilters.latencyHistograms())}
 * before assembling Ragkit.
 *
 * <p>Ragkit's step timers publish count, sum and max only, since histograms cost one series per bucket and
 * not every host wants them; the dashboard's percentiles per provider and the latency SLOs need them.
 */
public final class RagkitMeterFilters {
    /** The retrieval latency objective: 95 % of retrievals within 2.5 s. */
    public static final Duration RETRIEVAL_SLO = Duration.ofMillis(2500);
    /** The generation latency objective: 95 % of generations within 10 s. */
    public static final Duration GENERATION_SLO = Duration.ofSeconds(10);
    /** The timers of a question's steps (tags {@code provider}, {@code outcome}). */
    public static final Set<String> STEP_TIMERS = Set.of("rag.embed", "rag.retrieval", "rag.rerank", "rag.guard",
            "rag.generate");
    private static final Map<String, Duration> OBJECTIVES = Map.of("rag.retrieval", RETRIEVAL_SLO,
            "rag.generate", GENERATION_SLO);

    private RagkitMeterFilters() {
    }

    /**
     * Percentile histograms (1 ms to 60 s, about 70 buckets) on the {@link #STEP_TIMERS}, with a bucket
     * boundary exactly at each latency objective ({@code le="2.5"} for {@code rag.retrieval},
     * {@code le="10.0"} for {@code rag.generate}), so that the share of requests within the objective is
     * exact rather than interpolated. Other meters are left as they are.
     */
    public static MeterFilter latencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !STEP_TIMERS.contains(id.getName())) {
                    return config;
                }
                DistributionStatisticConfig.Builder histogram = DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos());
                Duration objective = OBJECTIVES.get(id.getName());
                if (objective != null) {
                    histogram.serviceLevelObjectives((double) objective.toNanos());
                }
                return histogram.build().merge(config);
            }
        };
    }
}
