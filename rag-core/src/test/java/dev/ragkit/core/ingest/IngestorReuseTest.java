package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.ScanPage;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reuse of stored embeddings by chunk content rather than by position. */
class IngestorReuseTest {
    /** One paragraph per chunk: paragraphs of about 150 characters never fit two in 200. */
    private static final RecursiveSplitter SPLITTER = RecursiveSplitter.of(200, 0);
    private static final String[] WORDS = {"vector", "index", "recherche", "document", "chunk", "embedding",
        "requête", "store", "filtre", "score", "answer", "réponse", "ingestion", "batch", "hybrid", "fusion",
        "alias", "version", "rollback", "promote"};

    private static String paragraph(Random random, String tag) {
        StringBuilder p = new StringBuilder("Paragraph ").append(tag).append(':');
        while (p.length() < 140) {
            p.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return p.append('.').toString();
    }

    private static List<String> paragraphs(int count, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(paragraph(random, seed + "-" + i));
        }
        return out;
    }

    private static Document document(String id, List<String> paragraphs) {
        return new Document(id, String.join("\n\n", paragraphs), Map.of("title", id));
    }

    private static Ingestor.Builder ingestor(WordHashEmbedder embedder, VectorStore store, int batchSize) {
        return Ingestor.builder().embedder(embedder).store(store).splitter(SPLITTER).batchSize(batchSize);
    }

    private static MemoryVectorStore memory() {
        return MemoryVectorStore.builder().dimension(64).build();
    }

    /** A store that hides its READ_VECTORS capability, like a store that cannot read vectors back. */
    private static VectorStore withoutReadVectors(VectorStore delegate) {
        return new ForwardingVectorStore(delegate) {
            @Override
            public Set<StoreCapability> capabilities() {
                EnumSet<StoreCapability> caps = EnumSet.copyOf(super.capabilities());
                caps.remove(StoreCapability.READ_VECTORS);
                return caps;
            }
        };
    }

