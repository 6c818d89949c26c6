package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.cache.CacheRegion;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.testing.TestProviders;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rag.cache}: assembled by {@link Ragkit}, used by its retriever, never serving what a write or a promote changed. */
class RagkitCacheTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(
            new MemoryVectorStoreProvider(), new TestProviders.WordsEmbedderProvider()));
    private static final String QUESTION = "Which library searches dense vectors?";

    @TempDir
    Path root;

    private static Map<String, String> config(String... extra) {
        Map<String, String> config = new HashMap<>(Map.of("rag.embedder", "words", "rag.cache", "memory"));
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return config;
    }

    private static List<String> documentsFound(Ragkit rag) {
        return rag.retriever().retrieve(QUESTION).stream().map(h -> h.chunk().documentId()).toList();
    }

    @Test
    void aRepeatedQueryIsServedFromTheCachesAndAnIngestedDocumentIsSeenByTheNextIdenticalQuery() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Ragkit rag = Ragkit.builder().config(config()).registry(REGISTRY).meterRegistry(meters).build()) {
            rag.ingestor().ingest(List.of(new Document("faiss", "FAISS is a library that searches dense vectors.")));
            WordHashEmbedder embedder = (WordHashEmbedder) rag.embedder();
            QueryCaches caches = rag.caches().orElseThrow();

            assertThat(documentsFound(rag)).containsExactly("faiss");
            int embedded = embedder.textsEmbedded();
            assertThat(documentsFound(rag)).containsExactly("faiss");
            assertThat(embedder.textsEmbedded()).as("a results hit embeds nothing").isEqualTo(embedded);
            assertThat(caches.hits(CacheRegion.RESULTS)).as("dense and keyword lists of the hybrid search").isEqualTo(2);

            rag.ingestor().ingest(List.of(new Document("hnswlib", "hnswlib searches dense vectors too: a library.")));
            assertThat(documentsFound(rag)).as("the next identical query sees the new document")
                    .containsExactlyInAnyOrder("faiss", "hnswlib");
            assertThat(caches.hits(CacheRegion.EMBEDDINGS)).as("the query's vector did not change").isEqualTo(1);

            rag.ingestor().ingest(List.of(new Document("hnswlib", "A text about cooking pasta.")));
            assertThat(rag.retriever().retrieve(QUESTION)).extracting(h -> h.chunk().text())
                    .as("nor is a changed document served as it was").contains("A text about cooking pasta.")
                    .doesNotContain("hnswlib searches dense vectors too: a library.");
            assertThat(meters.get("rag.cache.hits").tag("cache", "results").tag("backend", "memory")
                    .functionCounter().count()).isEqualTo(2);
            assertThat(meters.get("rag.cache.hit.ratio").tag("cache", "embeddings").gauge().value()).isPositive();
        }
    }

    @Test
    void aFilterIsPartOfTheKey() {
        try (Ragkit rag = Ragkit.builder().config(config()).registry(REGISTRY).build()) {
            rag.ingestor().ingest(List.of(new Document("a", "dense vectors library", Map.of("lang", "en")),
                    new Document("b", "dense vectors library", Map.of("lang", "fr"))));
            List<SearchHit> en = rag.retriever().retrieve(QUESTION, new dev.ragkit.core.model.Filter.Eq("lang", "en"), 5);
            List<SearchHit> fr = rag.retriever().retrieve(QUESTION, new dev.ragkit.core.model.Filter.Eq("lang", "fr"), 5);
            assertThat(en).extracting(h -> h.chunk().documentId()).containsExactly("a");
            assertThat(fr).extracting(h -> h.chunk().documentId()).containsExactly("b");
        }
    }

    @Test
    void aPromotedVersionIsNeverAnsweredFromTheOldVersionsEntries() {
        Embedder embedder = new WordHashEmbedder(64);
        try (VersionedIndex setup = versioned()) {
            setup.promote(build(setup, embedder, "faiss"));
            build(setup, embedder, "redis");
        }
        try (Ragkit rag = Ragkit.builder().config(config("rag.store.memory.directory", root.toString()))
                .registry(REGISTRY).build()) {
            assertThat(documentsFound(rag)).containsExactly("faiss");
            assertThat(documentsFound(rag)).containsExactly("faiss");
            QueryCaches caches = rag.caches().orElseThrow();
            long hits = caches.hits(CacheRegion.RESULTS);
            assertThat(hits).isPositive();

            rag.versionedIndex().orElseThrow().promote(2);
            assertThat(documentsFound(rag)).containsExactly("redis");
            assertThat(caches.hits(CacheRegion.RESULTS)).as("no hit from version 1's entries").isEqualTo(hits);
            rag.versionedIndex().orElseThrow().rollback();
            assertThat(documentsFound(rag)).containsExactly("faiss");
        }
    }

    @Test
    void cachingIsOffByDefaultAndEveryCacheSettingIsChecked() {
        Map<String, String> plain = new HashMap<>(config());
        plain.remove("rag.cache");
        try (Ragkit rag = Ragkit.builder().config(plain).registry(REGISTRY).build()) {
            assertThat(rag.caches()).isEmpty();
        }
        assertThatThrownBy(() -> Ragkit.builder().config(config("rag.cache.result.ttl", "1m",
                        "rag.cache.embeddings.max-entries", "0", "rag.cache.results.ttl", "soon"))
                .registry(REGISTRY).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.cache.result.ttl is not a known setting")
                .hasMessageContaining("rag.cache.embeddings.max-entries was '0' but it must be >= 1")
                .hasMessageContaining("rag.cache.results.ttl was 'soon'");
        assertThatThrownBy(() -> Ragkit.builder().config(config("rag.cache", "redis")).registry(REGISTRY).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("No cache backend named 'redis'. Available: [memory] and none.")
                .hasMessageContaining("Add dev.ragkit:rag-cache-redis to the class path.");
    }

    private VersionedIndex versioned() {
        return new MemoryVectorStoreProvider().versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString()))).orElseThrow();
    }

    private static int build(VersionedIndex index, Embedder embedder, String library) {
        int n = index.create(IndexCompatibility.infoOf(embedder, "test")).number();
        try (VectorStore store = index.open(n)) {
            Ingestor.builder().embedder(embedder).store(store).build()
                    .ingest(List.of(new Document(library, library + " is a library that searches dense vectors.")));
        }
        index.markReady(n, "fp-" + n, 1, 1);
        return n;
    }
}
