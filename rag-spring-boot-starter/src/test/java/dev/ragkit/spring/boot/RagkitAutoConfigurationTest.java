package dev.ragkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.testing.ScriptedLlm;
import dev.ragkit.core.testing.TestProviders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.env.StandardEnvironment;

class RagkitAutoConfigurationTest {
    private static final ProviderRegistry TEST_PROVIDERS = ProviderRegistry.of(List.of(
            new TestProviders.WordsEmbedderProvider(), new TestProviders.ScriptedLlmProvider(),
            new dev.ragkit.core.internal.MemoryVectorStoreProvider(), new DownLlmProvider()));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RagkitAutoConfiguration.class, RagkitPartsAutoConfiguration.class,
                    RagkitHealthAutoConfiguration.class))
            .withBean(ProviderRegistry.class, () -> TEST_PROVIDERS);

    @Test
    void twoPropertiesGiveAPipelineThatIngestsAndAnswers() {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.store=memory").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Ragkit.class).hasSingleBean(RagPipeline.class)
                    .hasSingleBean(Ingestor.class).hasSingleBean(Retriever.class);
            context.getBean(Ingestor.class).ingest(List.of(new Document("tea", "Green tea is brewed at 80 degrees."),
                    new Document("rust", "Rust prevents data races at compile time.")));
            Answer answer = context.getBean(RagPipeline.class).ask("At what temperature is green tea brewed?");
            assertThat(answer.kind()).isEqualTo(Answer.Kind.EXTRACTIVE);
            assertThat(answer.citations()).first().satisfies(c -> assertThat(c.documentId()).isEqualTo("tea"));
        });
    }

    @Test
    void withoutAnEmbedderNothingIsAssembled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Ragkit.class)
                .doesNotHaveBean(RagPipeline.class).doesNotHaveBean(CompositeHealthContributor.class));
    }

    @Test
    void enabledFalseTurnsTheStarterOff() {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Ragkit.class));
    }

    @Test
    void coreKeysBindInEveryRelaxedForm() {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.retrieval.top-k=3")
                .run(context -> assertThat(context.getBean(Retriever.class).topK()).isEqualTo(3));
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.retrieval.topK=2")
                .run(context -> assertThat(context.getBean(Retriever.class).topK()).isEqualTo(2));
        runner.withPropertyValues("ragkit.embedder=words")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("RAGKIT_RETRIEVAL_TOPK", "4", "RAGKIT_RETRIEVAL_MODE", "dense",
                                        "RAGKIT_EMBEDDER_WORDS_DIMENSION", "32",
                                        // a variable of the ./ragkit launcher, not a setting: ignored
                                        "RAGKIT_MVN", "mvn -o"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Retriever.class).topK()).isEqualTo(4);
                    assertThat(context.getBean(Retriever.class).mode().name()).isEqualTo("DENSE");
                    assertThat(context.getBean(Ragkit.class).embedder().dimension()).isEqualTo(32);
                });
    }

    @Test
    void providerSettingsReachTheirProvider(@TempDir Path directory) {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.embedder.words.dimension=16",
                "ragkit.store=memory", "ragkit.store.memory.directory=" + directory).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Ragkit.class).embedder().dimension()).isEqualTo(16);
                    context.getBean(Ingestor.class).ingest(List.of(new Document("a", "Persisted text.")));
                    context.getBean(Ragkit.class).store().flush();
                });
        try (var files = Files.list(directory)) {
            assertThat(files).as("the memory store persisted into its configured directory").isNotEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMisspeltKeyFailsStartUpNamingTheClosestKnownKey() {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.retrival.mode=dense").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("rag.retrival.mode").hasMessageContaining("rag.retrieval.mode");
        });
    }

    @Test
    void theApplicationsMeterRegistryAndTracerGetTheSteps() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        runner.withPropertyValues("ragkit.embedder=words")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Tracer.class, () -> tracing.get("test"))
                .run(context -> {
                    context.getBean(Ingestor.class).ingest(List.of(new Document("d", "Meters and spans.")));
                    context.getBean(RagPipeline.class).ask("What is recorded?");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.getMeters()).extracting(m -> m.getId().getName())
                            .anySatisfy(name -> assertThat(name).startsWith("rag."));
                    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("rag.ask");
                });
        tracing.close();
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        Ragkit own = Ragkit.fromConfig(Map.of("rag.embedder", "words"), TEST_PROVIDERS);
        runner.withPropertyValues("ragkit.embedder=words").withBean("myRagkit", Ragkit.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(Ragkit.class);
            assertThat(context.getBean(Ragkit.class)).isSameAs(own);
            assertThat(context.getBean(RagPipeline.class)).isSameAs(own.pipeline());
        });
        RagPipeline pipeline = own.pipeline();
        runner.withPropertyValues("ragkit.embedder=words").withBean("myPipeline", RagPipeline.class, () -> pipeline)
                .run(context -> {
                    assertThat(context).hasSingleBean(RagPipeline.class);
                    assertThat(context.getBean(RagPipeline.class)).isSameAs(pipeline);
                    assertThat(context).hasSingleBean(Ragkit.class);
                });
        own.close();
    }

    @Test
    void healthIndicatorsPerPartAreDownWithTheReason() {
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.llm=scripted,down",
                "ragkit.llm.scripted.answer=fine").run(context -> {
                    CompositeHealthContributor health = context.getBean("ragkitHealthContributor",
                            CompositeHealthContributor.class);
                    assertThat(indicator(health, "store").health().getStatus()).isEqualTo(Status.UP);
                    assertThat(indicator(health, "embedder").health().getDetails()).containsEntry("dimension", 64);
                    assertThat(indicator(health, "llm-scripted-test").health().getStatus()).isEqualTo(Status.UP);
                    Health down = indicator(health, "llm-down-test").health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("reason").toString()).contains("connection refused");
                });
        runner.withPropertyValues("ragkit.embedder=words", "ragkit.health.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("ragkitHealthContributor"));
    }

    @Test
    void probesAreReusedForTheirTimeToLive() {
        AtomicInteger calls = new AtomicInteger();
        MutableClock clock = new MutableClock();
        RagkitProperties.Health settings = new RagkitProperties.Health();
        settings.setCacheTtl(Duration.ofSeconds(30));
        try (Ragkit ragkit = Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.llm", "counting"),
                ProviderRegistry.of(List.of(new TestProviders.WordsEmbedderProvider(),
                        new dev.ragkit.core.internal.MemoryVectorStoreProvider(), new CountingLlmProvider(calls))))) {
            HealthIndicator llm = indicator(dev.ragkit.spring.boot.internal.RagkitHealth.contributor(ragkit, settings, clock),
                    "llm-counting");
            llm.health();
            llm.health();
            assertThat(calls).hasValue(1);
            clock.now = clock.now.plusSeconds(31);
            llm.health();
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void configurationMetadataDescribesTheCoreKeys() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's metadata").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"ragkit.retrieval.top-k\"", "\"ragkit.embedder\"", "\"ragkit.health.cache-ttl\"",
                    "Passages retrieved per question");
        }
    }

    private static HealthIndicator indicator(CompositeHealthContributor health, String name) {
        assertThat(health.getContributor(name)).as("indicator " + name).isInstanceOf(HealthIndicator.class);
        return (HealthIndicator) health.getContributor(name);
    }

    /** {@code down}: an LLM whose server refuses connections. */
    public static final class DownLlmProvider implements LlmClientProvider {
        @Override
        public String name() {
            return "down";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            config.validate();
            return ScriptedLlm.failing("down:test", new RagBackendException("down", true,
                    "connection refused by http://127.0.0.1:9/", null));
        }
    }

    /** {@code counting}: an LLM counting its calls. */
    static final class CountingLlmProvider implements LlmClientProvider {
        private final AtomicInteger calls;

        CountingLlmProvider(AtomicInteger calls) {
            this.calls = calls;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            ScriptedLlm answering = ScriptedLlm.answering("counting", "OK");
            return new LlmClient() {
                @Override
                public String id() {
                    return "counting";
                }

                @Override
                public dev.ragkit.core.spi.Generation generate(dev.ragkit.core.spi.LlmRequest request) {
                    calls.incrementAndGet();
                    return answering.generate(request);
                }

                @Override
                public dev.ragkit.core.spi.Generation stream(dev.ragkit.core.spi.LlmRequest request,
                        java.util.function.Consumer<String> onToken) {
                    calls.incrementAndGet();
                    return answering.stream(request, onToken);
                }
            };
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
