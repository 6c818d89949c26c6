package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.CountingStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.Splitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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

    /** One paragraph of {@code sentences} short sentences: one long line, as in a minified or exported file. */
    private static String oneLine(int sentences) {
        return oneLine("Sentence", sentences);
    }

    private static String oneLine(String word, int sentences) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append(word).append(' ').append(i).append(" of the long line. ");
        }
        return text.toString();
    }

    @Test
    void aBigDocumentIsEmbeddedAndWrittenInBatchesWhileItIsSplit() {
        Document big = new Document("big", oneLine(3_000));
        int batch = 8;
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        // A splitter that checks, each time it hands over a chunk, how many chunks are still waiting
        // to be written: at most one batch, however long the document.
        List<Integer> waiting = new ArrayList<>();
        int[] handedOver = {0};
        Splitter watching = new Splitter() {
            @Override
            public List<Chunk> split(Document document) {
                return SPLITTER.split(document);
            }

            @Override
            public void split(Document document, ChunkSink sink) {
                SPLITTER.split(document, (chunk, textRead) -> {
                    waiting.add(handedOver[0] - (int) store.count());
                    handedOver[0]++;
                    sink.accept(chunk, textRead);
                });
            }
        };
        IngestionReport report = Ingestor.builder().embedder(new WordHashEmbedder()).store(store).splitter(watching)
                .batchSize(batch).build().ingest(List.of(big));
        int chunks = SPLITTER.split(big).size();
        assertThat(chunks).isGreaterThan(100);
        assertThat(report.chunksEmbedded()).isEqualTo(chunks);
        assertThat(waiting).hasSize(chunks);
        assertThat(waiting.stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThan(batch);
        assertThat(contents(store)).isEqualTo(expected(List.of(big)));
    }

    @Test
    void progressAdvancesWithinABigDocument() {
        Document big = new Document("big", oneLine(2_000));
        List<IngestionProgress> seen = new ArrayList<>();
        ingestor(new WordHashEmbedder(), MemoryVectorStore.builder().dimension(64).build(), 16)
                .ingest(List.of(big), seen::add);
        List<IngestionProgress> within = seen.stream().filter(p -> p.documentsDone() == 0).toList();
        assertThat(within).as("reports before the only document is done").hasSizeGreaterThan(10);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).charactersRead()).isGreaterThanOrEqualTo(seen.get(i - 1).charactersRead());
            assertThat(seen.get(i).chunksEmbedded()).isGreaterThanOrEqualTo(seen.get(i - 1).chunksEmbedded());
        }
        assertThat(within).allSatisfy(p -> assertThat(p.fraction()).isLessThan(1.0));
        assertThat(within.get(within.size() / 2).fraction()).isBetween(0.2, 0.8);
        IngestionProgress last = seen.get(seen.size() - 1);
        assertThat(last.documentsDone()).isEqualTo(1);
        assertThat(last.charactersRead()).isEqualTo(big.text().length()).isEqualTo(last.charactersTotal());
        assertThat(last.fraction()).isEqualTo(1.0);
    }

    @Test
    void aShrunkBigDocumentLosesItsVanishedChunksOnlyOnceAllItsNewChunksAreWritten() {
        Document before = new Document("big", oneLine(1_000));
        Document after = new Document("big", oneLine("Phrase", 400));
        MemoryVectorStore memory = MemoryVectorStore.builder().dimension(64).build();
        ingestor(new WordHashEmbedder(), memory, 8).ingest(List.of(before));
        int oldChunks = (int) memory.count();
        int newChunks = SPLITTER.split(after).size();
        assertThat(newChunks).isBetween(20, oldChunks - 20);

        // Every write and delete, in order; the embedder fails on its fourth call, mid-document.
        List<String> events = new ArrayList<>();
        VectorStore recording = new ForwardingVectorStore(memory) {
            @Override
            public void upsert(List<EmbeddedChunk> chunks) {
                super.upsert(chunks);
                events.add("upsert");
            }

            @Override
            public void delete(Collection<String> ids) {
                super.delete(ids);
                events.add("delete " + ids.size());
            }
        };
        assertThatThrownBy(() -> ingestor(new WordHashEmbedder().failAfter(3), recording, 8).ingest(List.of(after)))
                .isInstanceOf(RagBackendException.class);
        assertThat(events).containsExactly("upsert", "upsert", "upsert");
        assertThat(memory.count()).as("nothing deleted before the document's new chunks are all written")
                .isEqualTo(oldChunks);

        events.clear();
        IngestionReport rerun = ingestor(new WordHashEmbedder(), recording, 8).ingest(List.of(after));
        assertThat(events.get(events.size() - 1)).isEqualTo("delete " + (oldChunks - newChunks));
        assertThat(events.subList(0, events.size() - 1)).containsOnly("upsert");
        assertThat(rerun.chunksDeleted()).isEqualTo(oldChunks - newChunks);
        assertThat(contents(memory)).isEqualTo(expected(List.of(after)));
    }

    @Test
    void aDocumentOverTheMaximumSizeIsSkippedNamedAndLeftAlone() {
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Document small = new Document("small", "A short document.");
        Document stored = new Document("grows", "It was short when it was first ingested.");
        Ingestor ingestor = Ingestor.builder().embedder(new WordHashEmbedder()).store(store).splitter(SPLITTER)
                .maxDocumentChars(100).build();
        assertThat(ingestor.maxDocumentChars()).isEqualTo(100);
        ingestor.ingest(List.of(stored));

        Document grown = new Document("grows", "x".repeat(101));
        List<IngestionProgress> seen = new ArrayList<>();
        IngestionReport report = ingestor.ingest(List.of(small, grown), seen::add);
        assertThat(report.skipped()).containsExactly(new SkippedDocument("grows",
                "101 characters, more than rag.ingest.max-document-chars (100); raise it to ingest this document"));
        assertThat(report.skipped().get(0)).hasToString("'grows': 101 characters, more than "
                + "rag.ingest.max-document-chars (100); raise it to ingest this document");
        assertThat(report.documents()).isEqualTo(2);
        assertThat(report.chunksEmbedded()).isEqualTo(1);
        assertThat(report.summary()).endsWith(" documents_skipped=1");
        assertThat(contents(store)).containsEntry("grows#0", stored.text()).containsEntry("small#0", small.text())
                .hasSize(2);
        assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
        assertThat(Ingestor.builder().embedder(new WordHashEmbedder()).store(store).build().maxDocumentChars())
                .isEqualTo(20_000_000);
        assertThatThrownBy(() -> Ingestor.builder().embedder(new WordHashEmbedder()).store(store).maxDocumentChars(0)
                .build())
                .hasMessageContaining("maxDocumentChars was 0 but it must be >= 1");
    }

    @Test
    void controlCharactersNeverReachAChunk() {
        String text = "Null\u0000byte, bell\u0007, \u001b[1mbold\u001b[0m, delete\u007f, C1\u009b and "
                + "page\fbreak, next\u0085line.\r\n\tTabbed.";
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        ingestor(new WordHashEmbedder(), store, 8).ingest(List.of(new Document("ctl", text)));
        assertThat(contents(store)).containsExactly(Map.entry("ctl#0",
                "Nullbyte, bell, [1mbold[0m, delete, C1 and page break, next line. Tabbed."));
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
