package dev.ragkit.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.nio.file.Path;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.testing.InMemoryVersionedIndex;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.core.text.RecursiveSplitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexLifecycleTest {
    private static final RecursiveSplitter SPLITTER = RecursiveSplitter.of(300, 0);
    private static final String[] WORDS = {"alias", "version", "rollback", "promote", "vector", "index", "chunk",
        "embedding", "query", "store", "gate", "agreement", "recall", "source", "fingerprint", "retention"};

    /** Documents of three paragraphs, each about its own topic word so that queries can find them. */
    private static List<Document> corpus(int documents, long seed) {
        Random random = new Random(seed);
        List<Document> docs = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            docs.add(document(d, random));
        }
        return docs;
    }

    private static Document document(int d, Random random) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            text.append("Topic").append(d).append(" part ").append(p).append(':');
            for (int w = 0; w < 25; w++) {
                text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            text.append(".\n\n");
        }
        return new Document("doc-" + d, text.toString(), Map.of("title", "Document " + d));
    }

    private static DocumentLoader source(List<Document> docs) {
        return DocumentLoader.of("test:corpus", sink -> docs.forEach(sink::document));
    }

    /** Embedders by id, as a host that can build each model it ever indexed with. */
    private static EmbedderResolver resolver(Embedder... embedders) {
        return info -> {
            for (Embedder e : embedders) {
                if (e.id().equals(info.embedder())) {
                    return e;
                }
            }
            throw new IllegalStateException("no embedder " + info.embedder());
        };
    }

    private static List<String> queries(int n) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            q.add("topic" + i + " " + WORDS[i % WORDS.length]);
        }
        return q;
    }

    @Test
    void aReindexBuildsTheNextVersionBesideTheLiveOneAndReusesItsEmbeddings() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder embedder = new WordHashEmbedder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(resolver(embedder)).meterRegistry(registry)
                .batchSize(8).build();
        List<Document> docs = corpus(40, 1);

        ReindexReport first = lifecycle.reindex(source(docs), embedder, SPLITTER, IngestionListener.NONE);
        assertThat(first.version().number()).isEqualTo(1);
        assertThat(first.version().state()).isEqualTo(IndexVersion.State.READY);
        assertThat(first.version().documents()).isEqualTo(40);
        assertThat(first.version().chunks()).isEqualTo(index.storeOf(1).count());
        assertThat(first.version().sourceFingerprint()).hasSize(64);
        assertThat(first.resumed()).isFalse();
        assertThat(first.reusedFrom()).isEmpty();
        assertThat(lifecycle.live()).as("a reindex never promotes").isEmpty();
        assertThat(lifecycle.promote(1, PromotionGate.none()).promoted()).isTrue();
        int chunks = (int) index.storeOf(1).count();
        int embeddedForV1 = embedder.textsEmbedded();

        // 5 % of the documents change (2 of 40): only their new text is embedded.
        List<Document> changed = new ArrayList<>(docs);
        Random random = new Random(2);
        changed.set(3, document(1003, random));
        changed.set(17, document(1017, random));
        ReindexReport second = lifecycle.reindex(source(changed), embedder, SPLITTER, IngestionListener.NONE);
        assertThat(second.version().number()).isEqualTo(2);
        assertThat(second.reusedFrom()).hasValue(1);
        assertThat(second.sync().chunksEmbedded()).isEqualTo(6);
        assertThat(second.sync().chunksReused()).isEqualTo(chunks - 6);
        assertThat(embedder.textsEmbedded() - embeddedForV1).isEqualTo(6);
        assertThat(second.version().sourceFingerprint()).isNotEqualTo(first.version().sourceFingerprint());
        assertThat(lifecycle.live()).hasValue(1);
        assertThat(index.storeOf(1).count()).as("the live version is only read").isEqualTo(chunks);
        assertThat(second.summary()).startsWith("version=v2 resumed=false reused_from=v1 documents=40 chunks_embedded=6");

        assertThat(registry.get("rag.index.lifecycle.reindex").tag("outcome", "success").timer().count()).isEqualTo(2);
        assertThat(registry.get("rag.index.lifecycle.chunks").tag("source", "reused").counter().count())
                .isEqualTo(chunks - 6);
    }

    @Test
    void anotherEmbedderReusesNothingAndTheGateSearchesEachVersionWithItsOwnEmbedder() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder oldModel = new WordHashEmbedder(64, "old");
        WordHashEmbedder newModel = new WordHashEmbedder(64, "new");
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(resolver(oldModel, newModel)).build();
        List<Document> docs = corpus(20, 3);
        lifecycle.reindex(source(docs), oldModel, SPLITTER, IngestionListener.NONE);
        lifecycle.promote(1, PromotionGate.none());

        ReindexReport second = lifecycle.reindex(source(docs), newModel, SPLITTER, IngestionListener.NONE);
        assertThat(second.reusedFrom()).isEmpty();
        assertThat(second.sync().chunksReused()).isZero();
        assertThat(newModel.textsEmbedded()).isEqualTo((int) index.storeOf(2).count());
        assertThat(second.version().sourceFingerprint()).isEqualTo(index.versions().get(0).sourceFingerprint());

        // Both "models" hash words the same way, so the versions agree fully, but only if each is
        // searched with its own embedder.
        PromotionResult result = lifecycle.promote(2, AgreementGate.builder(queries(20)).minAgreement(0.99).build());
        assertThat(result.verdict().figures().get("agreement@10")).isEqualTo(1.0);
        assertThat(result.promoted()).isTrue();
    }

    @Test
    void aGateBelowItsThresholdRefusesWithTheFiguresAndChangesNothing() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder embedder = new WordHashEmbedder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(resolver(embedder)).meterRegistry(registry)
                .build();
        lifecycle.reindex(source(corpus(30, 4)), embedder, SPLITTER, IngestionListener.NONE);
        lifecycle.promote(1, PromotionGate.none());
        // The candidate holds other documents entirely: it cannot agree with the live version.
        lifecycle.reindex(source(corpus(30, 5).stream().map(d -> new Document("other-" + d.id(), d.text(),
                d.metadata())).toList()), embedder, SPLITTER, IngestionListener.NONE);

        PromotionResult refused = lifecycle.promote(2, AgreementGate.builder(queries(30)).minAgreement(0.8).build());
        assertThat(refused.promoted()).isFalse();
        assertThat(refused.verdict().figures()).containsEntry("agreement@10", 0.0).containsEntry("min-agreement", 0.8)
                .containsEntry("queries", 30.0);
        assertThat(refused.summary()).startsWith("refused v2, live stays v1: agreement@10 refused: agreement@10=0")
                .contains("below the threshold 0.800");
        assertThat(lifecycle.live()).hasValue(1);
        assertThat(registry.get("rag.index.lifecycle.promote").tag("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(registry.get("rag.index.lifecycle.promotions").tag("outcome", "refused").counter().count()).isEqualTo(1);
    }

    @Test
    void aReindexKilledMidwayIsResumedIntoTheSameVersionWithoutTouchingTheLiveOne() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).batchSize(4).build();
        List<Document> v1 = corpus(30, 6);
        lifecycle.reindex(source(v1), new WordHashEmbedder(64, "a"), SPLITTER, IngestionListener.NONE);
        lifecycle.promote(1, PromotionGate.none());
        long liveChunks = index.storeOf(1).count();

        // The new model's backend goes down after 5 calls.
        WordHashEmbedder failing = new WordHashEmbedder(64, "b").failAfter(5);
        assertThatThrownBy(() -> lifecycle.reindex(source(v1), failing, SPLITTER, IngestionListener.NONE))
                .isInstanceOf(RagBackendException.class);
        assertThat(index.versions()).extracting(IndexVersion::state)
                .containsExactly(IndexVersion.State.READY, IndexVersion.State.BUILDING);
        long written = index.storeOf(2).count();
        assertThat(written).isEqualTo(20);
        assertThat(lifecycle.live()).hasValue(1);
        assertThat(index.storeOf(1).count()).isEqualTo(liveChunks);

        WordHashEmbedder recovered = new WordHashEmbedder(64, "b");
        ReindexReport resumed = lifecycle.reindex(source(v1), recovered, SPLITTER, IngestionListener.NONE);
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.version().number()).isEqualTo(2);
        assertThat(resumed.sync().chunksUnchanged()).isEqualTo((int) written);
        assertThat(recovered.textsEmbedded()).isEqualTo((int) (liveChunks - written));
        assertThat(resumed.version().chunks()).isEqualTo(liveChunks);
        assertThat(index.versions()).hasSize(2);

        // Another splitter does not continue that build: it is another version.
        ReindexReport other = lifecycle.reindex(source(v1), recovered, RecursiveSplitter.of(500, 0),
                IngestionListener.NONE);
        assertThat(other.resumed()).isFalse();
        assertThat(other.version().number()).isEqualTo(3);
    }

    @Test
    void rollbackIsOneStepAndRetentionDropsTheOldestVersionsAfterAPromotion() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder embedder = new WordHashEmbedder();
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).keepOldVersions(1).build();
        for (int v = 1; v <= 3; v++) {
            lifecycle.reindex(source(corpus(5 + v, v)), embedder, SPLITTER, IngestionListener.NONE);
        }
        assertThat(lifecycle.promote(1, PromotionGate.none()).dropped()).isEmpty();
        assertThat(lifecycle.promote(2, PromotionGate.none()).dropped()).isEmpty();
        assertThat(lifecycle.rollback()).isEqualTo(1);
        assertThat(lifecycle.live()).hasValue(1);
        assertThatThrownBy(() -> lifecycle.promote(1, PromotionGate.none())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("live already");

        PromotionResult third = lifecycle.promote(3, PromotionGate.none());
        // v1 and v2 are older than v3: one is kept (the most recent), so v1 goes.
        assertThat(third.dropped()).containsExactly(1);
        assertThat(third.previous()).hasValue(1);
        assertThat(index.versions()).extracting(IndexVersion::number).containsExactly(2, 3);
        assertThat(index.storeOf(2).search(SearchRequest.dense(embedder.embedQuery("topic1"), 3))).isNotEmpty();
    }

    @Test
    void refusesToPromoteWhatIsNotReadyOrDoesNotExist() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder embedder = new WordHashEmbedder();
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).build();
        index.create(dev.ragkit.core.internal.IndexCompatibility.infoOf(embedder, SPLITTER.describe()));
        assertThatThrownBy(() -> lifecycle.promote(1, PromotionGate.none())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("still BUILDING");
        assertThatThrownBy(() -> lifecycle.promote(7, PromotionGate.none())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no version 7").hasMessageContaining("[v1]");
        assertThatThrownBy(lifecycle::rollback).isInstanceOf(RagException.class);
        assertThatThrownBy(() -> IndexLifecycle.builder(index).keepOldVersions(-1).batchSize(0).build())
                .hasMessageContaining("keepOldVersions was -1").hasMessageContaining("batchSize was 0");
    }

    @Test
    void aGateThatSearchesNeedsTheEmbeddersOfTheVersions() {
        InMemoryVersionedIndex index = new InMemoryVersionedIndex("docs");
        WordHashEmbedder embedder = new WordHashEmbedder();
        IndexLifecycle lifecycle = IndexLifecycle.builder(index).build();
        lifecycle.reindex(source(corpus(5, 9)), embedder, SPLITTER, IngestionListener.NONE);
        lifecycle.promote(1, PromotionGate.none());
        lifecycle.reindex(source(corpus(6, 9)), embedder, SPLITTER, IngestionListener.NONE);
        assertThatThrownBy(() -> lifecycle.promote(2, AgreementGate.builder(queries(3)).build()))
                .hasMessageContaining("IndexLifecycle.Builder.embedders");
        assertThat(lifecycle.live()).hasValue(1);
    }

    @Test
    void onADirectoryIndexItReindexesAndPromotesWhileAHostServesTheLiveVersion(@TempDir Path root) {
        WordHashEmbedder embedder = new WordHashEmbedder();
        try (VersionedIndex index = new MemoryVectorStoreProvider().versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString()))).orElseThrow()) {
            IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(resolver(embedder)).build();
            List<Document> docs = corpus(20, 12);
            lifecycle.reindex(source(docs), embedder, SPLITTER, IngestionListener.NONE);
            lifecycle.promote(1, PromotionGate.none());
            try (VectorStore serving = index.openLive()) {
                float[] query = embedder.embedQuery(SPLITTER.split(docs.get(3)).get(0).text());
                List<SearchHit> before = serving.search(SearchRequest.dense(query, 5));
                assertThat(before.get(0).chunk().documentId()).isEqualTo("doc-3");

                // The host keeps the live version open (as a writer) while v2 is built and gated.
                List<Document> changed = new ArrayList<>(docs);
                changed.set(3, new Document("doc-3", "Nothing about that topic any more.", Map.of()));
                ReindexReport second = lifecycle.reindex(source(changed), embedder, SPLITTER, IngestionListener.NONE);
                assertThat(second.reusedFrom()).hasValue(1);
                assertThat(second.sync().chunksEmbedded()).isEqualTo(1);
                assertThat(serving.search(SearchRequest.dense(query, 5))).isEqualTo(before);

                PromotionResult result = lifecycle.promote(2, AgreementGate.builder(queries(20)).minAgreement(0.5)
                        .build());
                assertThat(result.promoted()).as(result.summary()).isTrue();
                assertThat(serving.search(SearchRequest.dense(query, 5)).get(0).chunk().documentId())
                        .as("the serving store follows the alias").isNotEqualTo("doc-3");
                assertThat(lifecycle.rollback()).isEqualTo(1);
                assertThat(serving.search(SearchRequest.dense(query, 5))).isEqualTo(before);
            }
            assertThat(lifecycle.list()).extracting(IndexVersion::state)
                    .containsExactly(IndexVersion.State.READY, IndexVersion.State.READY);
        }
    }

    @Test
    void theFingerprintDependsOnIdsAndTextsButNotOnTheOrder() {
        List<Document> docs = corpus(10, 11);
        List<Document> reversed = new ArrayList<>(docs);
        java.util.Collections.reverse(reversed);
        assertThat(fingerprint(reversed)).isEqualTo(fingerprint(docs));
        List<Document> edited = new ArrayList<>(docs);
        edited.set(4, new Document("doc-4", docs.get(4).text() + " More.", Map.of()));
        assertThat(fingerprint(edited)).isNotEqualTo(fingerprint(docs));
        assertThat(fingerprint(docs.subList(0, 9))).isNotEqualTo(fingerprint(docs));
    }

    private static String fingerprint(List<Document> docs) {
        IndexLifecycle.Fingerprint f = new IndexLifecycle.Fingerprint();
        docs.forEach(f::add);
        return f.value();
    }
}
