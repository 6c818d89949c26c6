package dev.ragkit.store.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The store conformance kit through the stub; every exchange is checked against Weaviate's REST 1.39
 * description, and a test fails on any mismatch. One collection per test directory, so a reopen in
 * the same test sees the same data, as with a real server.
 */
@EnabledIf(value = "dev.ragkit.store.weaviate.WeaviateSpec#available", disabledReason = "not run: ../shared/specs/weaviate/schema.json (Weaviate REST 1.39 OpenAPI) is missing: the stub validates every exchange against it")
class WeaviateVectorStoreConformanceTest extends VectorStoreConformanceTest {
    private static final WeaviateStub STUB = new WeaviateStub();

    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return WeaviateVectorStore.builder().url(STUB.url()).collection(collectionFor(directory)).dimension(dimension)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100)).batchSize(17).build();
    }

    static String collectionFor(Path directory) {
        return "T" + Integer.toHexString(directory.toAbsolutePath().toString().hashCode()).toUpperCase();
    }

    @AfterEach
    void everyExchangeMatchedTheSpec() {
        assertThat(STUB.violations()).as("requests and responses that do not match Weaviate REST " + STUB.specVersion())
                .isEmpty();
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }
}
