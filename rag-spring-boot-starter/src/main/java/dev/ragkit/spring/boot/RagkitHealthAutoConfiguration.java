package dev.ragkit.spring.boot;

import dev.ragkit.core.Ragkit;
import dev.ragkit.spring.boot.internal.RagkitHealth;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The health contributor {@code ragkit} (at {@code /actuator/health/ragkit}): one indicator for the store
 * ({@code store}, which counts its chunks), one for the embedder ({@code embedder}, which embeds a word) and one
 * per LLM of the fallback chain ({@code llm-<id>}, a one-token generation), each down with the backend's reason
 * when it fails. Results are reused for {@code ragkit.health.cache-ttl} (default 5 minutes), since an LLM probe
 * is a billed call; {@code ragkit.health.probe-llms=false} reports the LLMs without calling them. Present when
 * Actuator's health module is, unless {@code ragkit.health.enabled=false} or the application defines a bean
 * named {@code ragkitHealthContributor}.
 */
@AutoConfiguration(after = RagkitAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(Ragkit.class)
@ConditionalOnProperty(prefix = "ragkit.health", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RagkitHealthAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "ragkitHealthContributor")
    public CompositeHealthContributor ragkitHealthContributor(Ragkit ragkit, RagkitProperties properties) {
        return RagkitHealth.contributor(ragkit, properties.getHealth(), Clock.systemUTC());
    }
}
