package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Citation;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.core.testing.TestProviders;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host assembled on a versioned store directory serves the live version and follows the alias. */
class RagkitVersionedIndexTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(
            new MemoryVectorStoreProvider(), new TestProviders.WordsEmbedderProvider()));
    private static final String QUESTION = "Which library does similarity search of dense vectors?";

    @TempDir
    Path root;

    private VersionedIndex handle() {
        return new MemoryVectorStoreProvider().versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString(), "live-refresh", "20ms"))).orElseThrow();
    }

    /** Builds the next version from {@code docs} with {@code embedder}, ready; returns its number. */
    private static int build(VersionedIndex index, Embedder embedder, List<Document> docs) {
        int n = index.create(IndexCompatibility.infoOf(embedder, "test")).number();
        try (VectorStore store = index.open(n)) {
            Ingestor.builder().embedder(embedder).store(store).build().ingest(docs);
        }
        index.markReady(n, "fp-" + n, docs.size(), docs.size());
        return n;
    }

    private static List<Document> about(String library) {
        return List.of(new Document(library, library + " is a library for similarity search of dense vectors."));
    }

    private Map<String, String> config() {
        return Map.of("rag.embedder", "words", "rag.store.memory.directory", root.toString(),
                "rag.store.memory.live-refresh", "20ms");
    }

    private static String cited(Ragkit rag) {
        Answer answer = rag.pipeline().ask(QUESTION);
        return answer.citations().stream().map(Citation::documentId).findFirst().orElse("none");
    }

    @Test
    void aHostServesTheLiveVersionFollowsPromotesAndTagsItsMetrics() throws Exception {
        Embedder embedder = new WordHashEmbedder(64);
        try (VersionedIndex setup = handle()) {
            setup.promote(build(setup, embedder, about("faiss")));
            build(setup, embedder, about("redis"));
            build(setup, embedder, about("lucene"));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
             Ragkit rag = Ragkit.builder().config(config()).registry(REGISTRY).meterRegistry(meters)
                     .tracer(tracing.get("test")).build()) {
            assertThat(rag.store()).isInstanceOf(LiveVersionStore.class);
            assertThat(cited(rag)).isEqualTo("faiss");

            VersionedIndex index = rag.versionedIndex().orElseThrow();
            index.promote(2);
            assertThat(cited(rag)).as("served right after a promote through the host's handle").isEqualTo("redis");

            try (VersionedIndex other = handle()) {
                other.promote(3); // as `ragkit index promote` in another process would
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!cited(rag).equals("lucene") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cited(rag)).as("served within the refresh interval of another handle's promote")
                    .isEqualTo("lucene");
            index.rollback();
            assertThat(cited(rag)).isEqualTo("redis");

            assertThat(meters.get("rag.retrieval").tag("index.version", "v1").timer().count()).isPositive();
            assertThat(meters.get("rag.retrieval").tag("index.version", "v2").timer().count()).isPositive();
            assertThat(meters.get("rag.retrieval").tag("index.version", "v3").timer().count()).isPositive();
            assertThat(meters.get("rag.retrieval.score.max").tag("index.version", "v2").summary().count()).isPositive();
            assertThat(meters.get("rag.index.promote").tag("index", root.getFileName().toString())
                    .tag("outcome", "success").timer().count()).as("promotes through the host's handle").isEqualTo(1);
            assertThat(meters.get("rag.index.rollback").timer().count()).isEqualTo(1);
            assertThat(meters.get("rag.index.live").gauge().value()).isEqualTo(2.0);
            List<String> searchedVersions = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("rag.search"))
                    .map(s -> s.getAttributes().asMap().entrySet().stream()
                            .filter(e -> e.getKey().getKey().equals("index.version")).map(e -> e.getValue().toString())
                            .findFirst().orElse("missing"))
                    .distinct().toList();
            assertThat(searchedVersions).contains("v1", "v2", "v3");
            assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("rag.index.promote");
        }
    }

    @Test
    void aVersionBuiltWithAnotherEmbedderIsNeverServed() throws Exception {
        Embedder embedder = new WordHashEmbedder(64);
        try (VersionedIndex setup = handle()) {
            setup.promote(build(setup, embedder, about("faiss")));
            build(setup, new WordHashEmbedder(64, "other"), about("redis"));
        }
        try (Ragkit rag = Ragkit.fromConfig(config(), REGISTRY)) {
            try (VersionedIndex other = handle()) {
                other.promote(2);
            }
            Thread.sleep(100); // several refresh intervals
            assertThat(cited(rag)).as("v2's vectors are of another model: the host keeps serving v1")
                    .isEqualTo("faiss");
            assertThat(((LiveVersionStore) rag.store()).version()).isEqualTo(1);
        }
        assertThatThrownBy(() -> Ragkit.fromConfig(config(), REGISTRY)).as("a host starting on that live version")
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("word-hash-64-other")
                .hasMessageContaining("word-hash-64'");
    }

    @Test
    void aVersionedIndexWithoutLiveVersionOrWithRebuildIsRefusedNotOpenedAsAPlainStore() {
        try (VersionedIndex setup = handle()) {
            build(setup, new WordHashEmbedder(64), about("faiss"));
        }
        assertThatThrownBy(() -> Ragkit.fromConfig(config(), REGISTRY)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("no live version yet").hasMessageContaining("v1 READY");
        try (VersionedIndex setup = handle()) {
            setup.promote(1);
        }
        Map<String, String> rebuild = new java.util.HashMap<>(config());
        rebuild.put("rag.index.rebuild", "true");
        assertThatThrownBy(() -> Ragkit.fromConfig(rebuild, REGISTRY)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.index.rebuild was 'true' but the store directory is the versioned index");
    }

    @Test
    void aPlainStoreDirectoryIsStillServedAsAPlainStore() {
        try (Ragkit rag = Ragkit.fromConfig(config(), REGISTRY)) {
            rag.ingestor().ingest(about("faiss"));
            assertThat(rag.store()).isNotInstanceOf(LiveVersionStore.class);
            assertThat(rag.versionedIndex()).isEmpty();
        }
        try (Ragkit rag = Ragkit.fromConfig(config(), REGISTRY)) {
            assertThat(cited(rag)).isEqualTo("faiss");
        }
    }
}
