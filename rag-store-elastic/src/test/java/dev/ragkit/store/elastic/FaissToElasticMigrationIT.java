package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.migrate.CutoverReadiness;
import dev.ragkit.core.migrate.MigrationPhase;
import dev.ragkit.core.migrate.StoreMigration;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import dev.ragkit.store.faiss.FaissVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's migration test with Elasticsearch as the target: from the FAISS store (Flat: exact search) to the
 * elastic store on a real node, with writers upserting and deleting through the migration's store and queries
 * running during the backfill. The target ends with the same ids, vectors and metadata, agreement@10 over the
 * last 100 queries is 1.0, and the cutover goes through.
 *
 * <p>Agreement 1.0 needs the exact top 10 from the server's approximate kNN: with {@code num_candidates} 1000 over
 * 3000 chunks the HNSW search visits enough of the graph to be exact here, and the float vectors rescore the
 * quantised candidates, so ranks equal FAISS Flat's.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class FaissToElasticMigrationIT {
    private static final long SEED = Long.getLong("ragkit.test.seed", 1_819L);
    private static final String INDEX = "migration-it";
    private static final int DIMENSION = 32;
    private static final int CHUNKS = 3_000;
    private static final int WINDOW = 100;

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void deleteIndex() {
        TestCluster.deleteIndices(INDEX);
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static EmbeddedChunk chunk(Random random, int doc, int version) {
        return new EmbeddedChunk(Chunk.of("doc-" + doc, 0, "text of doc " + doc + " v" + version,
                Map.of("version", version, "group", "g" + doc % 7, "score", doc / 3.0)), vector(random));
    }

    @Test
    void aMigrationWithConcurrentWritesEndsIdenticalWithFullAgreement() throws Exception {
        String seed = " (seed " + SEED + ", rerun with -Dragkit.test.seed=" + SEED + ")";
        Random random = new Random(SEED);
        IndexInfo info = new IndexInfo("onnx:all-minilm-l6-v2-q", DIMENSION, "recursive(max-chars=1000, overlap-chars=150)");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService shadow = Executors.newSingleThreadExecutor(); // FIFO: the last queries fill the window
        try (FaissVectorStore source = FaissVectorStore.builder().dimension(DIMENSION).index("Flat")
                .directory(dir.resolve("faiss")).build();
             VectorStore target = ElasticVectorStore.builder().connection(TestCluster.connection()).index(INDEX)
                     .dimension(DIMENSION).options(IndexOptions.defaults().withNumCandidates(1_000)).build()) {
            source.recordIndexInfo(info);
            List<EmbeddedChunk> initial = new ArrayList<>();
            for (int i = 0; i < CHUNKS; i++) {
                initial.add(chunk(random, i, 0));
            }
            source.upsert(initial);

            try (StoreMigration migration = StoreMigration.builder(source, target).stateDirectory(dir.resolve("state"))
                    .batchSize(200).agreementWindow(WINDOW).agreementThreshold(1.0).shadowExecutor(shadow)
                    .meterRegistry(registry).open()) {
                VectorStore store = migration.store();
                AtomicBoolean backfilling = new AtomicBoolean(true);
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<Integer>> work = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    long writerSeed = SEED * 17 + w;
                    work.add(clients.submit(() -> {
                        Random r = new Random(writerSeed);
                        go.await();
                        int writes = 0;
                        while (backfilling.get() || writes < 100) {
                            int doc = r.nextInt(CHUNKS + 300); // rewrites, deletes and new documents
                            if (r.nextInt(5) == 0) {
                                store.delete(List.of(Chunk.idOf("doc-" + doc, 0)));
                            } else {
                                store.upsert(List.of(chunk(r, doc, 1 + r.nextInt(100))));
                            }
                            writes++;
                        }
                        return writes;
                    }));
                }
                work.add(clients.submit(() -> {
                    Random r = new Random(SEED * 19);
                    go.await();
                    int queries = 0;
                    while (backfilling.get()) {
                        assertThat(store.search(SearchRequest.dense(vector(r), 10))).hasSize(10);
                        queries++;
                        // A steady query load: each query is also run on the server, off the caller's path, by
                        // the one shadow thread, which must keep up for the window to hold the last queries.
                        Thread.sleep(20);
                    }
                    return queries;
                }));
                go.countDown();
                migration.backfill();
                backfilling.set(false);
                int writes = 0;
                for (int i = 0; i < 3; i++) {
                    writes += work.get(i).get(300, TimeUnit.SECONDS);
                }
                int queriesDuringBackfill = work.get(3).get(300, TimeUnit.SECONDS);
                clients.shutdown();
                assertThat(writes).as("writes went on during the backfill" + seed).isGreaterThanOrEqualTo(300);
                assertThat(queriesDuringBackfill).as("queries went on during the backfill" + seed).isPositive();

                assertThat(migration.status().pendingRepairs()).isZero();
                assertSameContents(source, target, seed);
                assertThat(target.indexInfo()).contains(info);

                // The same embedder on both sides: every top-10 agrees.
                for (int i = 0; i < WINDOW; i++) {
                    store.search(SearchRequest.dense(vector(random), 10));
                }
                shadow.shutdown();
                assertThat(shadow.awaitTermination(300, TimeUnit.SECONDS)).as("the shadow searches finished").isTrue();
                CutoverReadiness readiness = migration.readiness();
                assertThat(readiness.queries()).isEqualTo(WINDOW);
                assertThat(readiness.meanAgreement()).as("agreement@10" + seed).isEqualTo(1.0);
                assertThat(readiness.minAgreement()).as("agreement@10" + seed).isEqualTo(1.0);
                assertThat(readiness.ready()).as(readiness.reasons().toString()).isTrue();
                migration.cutover();
                assertThat(migration.phase()).isEqualTo(MigrationPhase.TARGET_LIVE);
                assertThat(registry.get("rag.migration.agreement").tag("from", "faiss").tag("to", "elastic")
                        .summary().count()).isEqualTo(queriesDuringBackfill + WINDOW);
            }
        }
    }

    private static Map<String, EmbeddedChunk> contents(VectorStore store) {
        Map<String, EmbeddedChunk> all = new TreeMap<>();
        String cursor = null;
        do {
            ScanPage page = store.scan(null, cursor, 500);
            store.getEmbedded(page.chunks().stream().map(Chunk::id).toList()).forEach(c -> all.put(c.id(), c));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    private static void assertSameContents(VectorStore source, VectorStore target, String seed) {
        Map<String, EmbeddedChunk> expected = contents(source);
        Map<String, EmbeddedChunk> actual = contents(target);
        assertThat(actual.keySet()).as("ids" + seed).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, EmbeddedChunk> e : expected.entrySet()) {
            EmbeddedChunk copy = actual.get(e.getKey());
            assertThat(copy.chunk()).as("chunk and metadata of " + e.getKey() + seed).isEqualTo(e.getValue().chunk());
            float[] x = e.getValue().vector();
            float[] y = copy.vector();
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).as("vector of " + e.getKey() + "[" + i + "]" + seed).isCloseTo(x[i], Offset.offset(1e-6f));
            }
        }
    }
}
