package dev.ragkit.store.redisearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Faults on a real server: a crash during ingestion, alias switches under load, a Redis without the module. */
class RediSearchFaultIT {
    private static final int DIMENSION = 16;

    private static List<EmbeddedChunk> corpus(String prefix, int documents, int perDocument, long version) {
        Random random = new Random(42 + version);
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            for (int i = 0; i < perDocument; i++) {
                float[] v = new float[DIMENSION];
                for (int j = 0; j < DIMENSION; j++) {
                    v[j] = (float) random.nextGaussian();
                }
                out.add(new EmbeddedChunk(Chunk.of(prefix + d, i, "chunk " + i + " of " + prefix + d,
                        Map.of("version", version)), v));
            }
        }
        return out;
    }

    private static void ingest(VectorStore store, List<EmbeddedChunk> corpus, int batch) {
        for (int i = 0; i < corpus.size(); i += batch) {
            store.upsert(corpus.subList(i, Math.min(corpus.size(), i + batch)));
        }
    }

    @Test
    void killedDuringAPipelinedIngestAndRestartedWithAofTheRerunEndsWithExactlyTheExpectedCount() throws Exception {
        assumeTrue(RediSearchServer.canStartPrivate(), "REDISEARCH_URL is set: this test needs a server it may kill");
        RediSearchServer server = RediSearchServer.start(true, true);
        try {
            List<EmbeddedChunk> corpus = corpus("doc-", 400, 10, 1);
            RediSearchVectorStore.Builder settings = RediSearchVectorStore.builder().url(server.url()).index("crash")
                    .dimension(DIMENSION).fields(List.of("version")).retries(1).retryBackoff(Duration.ofMillis(50))
                    .connectTimeout(Duration.ofMillis(500)).socketTimeout(Duration.ofSeconds(2));
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try (RediSearchVectorStore store = settings.copy().build()) {
                Future<?> ingestion = writer.submit(() -> ingest(store, corpus, 50));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (store.count() < 500 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(store.count()).as("chunks written before the kill").isGreaterThanOrEqualTo(500);
                server.kill();
                try {
                    ingestion.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).as("the ingestion's error once the server is gone")
                            .isInstanceOf(RagBackendException.class).hasMessageContaining("connection");
                }
            } finally {
                writer.shutdownNow();
            }
            server.launch(); // same port, same folder: the append-only file is replayed
            try (RediSearchVectorStore store = settings.copy().build()) {
                long survived = store.count();
                assertThat(survived).as("chunks replayed from the append-only file").isBetween(1L, (long) corpus.size());
                assertThat(survived % 50).as("whole batches only (each is one MULTI/EXEC)").isZero();
                ingest(store, corpus, 50);
                assertThat(store.count()).as("count after the rerun").isEqualTo(corpus.size());
                assertThat(store.get(corpus.stream().map(EmbeddedChunk::id).toList())).as("every chunk after the rerun")
                        .containsExactlyElementsOf(corpus.stream().map(EmbeddedChunk::chunk).toList());
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void anAliasSwitchWhileQueriesRunAnswersEveryQueryFromOneCompleteVersion() throws Exception {
        String name = "switch-" + Long.toHexString(System.nanoTime());
        RediSearchVectorStore.Builder settings = RediSearchVectorStore.builder().url(RediSearchServer.shared().url())
                .fields(List.of("version"));
        try (RediSearchVersionedIndex index = RediSearchVersionedIndex.open(name, settings, Duration.ofMillis(50),
                Duration.ofSeconds(30))) {
            int[] sizes = new int[3];
            for (int n = 1; n <= 2; n++) {
                int v = index.create(new IndexInfo("test:random", DIMENSION, "")).number();
                List<EmbeddedChunk> chunks = corpus("v" + v + "-", 30 + 10 * v, 3, v);
                sizes[v] = chunks.size();
                try (VectorStore store = index.open(v)) {
                    ingest(store, chunks, 64);
                }
                index.markReady(v, "fp" + v, 30 + 10 * v, chunks.size());
            }
            index.promote(1);
            // A plain store on the alias (create left on: it must see the alias, not create an index hiding it):
            // every query goes through FT.SEARCH idx:<name>, resolved by the server.
            try (RediSearchVectorStore viaAlias = settings.copy().index(index.alias()).dimension(DIMENSION).build()) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong queries = new AtomicLong();
                ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
                Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
                Thread reader = new Thread(() -> {
                    Random random = new Random(1);
                    while (!stop.get()) {
                        float[] q = new float[DIMENSION];
                        for (int j = 0; j < DIMENSION; j++) {
                            q[j] = (float) random.nextGaussian();
                        }
                        try {
                            List<SearchHit> hits = viaAlias.search(SearchRequest.dense(q, 1000));
                            Set<Object> versions = hits.stream().map(h -> h.chunk().metadata().get("version"))
                                    .collect(Collectors.toSet());
                            if (versions.size() != 1) {
                                problems.add("query " + queries.get() + " mixed versions " + versions);
                            } else {
                                long v = (Long) versions.iterator().next();
                                seen.add(v);
                                if (hits.size() != sizes[(int) v]) {
                                    problems.add("query " + queries.get() + " saw " + hits.size() + " of v" + v + "'s "
                                            + sizes[(int) v] + " chunks");
                                }
                            }
                        } catch (RuntimeException e) {
                            problems.add("query " + queries.get() + " failed: " + e);
                        }
                        queries.incrementAndGet();
                    }
                }, "alias-reader");
                reader.start();
                try {
                    for (int step = 0; step < 60 && problems.isEmpty(); step++) {
                        index.promote(step % 2 == 0 ? 2 : 1);
                        Thread.sleep(10);
                    }
                } finally {
                    stop.set(true);
                    reader.join(TimeUnit.SECONDS.toMillis(60));
                }
                assertThat(problems).as("problems seen by %d queries during 60 alias switches", queries.get()).isEmpty();
                assertThat(queries.get()).as("queries during the switches").isGreaterThan(10);
                assertThat(seen).as("versions answered").containsExactlyInAnyOrder(1L, 2L);
                assertThat(viaAlias.get(List.of("v1-0#0", "v2-0#0"))).as("get through the alias reads the live version")
                        .extracting(Chunk::id).containsExactly(index.live().getAsInt() == 1 ? "v1-0#0" : "v2-0#0");
            }
        }
    }

    @Test
    void aRedisWithoutTheQueryEngineIsNamedAsSuch() {
        assumeTrue(RediSearchServer.canStartPrivate(), "REDISEARCH_URL is set: this test starts a plain Redis of its own");
        RediSearchServer plain = RediSearchServer.start(false, false);
        try {
            assertThatThrownBy(() -> RediSearchVectorStore.builder().url(plain.url()).index("none").dimension(4).build())
                    .isInstanceOf(RagBackendException.class)
                    .hasMessageContaining("FT.CREATE unknown command: this Redis has no query engine; use Redis Stack or"
                            + " Redis 8 with modules");
        } finally {
            plain.stop();
        }
    }

    @Test
    void anUnreachableServerFailsAfterTheConfiguredRetries() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> RediSearchVectorStore.builder().url("redis://127.0.0.1:1").index("none").dimension(4)
                .retries(2).retryBackoff(Duration.ofMillis(100)).connectTimeout(Duration.ofMillis(200)).build())
                .isInstanceOf(RagBackendException.class)
                .hasMessageContaining("redis://127.0.0.1:1").hasMessageContaining("3 attempt(s)")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time spent in backoff (100 ms then 200 ms)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
