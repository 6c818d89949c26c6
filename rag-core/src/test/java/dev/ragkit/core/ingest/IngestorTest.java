package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.CountingStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.core.text.RecursiveSplitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {
    private static final RecursiveSplitter SPLITTER = RecursiveSplitter.of(200, 20);

    /** Documents of several paragraphs each, so every document splits into several chunks. */
    private static List<Document> corpus(int documents, long seed) {
        Random random = new Random(seed);
        String[] words = {"vector", "index", "recherche", "document", "chunk", "embedding", "requête", "store",
                "filtre", "score", "answer", "réponse", "ingestion", "batch", "hybrid", "fusion"};
        List<Document> docs = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 4; p++) {
                for (int s = 0; s < 3; s++) {
                    for (int w = 0; w < 8; w++) {
                        text.append(w == 0 ? capitalise(words[random.nextInt(words.length)])
                                : words[random.nextInt(words.length)]).append(w == 7 ? ". " : " ");
                    }
                }
                text.append("Paragraph ").append(d).append('-').append(p).append(".\n\n");
            }
            docs.add(new Document("doc-" + d, text.toString(), Map.of("n", d)));
        }
        return docs;
    }

    private static String capitalise(String w) {
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    private static Ingestor ingestor(WordHashEmbedder embedder, VectorStore store, int batchSize) {
        return Ingestor.builder().embedder(embedder).store(store).splitter(SPLITTER).batchSize(batchSize).build();
    }

    /** Every stored chunk, by id, with its text: the store's observable state. */
    private static Map<String, String> contents(VectorStore store) {
        Map<String, String> all = new TreeMap<>();
        String cursor = null;
        do {
            ScanPage page = store.scan(null, cursor, 7);
            page.chunks().forEach(c -> all.put(c.id(), c.text()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    private static Map<String, String> expected(List<Document> docs) {
        Map<String, String> all = new TreeMap<>();
        for (Document d : docs) {
            for (Chunk c : SPLITTER.split(d)) {
                all.put(c.id(), c.text());
            }
        }
        return all;
    }

    @Test
    void reingestingUnchangedDocumentsEmbedsAndWritesNothing() {
        List<Document> docs = corpus(10, 1);
        WordHashEmbedder embedder = new WordHashEmbedder();
        CountingStore store = new CountingStore(MemoryVectorStore.builder().dimension(64).build());
        IngestionReport first = ingestor(embedder, store, 16).ingest(docs);
        int chunks = expected(docs).size();
        assertThat(chunks).isGreaterThan(20);
        assertThat(first.chunksEmbedded()).isEqualTo(chunks);
        assertThat(contents(store)).isEqualTo(expected(docs));

        int embeddedBefore = embedder.textsEmbedded();
        int writesBefore = store.upserted();
        IngestionReport second = ingestor(embedder, store, 16).ingest(docs);
        assertThat(second.chunksEmbedded()).isZero();
        assertThat(second.chunksUnchanged()).isEqualTo(chunks);
        assertThat(second.chunksDeleted()).isZero();
        assertThat(embedder.textsEmbedded()).isEqualTo(embeddedBefore);
        assertThat(store.upserted()).isEqualTo(writesBefore);
        assertThat(store.deleted()).isZero();
        assertThat(second.summary()).startsWith("documents=10 chunks_embedded=0 chunks_unchanged=" + chunks
                + " chunks_deleted=0 duration_ms=");
    }

    @Test
    void aChangedDocumentReembedsOnlyChangedChunksAndDropsVanishedOnes() {
        List<Document> docs = new ArrayList<>(corpus(3, 2));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        ingestor(embedder, store, 8).ingest(docs);
        List<Chunk> before = SPLITTER.split(docs.get(1));
        assertThat(before.size()).isGreaterThanOrEqualTo(3);

        // Change the last paragraph and drop nothing else: only the trailing chunk(s) differ.
        String text = docs.get(1).text();
        int cut = text.lastIndexOf("Paragraph 1-3.");
        Document edited = new Document("doc-1", text.substring(0, cut) + "Paragraph changed.",
                docs.get(1).metadata());
        List<Chunk> after = SPLITTER.split(edited);
        long changed = after.stream().filter(c -> !before.contains(c)).count();
        assertThat(changed).isBetween(1L, (long) after.size() - 1);

        docs.set(1, edited);
        IngestionReport report = ingestor(embedder, store, 8).ingest(docs);
        assertThat(report.chunksEmbedded()).isEqualTo((int) changed);
        assertThat(contents(store)).isEqualTo(expected(docs));

        // Shrink the document to one short paragraph: every other chunk of it disappears.
        Document shrunk = new Document("doc-1", "Only one short paragraph is left.", Map.of("n", 1));
        docs.set(1, shrunk);
        IngestionReport shrinkReport = ingestor(embedder, store, 8).ingest(docs);
        assertThat(shrinkReport.chunksEmbedded()).isEqualTo(1);
        assertThat(shrinkReport.chunksDeleted()).isEqualTo(after.size() - 1);
        assertThat(contents(store)).isEqualTo(expected(docs));
    }

    @Test
    void deletingADocumentRemovesAllItsChunks() {
        List<Document> docs = corpus(4, 3);
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = ingestor(new WordHashEmbedder(), store, 8);
        ingestor.ingest(docs);
        int doc2Chunks = SPLITTER.split(docs.get(2)).size();

        IngestionReport report = ingestor.deleteDocuments(List.of("doc-2", "never-ingested"));
        assertThat(report.chunksDeleted()).isEqualTo(doc2Chunks);
        assertThat(store.scan(Filter.eq(Metadata.DOCUMENT_ID_KEY, "doc-2"), null, 100).chunks()).isEmpty();
        assertThat(ingestor.storedDocumentIds(null)).containsExactlyInAnyOrder("doc-0", "doc-1", "doc-3");
        assertThat(ingestor.storedDocumentIds(Filter.gte("n", 3))).containsExactly("doc-3");
    }

    @Test
    void aFailureMidwayLeavesTheStoreConsistentAndARerunCompletesTheJob(@TempDir Path dir) {
        List<Document> docs = corpus(12, 4);
        Map<String, String> target = expected(docs);

        MemoryVectorStore interrupted = MemoryVectorStore.builder().dimension(64).directory(dir).build();
        WordHashEmbedder failing = new WordHashEmbedder().failAfter(3);
        assertThatThrownBy(() -> ingestor(failing, interrupted, 5).ingest(docs))
                .isInstanceOf(RagBackendException.class)
                .hasMessageContaining("simulated outage");
        Map<String, String> partial = contents(interrupted);
        assertThat(partial.size()).isBetween(1, target.size() - 1);
        // Whatever was written is a correct chunk of the current text: nothing half-written.
        partial.forEach((id, chunkText) -> assertThat(target).containsEntry(id, chunkText));
        interrupted.close();

        // A new process reopens the directory and reruns the same job.
        MemoryVectorStore reopened = MemoryVectorStore.builder().dimension(64).directory(dir).build();
        assertThat(contents(reopened)).isEqualTo(partial);
        IngestionReport rerun = ingestor(new WordHashEmbedder(), reopened, 5).ingest(docs);
        assertThat(rerun.chunksUnchanged()).isEqualTo(partial.size());
        assertThat(rerun.chunksEmbedded()).isEqualTo(target.size() - partial.size());
        assertThat(contents(reopened)).isEqualTo(target);
        assertThat(reopened.count()).isEqualTo(target.size());
        reopened.close();
    }

    @Test
    void progressIsReportedUpToTheTotal() {
        List<Document> docs = corpus(6, 5);
        List<IngestionProgress> seen = new ArrayList<>();
        ingestor(new WordHashEmbedder(), MemoryVectorStore.builder().dimension(64).build(), 4)
                .ingest(docs, seen::add);
        assertThat(seen).isNotEmpty();
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).documentsDone()).isGreaterThanOrEqualTo(seen.get(i - 1).documentsDone());
        }
        IngestionProgress last = seen.get(seen.size() - 1);
        assertThat(last.documentsDone()).isEqualTo(6);
        assertThat(last.documentsTotal()).isEqualTo(6);
        assertThat(last.fraction()).isEqualTo(1.0);
        assertThat(last.chunksEmbedded()).isEqualTo(expected(docs).size());
    }

    @Test
    void identicalTextsInABatchAreEmbeddedOnce() {
        String boilerplate = "This page is confidential and intended for internal use only.";
        List<Document> docs = List.of(new Document("a", boilerplate), new Document("b", boilerplate),
                new Document("c", "Something else entirely."));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        IngestionReport report = ingestor(embedder, store, 64).ingest(docs);
        assertThat(report.chunksEmbedded()).isEqualTo(3);
        assertThat(embedder.textsEmbedded()).isEqualTo(2);
        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void parallelEmbeddingGivesTheSameStore() {
        List<Document> docs = corpus(8, 6);
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor.builder().embedder(new WordHashEmbedder()).store(store).splitter(SPLITTER).batchSize(3)
                .concurrency(3).build().ingest(docs);
        assertThat(contents(store)).isEqualTo(expected(docs));
    }

    @Test
    void rejectsDuplicateIdsAndMisfitParts() {
        Ingestor ingestor = ingestor(new WordHashEmbedder(), MemoryVectorStore.builder().dimension(64).build(), 8);
        assertThatThrownBy(() -> ingestor.ingest(List.of(new Document("x", "one"), new Document("x", "two"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("document id 'x' appears twice in one ingestion");
        assertThatThrownBy(() -> Ingestor.builder().embedder(new WordHashEmbedder(32))
                .store(MemoryVectorStore.builder().dimension(64).build()).batchSize(0).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("makes vectors of dimension 32 but store 'memory' holds dimension 64")
                .hasMessageContaining("batchSize was 0");
    }
}
