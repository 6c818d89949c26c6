package dev.ragkit.core.store;

import static dev.ragkit.core.store.MemoryVectorStoreTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.TextAnalyzer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class Bm25SidecarStoreTest {

    /** A dense-only store (like FAISS): the memory store minus keyword search, counting scans. */
    static final class DenseOnlyStore extends ForwardingVectorStore {
        final Set<StoreCapability> capabilities;
        int scans;

        DenseOnlyStore(boolean scannable) {
            this(scannable, false);
        }

        DenseOnlyStore(boolean scannable, boolean readVectors) {
            super(MemoryVectorStore.builder().dimension(2).build());
            EnumSet<StoreCapability> caps = EnumSet.of(StoreCapability.FILTER, StoreCapability.DELETE);
            if (scannable) {
                caps.add(StoreCapability.SCAN);
            }
            if (readVectors) {
                caps.add(StoreCapability.READ_VECTORS);
            }
            capabilities = Set.copyOf(caps);
        }

        @Override
        public String name() {
            return "dense-only";
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return capabilities;
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            if (!request.isDense()) {
                throw new UnsupportedCapabilityException(name(), StoreCapability.KEYWORD_SEARCH);
            }
            return super.search(request);
        }

        @Override
        public ScanPage scan(Filter filter, String cursor, int limit) {
            if (!capabilities.contains(StoreCapability.SCAN)) {
                throw new UnsupportedCapabilityException(name(), StoreCapability.SCAN);
            }
            scans++;
            return super.scan(filter, cursor, limit);
        }

        @Override
        public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
            if (!capabilities.contains(StoreCapability.READ_VECTORS)) {
                throw new UnsupportedCapabilityException(name(), StoreCapability.READ_VECTORS);
            }
            return super.getEmbedded(ids);
        }

    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    private static List<EmbeddedChunk> corpus() {
        return List.of(
                chunk("a", 0, "Les élèves lisent le guide de Ragkit.", Map.of("lang", "fr"), 1, 0),
                chunk("b", 0, "Students read the Ragkit guide about retrieval.", Map.of("lang", "en"), 0, 1),
                chunk("c", 0, "Hybrid retrieval fuses dense and keyword rankings.", Map.of("lang", "en"), 1, 1));
    }

    @Test
    void aStoreWithKeywordSearchIsReturnedAsIs() {
        MemoryVectorStore memory = MemoryVectorStore.builder().dimension(2).build();
        assertThat(Bm25SidecarStore.wrapIfNeeded(memory, TextAnalyzer.frenchEnglish())).isSameAs(memory);
        memory.close();
    }

    @Test
    void aStoreThatCanNeitherSearchTextNorScanIsRejected() {
        DenseOnlyStore store = new DenseOnlyStore(false);
        assertThatThrownBy(() -> Bm25SidecarStore.wrapIfNeeded(store, TextAnalyzer.frenchEnglish()))
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("'dense-only'")
                .hasMessageContaining("dense");
        store.close();
    }

    @Test
    void readVectorsIsDeclaredAndPassedThroughExactlyWhenTheStoreHasIt() {
        VectorStore reading = Bm25SidecarStore.wrapIfNeeded(new DenseOnlyStore(true, true), TextAnalyzer.frenchEnglish());
        assertThat(reading.capabilities()).contains(StoreCapability.READ_VECTORS, StoreCapability.KEYWORD_SEARCH);
        reading.upsert(corpus());
        List<EmbeddedChunk> got = reading.getEmbedded(List.of("c#0", "unknown#0", "a#0"));
        assertThat(got).extracting(EmbeddedChunk::id).containsExactly("c#0", "a#0");
        assertThat(got.get(0).chunk()).isEqualTo(corpus().get(2).chunk());
        assertThat(got.get(1).vector()).containsExactly(1f, 0f);
        reading.close();

        VectorStore notReading = Bm25SidecarStore.wrapIfNeeded(new DenseOnlyStore(true), TextAnalyzer.frenchEnglish());
        assertThat(notReading.capabilities()).doesNotContain(StoreCapability.READ_VECTORS);
        notReading.upsert(corpus());
        assertThatThrownBy(() -> notReading.getEmbedded(List.of("a#0"))).isInstanceOf(UnsupportedCapabilityException.class);
        notReading.close();
    }

    @Test
    void addsKeywordSearchAndDelegatesTheRest() {
        DenseOnlyStore dense = new DenseOnlyStore(true);
        VectorStore store = Bm25SidecarStore.wrapIfNeeded(dense, TextAnalyzer.frenchEnglish());
        assertThat(store).isInstanceOf(Bm25SidecarStore.class);
        assertThat(store.capabilities()).containsExactlyInAnyOrder(StoreCapability.FILTER, StoreCapability.DELETE,
                StoreCapability.SCAN, StoreCapability.KEYWORD_SEARCH);
        assertThat(store.name()).isEqualTo("dense-only");
        assertThat(store.dimension()).isEqualTo(2);
        store.upsert(corpus());
        assertThat(store.count()).isEqualTo(3);
        assertThat(ids(store.search(SearchRequest.dense(new float[] {1, 0}, 1)))).containsExactly("a#0");
        assertThat(ids(store.search(SearchRequest.keyword("ELEVE", 5)))).containsExactly("a#0");
        assertThat(ids(store.search(SearchRequest.keyword("retrieval", 5)))).containsExactlyInAnyOrder("b#0", "c#0");
        assertThat(store.get(List.of("c#0"))).extracting(Chunk::id).containsExactly("c#0");
        assertThat(store.scan(null, null, 10).chunks()).hasSize(3);
        store.close();
    }

    @Test
    void keywordResultsEqualTheMemoryStores() {
        DenseOnlyStore dense = new DenseOnlyStore(true);
        VectorStore sidecar = Bm25SidecarStore.wrapIfNeeded(dense, TextAnalyzer.auto()); // the memory store's default
        MemoryVectorStore memory = MemoryVectorStore.builder().dimension(2).build();
        sidecar.upsert(corpus());
        memory.upsert(corpus());
        for (String query : List.of("guide", "retrieval guide", "élèves Ragkit", "keyword rankings dense")) {
            for (SearchRequest r : List.of(SearchRequest.keyword(query, 10), SearchRequest.keyword(query, 1),
                    SearchRequest.keyword(query, 10).withFilter(Filter.eq("lang", "en")),
                    SearchRequest.keyword(query, 10).withMinScore(0.3))) {
                assertThat(sidecar.search(r)).as("%s", r).isEqualTo(memory.search(r));
            }
        }
        sidecar.close();
        memory.close();
    }

    @Test
    void rebuildsItsIndexFromAScanOfExistingContents() {
        DenseOnlyStore dense = new DenseOnlyStore(true);
        List<EmbeddedChunk> many = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            many.add(chunk("doc" + i, 0, "texte numéro " + i + (i == 2_000 ? " licorne" : ""), Map.of("n", i), 1, i));
        }
        dense.upsert(many);
        VectorStore store = Bm25SidecarStore.wrapIfNeeded(dense, TextAnalyzer.frenchEnglish());
        assertThat(dense.scans).as("pages of 1,000").isEqualTo(3);
        assertThat(ids(store.search(SearchRequest.keyword("licornes", 5)))).containsExactly("doc2000#0");
        // The number itself first; numbers sharing character 4-grams with it (subwords) may follow.
        assertThat(ids(store.search(SearchRequest.keyword("1234", 5)))).startsWith("doc1234#0");
        assertThat(ids(store.search(SearchRequest.keyword("texte", 3).withFilter(Filter.lt("n", 2))))).hasSize(2);
        store.close();
    }

    @Test
    void staysInStepWithUpsertsAndDeletes() {
        DenseOnlyStore dense = new DenseOnlyStore(true);
        VectorStore store = Bm25SidecarStore.wrapIfNeeded(dense, TextAnalyzer.frenchEnglish());
        store.upsert(corpus());
        store.delete(List.of("a#0", "unknown#0"));
        assertThat(store.search(SearchRequest.keyword("élèves", 5))).isEmpty();
        assertThat(dense.count()).isEqualTo(2);

        store.upsert(List.of(chunk("b", 0, "Replaced text about unicorns.", Map.of("lang", "en"), 0, 1)));
        assertThat(store.search(SearchRequest.keyword("students", 5))).isEmpty();
        List<SearchHit> unicorns = store.search(SearchRequest.keyword("unicorn", 5));
        assertThat(ids(unicorns)).containsExactly("b#0");
        assertThat(unicorns.get(0).chunk().text()).isEqualTo("Replaced text about unicorns.");
        assertThat(unicorns.get(0).score()).isBetween(0.0, 1.0);

        // A failed upsert in the delegate leaves the sidecar index untouched.
        List<EmbeddedChunk> bad = List.of(chunk("z", 0, "zebra", Map.of(), 1, 0), chunk("y", 0, "yak", Map.of(), 1, 0, 0));
        assertThatThrownBy(() -> store.upsert(bad)).isInstanceOf(InvalidInputException.class);
        assertThat(store.search(SearchRequest.keyword("zebra", 5))).isEmpty();
        store.close();
    }

    /**
     * A filtered keyword search and an upsert racing through the sidecar. The interleaving is forced
     * with latches (the analyzer pauses the writer while it analyses its text), so the outcome is
     * deterministic: either both finish, or the reader waits for something the writer holds while
     * the writer waits for the index's write lock, which the reader holds — a deadlock.
     */
    @Test
    @Timeout(120)   // only a guard against an unforeseen hang; the assertions below do not depend on time
    void aFilteredKeywordSearchAndAConcurrentUpsertBothFinish() throws InterruptedException {
        CountDownLatch writerAnalysing = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        TextAnalyzer analyzer = TextAnalyzer.of(Set.of(), token -> {
            if (token.equals("trigger")) {
                writerAnalysing.countDown();
                try {
                    releaseWriter.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return token;
        });
        DenseOnlyStore dense = new DenseOnlyStore(true);
        VectorStore store = Bm25SidecarStore.wrapIfNeeded(dense, analyzer);
        store.upsert(List.of(chunk("a", 0, "apple pie", Map.of("lang", "en"), 1, 0)));

        List<SearchHit> found = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> store.upsert(List.of(chunk("b", 0, "trigger word", Map.of(), 0, 1))), "sidecar-writer");
        Thread reader = new Thread(() -> found.addAll(store.search(
                SearchRequest.keyword("apple", 5).withFilter(Filter.eq("lang", "en")))), "sidecar-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
        writer.start();
        writerAnalysing.await();
        reader.start();
        waitUntil(() -> reader.getState() == Thread.State.TERMINATED || reader.getState() == Thread.State.BLOCKED
                || reader.getState() == Thread.State.WAITING);
        releaseWriter.countDown();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean[] deadlocked = {false};
        waitUntil(() -> {
            if (writer.getState() == Thread.State.TERMINATED && reader.getState() == Thread.State.TERMINATED) {
                return true;
            }
            ThreadInfo r = threads.getThreadInfo(reader.getId());
            ThreadInfo w = threads.getThreadInfo(writer.getId());
            if (r != null && w != null && r.getThreadState() == Thread.State.BLOCKED && r.getLockOwnerId() == writer.getId()
                    && w.getThreadState() == Thread.State.WAITING && String.valueOf(w.getLockName()).contains("ReentrantReadWriteLock")) {
                deadlocked[0] = true;
                return true;
            }
            return false;
        });
        assertThat(deadlocked[0])
                .as("reader blocked on the sidecar's monitor (held by the writer) while holding the BM25 read lock; "
                        + "writer waiting for the BM25 write lock")
                .isFalse();
        assertThat(ids(found)).containsExactly("a#0");
        assertThat(ids(store.search(SearchRequest.keyword("trigger", 5)))).containsExactly("b#0");
        store.close();
    }

    /** Polls a condition that the test's own latches make certain to become true. */
    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(1);
        }
    }
}
