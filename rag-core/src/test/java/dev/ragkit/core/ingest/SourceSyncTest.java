package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.core.text.RecursiveSplitter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SourceSyncTest {
    /** A loader over a list, as a host would write one over a database table. */
    private record ListLoader(String sourceId, List<Document> documents, List<String> skippedIds) implements DocumentLoader {
        ListLoader(String sourceId, List<Document> documents) {
            this(sourceId, documents, List.of());
        }

        @Override
        public void load(Sink sink) {
            documents.forEach(sink::document);
            skippedIds.forEach(id -> sink.skipped(id, "locked"));
        }
    }

    private static List<Document> docs(String prefix, int n) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            docs.add(new Document(prefix + i, "Document " + i + " of " + prefix + ". It talks about vectors and "
                    + "indexes.\n\nA second paragraph, number " + i + ", about retrieval.", Map.of("n", i)));
        }
        return docs;
    }

    private static Ingestor ingestor(VectorStore store) {
        return Ingestor.builder().embedder(new WordHashEmbedder()).store(store)
                .splitter(RecursiveSplitter.of(60, 0)).build();
    }

    private static Set<String> storedDocuments(VectorStore store) {
        Set<String> ids = new TreeSet<>();
        store.scan(null, null, 10_000).chunks().forEach(c -> ids.add(c.documentId()));
        return ids;
    }

    @Test
    void ingestsTagsAndThenDeletesWhatTheSourceNoLongerYields() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        List<Document> all = docs("d", 150); // more than one batch
        SyncReport first = ingestor.sync(new ListLoader("db:docs", all));
        assertThat(first.documents()).isEqualTo(150);
        assertThat(first.chunksEmbedded()).isGreaterThan(150);
        assertThat(first.documentsDeleted()).isZero();
        assertThat(first.sourceId()).isEqualTo("db:docs");
        assertThat(store.scan(null, null, 10_000).chunks())
                .allMatch(c -> "db:docs".equals(c.metadata().get(DocumentLoader.SOURCE_ID_KEY)));

        // Another source's documents are never touched by this one's sync.
        ingestor.sync(new ListLoader("db:other", docs("o", 3)));

        List<Document> fewer = new ArrayList<>(all.subList(0, 140));
        SyncReport second = ingestor.sync(new ListLoader("db:docs", fewer));
        assertThat(second.chunksEmbedded()).isZero();
        assertThat(second.documentsDeleted()).isEqualTo(10);
        assertThat(second.chunksDeleted()).isEqualTo(first.chunksEmbedded() / 150 * 10);
        assertThat(second.summary()).startsWith("documents=140 chunks_embedded=0 chunks_unchanged=")
                .contains("documents_deleted=10");
        assertThat(storedDocuments(store)).hasSize(143).contains("o0", "o1", "o2", "d139").doesNotContain("d140");
    }

    @Test
    void skippedDocumentsKeepTheirChunks() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        ingestor.sync(new ListLoader("s", docs("d", 3)));
        SyncReport report = ingestor.sync(new ListLoader("s", docs("d", 1), List.of("d1")));
        assertThat(report.documentsDeleted()).isEqualTo(1);
        assertThat(report.skipped()).singleElement().hasToString("'d1': locked");
        assertThat(storedDocuments(store)).containsExactly("d0", "d1");
    }

    @Test
    void aPartOfTheSourceThatCouldNotBeListedKeepsItsDocuments() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        ingestor.sync(new ListLoader("s", List.of(new Document("a/x", "x text"), new Document("b/y", "y text"))));
        SyncReport report = ingestor.sync(DocumentLoader.of("s", sink -> sink.skippedUnder("a/", "permission denied")));
        assertThat(report.documentsDeleted()).isEqualTo(1);
        assertThat(storedDocuments(store)).containsExactly("a/x");
    }

    @Test
    void aFailureMidSyncDeletesNothing() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        ingestor.sync(new ListLoader("s", docs("d", 100)));
        DocumentLoader failing = new DocumentLoader() {
            @Override
            public String sourceId() {
                return "s";
            }

            @Override
            public void load(Sink sink) {
                docs("d", 80).forEach(sink::document); // one batch is written, then the source fails
                throw new IllegalStateException("connection reset");
            }
        };
        assertThatThrownBy(() -> ingestor.sync(failing)).hasMessage("connection reset");
        assertThat(storedDocuments(store)).hasSize(100);
    }

    @Test
    void aDocumentYieldedTwiceIsRefusedAndNothingIsDeleted() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        ingestor.sync(new ListLoader("s", docs("d", 3)));
        List<Document> twice = List.of(new Document("d0", "a"), new Document("d0", "b"));
        assertThatThrownBy(() -> ingestor.sync(new ListLoader("s", twice)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'d0' twice");
        assertThat(storedDocuments(store)).hasSize(3);
    }

    @Test
    void documentsMovedFromAnotherSourceAreReported() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(store);
        ingestor.sync(new ListLoader("old", docs("d", 2)));
        SyncReport report = ingestor.sync(new ListLoader("new", docs("d", 2)));
        assertThat(report.takenOver()).containsOnlyKeys("old");
        assertThat(report.takenOver().get("old")).containsExactlyInAnyOrder("d0", "d1");
        assertThat(ingestor.sync(new ListLoader("old", List.of())).documentsDeleted()).isZero();
    }

    @Test
    void tooLongDocumentsAreSkippedAndKept() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor small = Ingestor.builder().embedder(new WordHashEmbedder()).store(store).maxDocumentChars(1000).build();
        small.sync(new ListLoader("s", List.of(new Document("big", "short for now"))));
        SyncReport report = small.sync(new ListLoader("s", List.of(new Document("big", "x ".repeat(600)))));
        assertThat(report.skipped()).singleElement().extracting(SkippedDocument::documentId).isEqualTo("big");
        assertThat(report.documentsDeleted()).isZero();
        assertThat(storedDocuments(store)).containsExactly("big");
    }

    @Test
    void aStoreWithoutFilterIsRefusedWithWhatItLacks() {
        VectorStore noFilter = new ForwardingVectorStore(MemoryVectorStore.builder().dimension(64).build()) {
            @Override
            public Set<StoreCapability> capabilities() {
                return EnumSet.of(StoreCapability.SCAN, StoreCapability.DELETE);
            }
        };
        Ingestor ingestor = ingestor(noFilter);
        assertThatThrownBy(() -> ingestor.sync(new ListLoader("s", docs("d", 1))))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("does not declare FILTER").hasMessageContaining("source_id");
        assertThat(storedDocuments(noFilter)).isEmpty();
    }

    @Test
    void ingestingALoaderWithoutSyncWritesEveryDocumentInBatchesAndDeletesNothing() {
        VectorStore noFilter = new ForwardingVectorStore(MemoryVectorStore.builder().dimension(64).build()) {
            @Override
            public Set<StoreCapability> capabilities() {
                return EnumSet.of(StoreCapability.SCAN, StoreCapability.DELETE);
            }
        };
        Ingestor ingestor = ingestor(noFilter);
        SyncReport first = ingestor.ingest(new ListLoader("s", docs("d", SourceSync.DOCUMENTS_PER_BATCH + 6)),
                IngestionListener.NONE);
        assertThat(first.documents()).isEqualTo(SourceSync.DOCUMENTS_PER_BATCH + 6);
        assertThat(storedDocuments(noFilter)).hasSize(SourceSync.DOCUMENTS_PER_BATCH + 6);
        SyncReport second = ingestor.ingest(new ListLoader("s", docs("d", 2)), IngestionListener.NONE);
        assertThat(second.documentsDeleted()).isZero();
        assertThat(second.chunksEmbedded()).as("unchanged documents embed nothing").isZero();
        assertThat(storedDocuments(noFilter)).as("what the source no longer yields is kept").hasSize(
                SourceSync.DOCUMENTS_PER_BATCH + 6);
    }
}
