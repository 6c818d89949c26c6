package dev.ragkit.spring.boot.internal;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.spring.boot.RagkitProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The indicators of {@link dev.ragkit.spring.boot.RagkitHealthAutoConfiguration}. */
public final class RagkitHealth {
    private RagkitHealth() {
    }

    /** {@code store}, {@code embedder} and {@code llm-<id>} indicators over {@code ragkit}'s parts. */
    public static CompositeHealthContributor contributor(Ragkit ragkit, RagkitProperties.Health settings, Clock clock) {
        Map<String, HealthContributor> parts = new LinkedHashMap<>();
        Duration ttl = settings.getCacheTtl();
        parts.put("store", new CachedIndicator(ttl, clock, () -> {
            long chunks = ragkit.store().count();
            return Health.up().withDetail("store", ragkit.store().name()).withDetail("chunks", chunks).build();
        }));
        parts.put("embedder", new CachedIndicator(ttl, clock, () -> {
            int dimension = ragkit.embedder().embedQuery("health").length;
            return Health.up().withDetail("embedder", ragkit.embedder().id()).withDetail("dimension", dimension).build();
        }));
        for (LlmClient llm : ragkit.llms()) {
            parts.put("llm-" + llm.id().replaceAll("[^A-Za-z0-9-]", "-"), settings.isProbeLlms()
                    ? new CachedIndicator(ttl, clock, () -> probe(llm))
                    : (HealthIndicator) () -> Health.unknown().withDetail("llm", llm.id())
                            .withDetail("reason", "not probed (ragkit.health.probe-llms=false)").build());
        }
        return CompositeHealthContributor.fromMap(parts);
    }

    private static Health probe(LlmClient llm) {
        llm.generate(new LlmRequest(List.of(ChatMessage.user("Reply with OK.")), OptionalInt.of(1), OptionalDouble.empty()));
        return Health.up().withDetail("llm", llm.id()).build();
    }

    /**
     * Runs its probe at most once per time-to-live; a failing probe is down with the failure's message (the
     * backend's reason, which Ragkit's errors give without credentials), never its stack trace.
     */
    static final class CachedIndicator implements HealthIndicator {
        private final Duration ttl;
        private final Clock clock;
        private final Supplier<Health> probe;
        private Health last;
        private Instant checkedAt;

        CachedIndicator(Duration ttl, Clock clock, Supplier<Health> probe) {
            this.ttl = ttl;
            this.clock = clock;
            this.probe = probe;
        }

        @Override
        public synchronized Health health() {
            Instant now = clock.instant();
            if (last == null || !now.isBefore(checkedAt.plus(ttl))) {
                last = run();
                checkedAt = now;
            }
            return last;
        }

        private Health run() {
            try {
                return probe.get();
            } catch (RuntimeException e) {
                return Health.down().withDetail("reason", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
            }
        }
    }
}
