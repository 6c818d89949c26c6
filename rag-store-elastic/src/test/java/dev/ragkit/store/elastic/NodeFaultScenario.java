package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The node-fault scenario, the same for both providers: the node is stopped in the middle of a bulk ingest;
 * the ingest fails with a clear, retriable error naming the node; after the node is back, rerunning the same
 * ingest leaves exactly the expected chunks, nothing lost and nothing twice. Needs a node the build started
 * (an external node cannot be stopped).
 */
public final class NodeFaultScenario {
    private static final int CHUNKS = 20_000;
    private static final int PER_CALL = 200;
    private static final int DIMENSION = 16;

    private NodeFaultScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param node the build's node, stopped and started again here
     * @param urlVariable the variable that points the tests at an external node ({@code ELASTIC_URL}), for the
     *     reason the scenario cannot run there
     * @param open opens the provider's store on the index under test, dimension {@value #DIMENSION}
     */
    public static void run(SearchNode node, String urlVariable, Function<ClusterConnection, VectorStore> open)
            throws Exception {
        assumeTrue(node.isManaged(), "the node at " + node.url() + " was not started by the build (" + urlVariable
                + " is set), so it cannot be stopped");
        List<EmbeddedChunk> corpus = corpus();
        ClusterConnection connection = ClusterConnection.builder().url(node.url()).retries(2, Duration.ofMillis(100))
                .connectTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(20)).build();
        ExecutorService ingestor = Executors.newSingleThreadExecutor();
        try (VectorStore store = open.apply(connection)) {
            CountDownLatch someWritten = new CountDownLatch(2);
            Future<Integer> run = ingestor.submit(() -> ingest(store, corpus, someWritten));
            assertThat(someWritten.await(120, TimeUnit.SECONDS)).as("the first calls of the ingest").isTrue();
            node.stop();
            try {
                Throwable failure = null;
                try {
                    run.get(300, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = e.getCause();
                }
                assertThat(failure).as("the ingest while the node is down").isInstanceOf(RagBackendException.class);
                RagBackendException error = (RagBackendException) failure;
                assertThat(error.retriable()).as("a node that went away may come back: " + error.getMessage()).isTrue();
                assertThat(error.getMessage()).as("the error names the node and says what is safe")
                        .contains(node.url()).containsAnyOf("cannot reach", "connection to", "no answer from")
                        .contains("rerunning the same call is safe");
            } finally {
                node.start();
            }
        } finally {
            ingestor.shutdownNow();
        }

        try (VectorStore store = open.apply(connection)) {
            long before = store.count();
            assertThat(before).as("chunks written before the node stopped").isBetween(2L * PER_CALL, CHUNKS - 1L);
            ingest(store, corpus, new CountDownLatch(0));
            assertThat(store.count()).as("chunks after the rerun").isEqualTo(CHUNKS);
            Set<String> seen = new HashSet<>();
            List<String> twice = new ArrayList<>();
            String cursor = null;
            do {
                ScanPage page = store.scan(null, cursor, 1_000);
                page.chunks().forEach(c -> {
                    if (!seen.add(c.id())) {
                        twice.add(c.id());
                    }
                });
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
            assertThat(twice).as("chunks listed twice").isEmpty();
            assertThat(seen).as("every chunk of the corpus, once").hasSize(CHUNKS);
            List<String> ids = corpus.stream().map(EmbeddedChunk::id).toList();
            assertThat(store.get(ids)).as("every chunk as written")
                    .containsExactlyElementsOf(corpus.stream().map(EmbeddedChunk::chunk).toList());
        }
    }

    /** The scenario's vectors' dimension. */
    public static int dimension() {
        return DIMENSION;
    }

    private static List<EmbeddedChunk> corpus() {
        Random random = new Random(4_242);
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            float[] v = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                v[d] = (float) random.nextGaussian();
            }
            chunks.add(new EmbeddedChunk(Chunk.of("doc-" + i / 4, i % 4, "chunk " + i + " of the fault test",
                    Map.of("n", (long) i)), v));
        }
        return chunks;
    }

    /** Upserts the corpus in calls of {@link #PER_CALL}, as an ingestor does; counts down after each call. */
    private static int ingest(VectorStore store, List<EmbeddedChunk> corpus, CountDownLatch progress) {
        int calls = 0;
        for (int from = 0; from < corpus.size(); from += PER_CALL) {
            store.upsert(corpus.subList(from, Math.min(corpus.size(), from + PER_CALL)));
            calls++;
            progress.countDown();
        }
        return calls;
    }
}