    /** Every stored chunk with its vector, by id. */
    private static Map<String, EmbeddedChunk> contents(VectorStore store) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            ScanPage page = store.scan(null, cursor, 100);
            page.chunks().forEach(c -> ids.add(c.id()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        Map<String, EmbeddedChunk> all = new TreeMap<>();
        store.getEmbedded(ids).forEach(e -> all.put(e.chunk().id(), e));
        return all;
    }

    /**
     * The store holds exactly the splitter's chunks of {@code docs}, each with the vector the embedder
     * makes of its own text: a reused vector is never another text's.
     */
    private static void assertHoldsExactly(VectorStore store, List<Document> docs, String seed) {
        WordHashEmbedder reference = new WordHashEmbedder();
        Map<String, EmbeddedChunk> stored = contents(store);
        Map<String, String> expected = new TreeMap<>();
        for (Document d : docs) {
            for (Chunk c : SPLITTER.split(d)) {
                expected.put(c.id(), c.text());
            }
        }
        Map<String, String> actual = new TreeMap<>();
        stored.forEach((id, e) -> actual.put(id, e.chunk().text()));
        assertThat(actual).as("chunks, seed %s", seed).isEqualTo(expected);
        for (EmbeddedChunk e : stored.values()) {
            float[] want = reference.embedQuery(e.chunk().text());
            assertThat(e.vector()).as("vector of %s, seed %s", e.chunk().id(), seed)
                    .containsExactly(want, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void aParagraphInsertedAtTheStartEmbedsOnlyTheNewChunk() {
        List<String> paragraphs = new ArrayList<>(paragraphs(20, 1));
        Document before = document("guide", paragraphs);
        assertThat(SPLITTER.split(before)).hasSize(20);
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = memory();
        // A small batch, so that the shifted chunks overwrite positions whose old vectors later chunks reuse.
        ingestor(embedder, store, 3).build().ingest(List.of(before));
        assertThat(embedder.textsEmbedded()).isEqualTo(20);

        paragraphs.add(0, paragraph(new Random(99), "inserted"));
        Document after = document("guide", paragraphs);
        List<IngestionProgress> progress = new ArrayList<>();
        IngestionReport report = ingestor(embedder, store, 3).build().ingest(List.of(after), progress::add);

        assertThat(embedder.textsEmbedded() - 20).as("texts embedded by the second ingestion").isEqualTo(1);
        assertThat(report.chunksEmbedded()).isEqualTo(1);
        assertThat(report.chunksReused()).isEqualTo(20);
        assertThat(report.chunksWritten()).isEqualTo(21);
        assertThat(report.summary()).endsWith(" chunks_reused=20");
        assertThat(progress.get(progress.size() - 1).chunksReused()).isEqualTo(20);
        assertHoldsExactly(store, List.of(after), "fixed");
    }

    @Test
    void withOverlapOnlyTheChunksAroundTheInsertionAreEmbedded() {
        RecursiveSplitter overlapping = RecursiveSplitter.of(200, 40);
        List<String> paragraphs = new ArrayList<>(paragraphs(40, 2));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = memory();
        Ingestor ingestor = Ingestor.builder().embedder(embedder).store(store).splitter(overlapping).batchSize(4)
                .build();
        int chunks = ingestor.ingest(List.of(document("guide", paragraphs))).chunksEmbedded();
        assertThat(chunks).isGreaterThanOrEqualTo(15);

        paragraphs.add(20, paragraph(new Random(7), "inserted in the middle"));
        IngestionReport report = ingestor.ingest(List.of(document("guide", paragraphs)));
        // The chunks before the insertion are unchanged, those after it moved: only one or two chunks
        // around it have new text, where the old positional ids re-embedded every chunk after it.
        assertThat(report.chunksEmbedded()).isBetween(1, 3);
        assertThat(report.chunksReused()).isGreaterThan(chunks / 3);
        assertThat(report.chunksUnchanged()).isGreaterThan(chunks / 3);
    }

    @Test
    void aStoreThatCannotReadVectorsBackReembedsAsBefore() {
        List<String> paragraphs = new ArrayList<>(paragraphs(20, 3));
        WordHashEmbedder embedder = new WordHashEmbedder();
        VectorStore store = withoutReadVectors(memory());
        ingestor(embedder, store, 8).build().ingest(List.of(document("guide", paragraphs)));

        paragraphs.add(0, paragraph(new Random(5), "inserted"));
        IngestionReport report = ingestor(embedder, store, 8).build().ingest(List.of(document("guide", paragraphs)));
        // Every position changed its text, so every chunk is embedded again.
        assertThat(report.chunksEmbedded()).isEqualTo(21);
        assertThat(report.chunksReused()).isZero();
        assertThat(embedder.textsEmbedded()).isEqualTo(41);
        assertThat(report.summary()).doesNotContain("chunks_reused");
    }

    @Test
    void aMetadataChangeRewritesChunksWithTheirStoredVectors() {
        List<String> paragraphs = paragraphs(6, 4);
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = memory();
        ingestor(embedder, store, 8).build().ingest(List.of(document("guide", paragraphs)));

        Document retitled = new Document("guide", String.join("\n\n", paragraphs), Map.of("title", "New title"));
        IngestionReport report = ingestor(embedder, store, 8).build().ingest(List.of(retitled));
        assertThat(report.chunksReused()).isEqualTo(6);
        assertThat(report.chunksEmbedded()).isZero();
        assertThat(embedder.textsEmbedded()).isEqualTo(6);
        assertThat(store.get(List.of("guide#0")).get(0).title()).isEqualTo("New title");
    }

    @Test
    void anotherStoreBuiltWithTheSameEmbedderLendsItsVectors() {
        List<Document> docs = List.of(document("a", paragraphs(8, 10)), document("b", paragraphs(5, 11)));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore live = memory();
        ingestor(embedder, live, 8).build().ingest(docs);
        assertThat(embedder.textsEmbedded()).isEqualTo(13);

        // The next version: document b gained a paragraph in the middle, a new document c appeared.
        List<String> b = new ArrayList<>(paragraphs(5, 11));
        b.add(2, paragraph(new Random(12), "new in b"));
        List<Document> next = List.of(document("a", paragraphs(8, 10)), document("b", b),
                document("c", paragraphs(2, 13)));
        MemoryVectorStore candidate = memory();
        IngestionReport report = ingestor(embedder, candidate, 4).reuseEmbeddingsFrom(live).build().ingest(next);

        assertThat(report.chunksReused()).isEqualTo(13);
        assertThat(report.chunksEmbedded()).isEqualTo(3);
        assertThat(embedder.textsEmbedded()).isEqualTo(16);
        assertHoldsExactly(candidate, next, "fixed");
        assertThat(live.count()).as("the store reused from is only read").isEqualTo(13);
    }

    @Test
    void anotherStoreBuiltWithAnotherEmbedderIsNotReused() {
        List<Document> docs = List.of(document("a", paragraphs(8, 20)));
        MemoryVectorStore live = memory();
        ingestor(new WordHashEmbedder(64, "old-model"), live, 8).build().ingest(docs);

        WordHashEmbedder changed = new WordHashEmbedder(64, "new-model");
        MemoryVectorStore candidate = memory();
        IngestionReport report = ingestor(changed, candidate, 8).reuseEmbeddingsFrom(live).build().ingest(docs);
        assertThat(report.chunksReused()).isZero();
        assertThat(report.chunksEmbedded()).isEqualTo(8);
        assertThat(changed.textsEmbedded()).isEqualTo(8);
    }

    @Test
    void anotherStoreWithNoRecordOfItsEmbedderOrNoVectorsToReadIsNotReused() {
        List<Document> docs = List.of(document("a", paragraphs(4, 30)));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore unrecorded = memory();
        unrecorded.upsert(SPLITTER.split(docs.get(0)).stream()
                .map(c -> new EmbeddedChunk(c, embedder.embedQuery(c.text()))).toList());
        IngestionReport report = ingestor(embedder, memory(), 8).reuseEmbeddingsFrom(unrecorded).build().ingest(docs);
        assertThat(report.chunksReused()).isZero();
        assertThat(report.chunksEmbedded()).isEqualTo(4);

        MemoryVectorStore recorded = memory();
        ingestor(embedder, recorded, 8).build().ingest(docs);
        IngestionReport blind = ingestor(embedder, memory(), 8).reuseEmbeddingsFrom(withoutReadVectors(recorded))
                .build().ingest(docs);
        assertThat(blind.chunksReused()).isZero();
        assertThat(blind.chunksEmbedded()).isEqualTo(4);
    }

    @Test
    void reuseAcrossParallelEmbeddingAndSyncCountsTheSame() {
        List<String> paragraphs = new ArrayList<>(paragraphs(30, 40));
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = memory();
        Ingestor ingestor = ingestor(embedder, store, 2).concurrency(3).build();
        ingestor.sync(DocumentLoader.of("src", sink -> sink.document(document("guide", paragraphs))));
        paragraphs.add(0, paragraph(new Random(41), "inserted"));
        paragraphs.remove(15);
        SyncReport report = ingestor.sync(DocumentLoader.of("src", sink -> sink.document(document("guide",
                paragraphs))));
        // [new, p0..p13, p15..p29]: p0..p13 moved one position down, p15..p29 are back where they were.
        assertThat(report.chunksEmbedded()).isEqualTo(1);
        assertThat(report.chunksReused()).isEqualTo(14);
        assertThat(report.chunksUnchanged()).isEqualTo(15);
        assertThat(report.chunksDeleted()).isZero();
        assertThat(embedder.textsEmbedded()).isEqualTo(31);
        assertThat(report.summary()).endsWith(" chunks_reused=14");
    }

    /**
     * Random edits (inserted, removed, replaced, moved and duplicated paragraphs) with random batch
     * sizes: after each ingestion the store holds exactly the new chunks, each with its own text's
     * vector, and the embedder saw only texts that no stored chunk of the document had.
     */
    @Test
    void randomEditsAlwaysEndWithEveryChunkCarryingItsOwnVector() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String label = Long.toString(seed);
        WordHashEmbedder embedder = new WordHashEmbedder();
        MemoryVectorStore store = memory();
        List<List<String>> docs = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            docs.add(new ArrayList<>(paragraphs(5 + random.nextInt(30), random.nextLong())));
        }
        for (int round = 0; round < 12; round++) {
            for (List<String> doc : docs) {
                int edits = random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(doc.size() + 1);
                    switch (random.nextInt(5)) {
                        case 0 -> doc.add(at, paragraph(random, "r" + round + "e" + e));
                        case 1 -> {
                            if (doc.size() > 1) {
                                doc.remove(Math.min(at, doc.size() - 1));
                            }
                        }
                        case 2 -> doc.set(Math.min(at, doc.size() - 1), paragraph(random, "s" + round + "e" + e));
                        case 3 -> {
                            String moved = doc.remove(random.nextInt(doc.size()));
                            doc.add(Math.min(at, doc.size()), moved);
                        }
                        default -> doc.add(at, doc.get(random.nextInt(doc.size())));
                    }
                }
            }
            List<Document> documents = new ArrayList<>();
            int newChunks = 0;
            int newTexts = 0;
            for (int d = 0; d < docs.size(); d++) {
                Document doc = document("doc-" + d, docs.get(d));
                documents.add(doc);
                Set<String> storedTexts = new java.util.HashSet<>();
                contents(store).values().stream().filter(e -> e.chunk().documentId().equals(doc.id()))
                        .forEach(e -> storedTexts.add(e.chunk().text()));
                List<String> fresh = SPLITTER.split(doc).stream().map(Chunk::text)
                        .filter(t -> !storedTexts.contains(t)).toList();
                newChunks += fresh.size();
                newTexts += (int) fresh.stream().distinct().count();
            }
            int before = embedder.textsEmbedded();
            int batchSize = 1 + random.nextInt(6);
            IngestionReport report = ingestor(embedder, store, batchSize).build().ingest(documents);
            assertHoldsExactly(store, documents, label);
            assertThat(report.chunksEmbedded()).as("chunks embedded, seed %s", label).isEqualTo(newChunks);
            // Identical new texts in one batch are embedded once, in different batches once per batch.
            assertThat(embedder.textsEmbedded() - before).as("texts embedded, seed %s", label)
                    .isBetween(newTexts, newChunks);
        }
    }
}
