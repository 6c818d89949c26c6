package dev.ragkit.store.weaviate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store conformance kit against a real Weaviate, opt-in: it runs when {@code WEAVIATE_URL} is set
 * (and {@code WEAVIATE_API_KEY} when the server needs one) and otherwise reports itself not run, with
 * the reason, never as passed. Each test gets its own collection {@code RagkitIt<run>_<n>}, deleted at
 * the end.
 */
class WeaviateIT extends VectorStoreConformanceTest {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L);
    private static final List<String> CREATED = new ArrayList<>();
    private static String url;

    /** Per test (nested groups included), so that each one is reported skipped with the reason. */
    @BeforeEach
    void requireServer() {
        url = System.getenv("WEAVIATE_URL");
        assumeTrue(url != null && !url.isBlank(), "not run: set WEAVIATE_URL to a Weaviate 1.39 server "
                + "(e.g. http://127.0.0.1:8080) and WEAVIATE_API_KEY if it needs one");
    }

    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        String collection = "RagkitIt" + RUN + "_" + WeaviateVectorStoreConformanceTest.collectionFor(directory);
        synchronized (CREATED) {
            if (!CREATED.contains(collection)) {
                CREATED.add(collection);
            }
        }
        return WeaviateVectorStore.builder().url(URI.create(url)).apiKey(System.getenv("WEAVIATE_API_KEY"))
                .collection(collection).dimension(dimension).build();
    }

    @AfterAll
    static void dropCollections() {
        if (url == null || url.isBlank()) {
            return;
        }
        WeaviateRest rest = new WeaviateRest(URI.create(url), System.getenv("WEAVIATE_API_KEY"), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 2, Duration.ofMillis(200), Duration.ofSeconds(2));
        for (String collection : CREATED) {
            rest.call("DELETE", "/schema/" + collection, null, "collection '" + collection + "'", true);
        }
    }
}
