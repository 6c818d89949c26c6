package dev.ragkit.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance kit cannot check generically: adoption of a plain store, layout refusals, leases. */
class DirectoryVersionedIndexTest {
    private static final IndexInfo INFO = new IndexInfo("test:embedder", 4, "");

    @TempDir
    Path root;

    private static DirectoryVersionedIndex index(Path root) {
        return DirectoryVersionedIndex.builder(root)
                .store("memory", (dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir)
                        .build())
                .readOnlyStore((dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir)
                        .readOnly(true).build())
                .refreshInterval(Duration.ZERO)
                .build();
    }

    private static EmbeddedChunk chunk(String doc) {
        return new EmbeddedChunk(Chunk.of(doc, 0, "text of " + doc, Map.of()), new float[] {1, 0, 0, 0});
    }

    private static int build(VersionedIndex index, String doc) {
        int n = index.create(INFO).number();
        try (VectorStore store = index.open(n)) {
            store.upsert(List.of(chunk(doc)));
        }
        index.markReady(n, "fp", 1, 1);
        return n;
    }

    @Test
    void aPlainStoreIsAdoptedAsLiveV1WhenTheFirstVersionIsCreated() throws Exception {
        try (MemoryVectorStore plain = MemoryVectorStore.builder().dimension(4).directory(root).build()) {
            plain.recordIndexInfo(INFO);
            plain.upsert(List.of(chunk("old")));
        }
        assertThat(DirectoryVersionedIndex.isVersioned(root)).isFalse();
        DirectoryVersionedIndex index = index(root);
        assertThat(index.versions()).as("nothing is adopted before a version is created").isEmpty();

        IndexVersion v2 = index.create(INFO);

        assertThat(v2.number()).isEqualTo(2);
        assertThat(DirectoryVersionedIndex.isVersioned(root)).isTrue();
        assertThat(index.live()).hasValue(1);
        IndexVersion v1 = index.versions().get(0);
        assertThat(v1.state()).isEqualTo(IndexVersion.State.READY);
        assertThat(v1.builtWith()).isEqualTo(INFO);
        assertThat(v1.chunks()).isEqualTo(1);
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the root holds the catalog, its lock and the versions only")
                    .containsExactlyInAnyOrder(DirectoryVersionedIndex.CATALOG, DirectoryVersionedIndex.LOCK, "v1", "v2");
        }
        try (VectorStore live = index.openLive()) {
            assertThat(live.get(List.of("old#0"))).as("the adopted store's data, served as v1").hasSize(1);
        }
    }

    @Test
    void adoptionRefusesAPlainStoreThatIsOpenForWriting() {
        try (MemoryVectorStore plain = MemoryVectorStore.builder().dimension(4).directory(root).build()) {
            plain.upsert(List.of(chunk("old")));
            DirectoryVersionedIndex index = index(root);
            assertThatThrownBy(() -> index.create(INFO)).isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("open for writing");
            assertThat(root.resolve(StoreDirectory.MANIFEST)).as("the plain store is left in place").exists();
        }
    }

    @Test
    void anInterruptedAdoptionIsFinishedWhenTheIndexIsOpenedAgain() throws Exception {
        try (MemoryVectorStore plain = MemoryVectorStore.builder().dimension(4).directory(root).build()) {
            plain.upsert(List.of(chunk("old")));
        }
        // The state a crash leaves half-way through adoption: marker written, some files moved.
        Files.writeString(root.resolve("ragkit-index.adopting"), "adopting\n");
        Path staging = Files.createDirectories(root.resolve("v1.adopting"));
        Files.move(root.resolve(StoreDirectory.MANIFEST), staging.resolve(StoreDirectory.MANIFEST));
        assertThat(DirectoryVersionedIndex.isVersioned(root)).as("an adoption in progress counts as versioned").isTrue();

        DirectoryVersionedIndex index = index(root);

        assertThat(index.live()).hasValue(1);
        assertThat(root.resolve("ragkit-index.adopting")).doesNotExist();
        try (VectorStore live = index.openLive()) {
            assertThat(live.count()).isEqualTo(1);
        }
    }

    @Test
    void versionDirectoriesWithoutACatalogAreReportedNotIgnored() throws Exception {
        DirectoryVersionedIndex index = index(root);
        build(index, "a");
        Files.delete(root.resolve(DirectoryVersionedIndex.CATALOG));
        DirectoryVersionedIndex again = index(root);
        assertThatThrownBy(again::versions).isInstanceOf(StoreDamagedException.class)
                .hasMessageContaining(DirectoryVersionedIndex.CATALOG).hasMessageContaining("[v1]");
        assertThatThrownBy(() -> again.create(INFO)).isInstanceOf(StoreDamagedException.class);
        assertThat(root.resolve("v1")).as("nothing is deleted").isDirectory();
    }

    @Test
    void anotherStoreKindCannotOpenTheIndex() {
        build(index(root), "a");
        DirectoryVersionedIndex faissView = DirectoryVersionedIndex.builder(root)
                .store("faiss", (dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).build()).build();
        assertThatThrownBy(faissView::versions).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("'memory'").hasMessageContaining("rag.store=memory");
    }

    @Test
    void aReadyVersionWhoseDirectoryVanishedIsNeverServedEmpty() throws Exception {
        DirectoryVersionedIndex index = index(root);
        int v1 = build(index, "a");
        int v2 = build(index, "b");
        index.promote(v1);
        try (Stream<Path> files = Files.list(root.resolve("v" + v2))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        assertThatThrownBy(() -> index.promote(v2)).isInstanceOf(StoreDamagedException.class)
                .hasMessageContaining("v" + v2);
        assertThat(index.live()).hasValue(v1);
    }

    @Test
    void dropRefusesAVersionThatAStoreHasOpenForWriting() {
        DirectoryVersionedIndex index = index(root);
        int v1 = build(index, "a");
        index.promote(v1);
        int v2 = index.create(INFO).number();
        try (VectorStore writing = index.open(v2)) {
            writing.upsert(List.of(chunk("b")));
            assertThatThrownBy(() -> index.drop(v2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("open for writing");
        }
        index.drop(v2);
        assertThat(root.resolve("v" + v2)).doesNotExist();
    }

    @Test
    void anEmptyDirectoryLeftByACrashedCreateIsReusedAndAnUnknownOneIsSkipped() throws Exception {
        DirectoryVersionedIndex index = index(root);
        build(index, "a");
        Files.createDirectories(root.resolve("v2"));
        Files.createDirectories(root.resolve("v3"));
        Files.writeString(root.resolve("v3").resolve("notes.txt"), "someone's file");
        assertThat(index.create(INFO).number()).as("empty v2 reused").isEqualTo(2);
        assertThat(index.create(INFO).number()).as("v3 holds a file the catalog never named: skipped").isEqualTo(4);
        assertThat(root.resolve("v3").resolve("notes.txt")).exists();
    }

    @Test
    void theOldVersionIsClosedOnlyAfterItsLastInFlightSearch() throws Exception {
        List<VectorStore> closed = new ArrayList<>();
        CountDownLatch searching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean(true);
        DirectoryVersionedIndex index = DirectoryVersionedIndex.builder(root)
                .store("memory", (dir, dimension) -> new ForwardingVectorStore(
                        MemoryVectorStore.builder().dimension(dimension).directory(dir).build()) {
                    @Override
                    public List<SearchHit> search(SearchRequest request) {
                        if (dir.endsWith("v1") && block.get()) {
                            searching.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return super.search(request);
                    }

                    @Override
                    public void close() {
                        synchronized (closed) {
                            closed.add(this);
                        }
                        super.close();
                    }
                })
                .build();
        int v1 = build(index, "a");
        int v2 = build(index, "b");
        index.promote(v1);
        synchronized (closed) {
            closed.clear(); // the builders' stores
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (LiveVersionStore live = index.openLive()) {
            Future<List<SearchHit>> inFlight = pool.submit(() -> live.search(SearchRequest.dense(new float[] {1, 0, 0, 0}, 1)));
            assertThat(searching.await(30, TimeUnit.SECONDS)).isTrue();
            index.promote(v2);
            assertThat(live.version()).isEqualTo(v2);
            assertThat(live.search(SearchRequest.dense(new float[] {1, 0, 0, 0}, 1)).get(0).id()).isEqualTo("b#0");
            synchronized (closed) {
                assertThat(closed).as("v1 stays open while a search runs on it").isEmpty();
            }
            release.countDown();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).get(0).id()).as("the in-flight search finished on v1")
                    .isEqualTo("a#0");
            synchronized (closed) {
                assertThat(closed).as("v1 closed after its last search").hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theMemoryProviderRootsTheIndexInItsDirectoryAndNeedsOne() {
        MemoryVectorStoreProvider provider = new MemoryVectorStoreProvider();
        VersionedIndex index = provider.versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString(), "live-refresh", "250ms"))).orElseThrow();
        build(index, "a");
        assertThat(root.resolve("v1")).isDirectory();
        assertThatThrownBy(() -> provider.versioned(ProviderConfig.of("store", "memory", Map.of())))
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("rag.store.memory.directory");
        assertThatThrownBy(() -> provider.versioned(ProviderConfig.of("store", "memory",
                Map.of("directory", root.toString(), "live-refresh", "soon"))))
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("rag.store.memory.live-refresh");
    }
}
