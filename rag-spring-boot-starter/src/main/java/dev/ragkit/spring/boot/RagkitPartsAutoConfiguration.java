package dev.ragkit.spring.boot;

import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.retrieval.Retriever;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The pipeline, retriever and ingestor of the application's {@link Ragkit} (auto-configured or its own) as
 * beans, each backing off when the application defines one. They belong to the Ragkit, which closes them, so
 * the context does not close them again.
 */
@AutoConfiguration(after = RagkitAutoConfiguration.class)
@ConditionalOnBean(Ragkit.class)
public class RagkitPartsAutoConfiguration {
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public RagPipeline ragPipeline(Ragkit ragkit) {
        return ragkit.pipeline();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Retriever ragRetriever(Ragkit ragkit) {
        return ragkit.retriever();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Ingestor ragIngestor(Ragkit ragkit) {
        return ragkit.ingestor();
    }
}
