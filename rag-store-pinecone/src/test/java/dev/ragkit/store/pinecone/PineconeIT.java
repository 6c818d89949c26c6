package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Against the real Pinecone service, opt-in: runs when {@code PINECONE_API_KEY} is set, and otherwise
 * reports itself not run. Uses serverless index {@code RAGKIT_IT_PINECONE_INDEX} (default
 * {@code ragkit-it}, dimension 8, created in {@code RAGKIT_IT_PINECONE_CLOUD}/{@code _REGION}, default
 * aws/us-east-1, when absent) and a namespace of its own per run, deleted at the end. Pinecone is
 * eventually consistent, so reads after writes wait (up to a minute) for the writes to show.
 */
class PineconeIT {
    private static final int DIMENSION = 8;
    private static final Duration FRESHNESS = Duration.ofSeconds(60);
    /** The key, or the test is reported skipped ("not run") with how to run it. */
    private static String requireKey() {
        String apiKey = System.getenv("PINECONE_API_KEY");
        assumeTrue(apiKey != null && !apiKey.isBlank(), "not run: set PINECONE_API_KEY (a Pinecone project's API key)"
                + "; optionally RAGKIT_IT_PINECONE_INDEX, RAGKIT_IT_PINECONE_CLOUD, RAGKIT_IT_PINECONE_REGION");
        return apiKey;
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    @Test
    void writesReadsSearchesScansAndDeletesOnTheRealService() {
        String apiKey = requireKey();
        String namespace = "it-" + Long.toHexString(System.nanoTime());
        try (PineconeVectorStore store = PineconeVectorStore.builder().apiKey(apiKey)
                .index(env("RAGKIT_IT_PINECONE_INDEX", "ragkit-it")).namespace(namespace).dimension(DIMENSION)
                .cloud(env("RAGKIT_IT_PINECONE_CLOUD", "aws")).region(env("RAGKIT_IT_PINECONE_REGION", "us-east-1"))
                .build()) {
            try {
                List<EmbeddedChunk> chunks = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    float[] vector = new float[DIMENSION];
                    vector[i % DIMENSION] = 1;
                    vector[(i + 1) % DIMENSION] = 0.5f + i / 100f;
                    chunks.add(new EmbeddedChunk(Chunk.of("doc-" + (i / 4), i % 4, "chunk " + i,
                            Map.of("n", (long) i, "lang", i % 2 == 0 ? "en" : "fr", "score", i / 4.0)), vector));
                }
                store.upsert(chunks);
                awaitTrue(() -> store.count() == chunks.size(), "count to reach " + chunks.size());
                assertThat(store.get(List.of("doc-1#2", "doc-0#0"))).extracting(Chunk::id)
                        .containsExactly("doc-1#2", "doc-0#0");
                assertThat(store.get(List.of("doc-2#3")).get(0)).isEqualTo(chunks.get(11).chunk());
                awaitTrue(() -> {
                    List<SearchHit> hits = store.search(SearchRequest.dense(chunks.get(5).vector(), 3));
                    return !hits.isEmpty() && hits.get(0).id().equals(chunks.get(5).id());
                }, "a chunk's own vector to find it first");
                List<String> scanned = new ArrayList<>();
                String cursor = null;
                do {
                    var page = store.scan(null, cursor, 5);
                    page.chunks().forEach(c -> scanned.add(c.id()));
                    cursor = page.nextCursor().orElse(null);
                } while (cursor != null);
                assertThat(scanned).containsExactlyInAnyOrderElementsOf(chunks.stream().map(EmbeddedChunk::id).toList());
                store.recordIndexInfo(new IndexInfo("it:hash", DIMENSION, "none"));
                assertThat(store.indexInfo()).contains(new IndexInfo("it:hash", DIMENSION, "none"));
                store.delete(List.of("doc-0#0", "doc-0#1"));
                awaitTrue(() -> store.count() == chunks.size() - 2, "count to drop after a delete");
            } finally {
                deleteEverything(store);
            }
        }
    }

    private static void deleteEverything(PineconeVectorStore store) {
        String cursor = null;
        List<String> ids = new ArrayList<>();
        do {
            var page = store.scan(null, cursor, 100);
            page.chunks().forEach(c -> ids.add(c.id()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        store.delete(ids);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + FRESHNESS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + FRESHNESS + " for " + what + " on the real Pinecone service");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
