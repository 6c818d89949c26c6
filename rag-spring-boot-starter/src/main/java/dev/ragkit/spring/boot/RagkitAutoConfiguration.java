package dev.ragkit.spring.boot;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.Ragkit;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A {@link Ragkit} assembled from the {@code ragkit.*} properties (see {@link RagkitProperties}) when
 * {@code ragkit.embedder} is set, with the application's {@link MeterRegistry} and OpenTelemetry {@link Tracer}
 * (a {@code Tracer} bean, else one from an {@link OpenTelemetry} bean). It backs off when the application defines
 * its own {@code Ragkit}; a {@link ProviderRegistry} bean replaces class-path discovery. The Ragkit is closed with
 * the context. {@link RagkitPartsAutoConfiguration} exposes its pipeline, retriever and ingestor.
 */
@AutoConfiguration
@EnableConfigurationProperties(RagkitProperties.class)
@ConditionalOnProperty(prefix = "ragkit", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RagkitAutoConfiguration {
    /** The instrumentation scope of the spans Ragkit records. */
    public static final String TRACER_SCOPE = "dev.ragkit";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "ragkit", name = "embedder")
    public Ragkit ragkit(RagkitProperties properties, Environment environment, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<Tracer> tracers, ObjectProvider<OpenTelemetry> openTelemetry,
            ObjectProvider<ProviderRegistry> registry) {
        Ragkit.Builder builder = Ragkit.builder().config(RagkitConfiguration.toCoreConfig(properties, environment));
        registry.ifAvailable(builder::registry);
        meters.ifAvailable(builder::meterRegistry);
        Tracer tracer = tracers.getIfAvailable(() -> {
            OpenTelemetry otel = openTelemetry.getIfAvailable();
            return otel == null ? null : otel.getTracer(TRACER_SCOPE);
        });
        if (tracer != null) {
            builder.tracer(tracer);
        }
        return builder.build();
    }
}
