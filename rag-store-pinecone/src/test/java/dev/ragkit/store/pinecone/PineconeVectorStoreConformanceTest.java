package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The store conformance kit through the stateful stub; every exchange is checked against Pinecone's
 * OpenAPI 2026-04 descriptions, and the test fails on any mismatch. Each kit directory is a namespace.
 */
@EnabledIf(value = "dev.ragkit.store.pinecone.PineconeStub#specsAvailable", disabledReason = "not run: ../shared/specs/pinecone (Pinecone 2026-04 OpenAPI) is missing: the stub validates every exchange against it")
class PineconeVectorStoreConformanceTest extends VectorStoreConformanceTest {
    private static PineconeStub stub;

    @BeforeAll
    static void startStub() {
        stub = PineconeStub.start();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @AfterEach
    void everyExchangeConformed() {
        assertThat(stub.violations()).as("exchanges that do not conform to Pinecone's OpenAPI 2026-04").isEmpty();
    }

    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return store(stub, dimension, "ns-" + Integer.toHexString(directory.toAbsolutePath().toString().hashCode()));
    }

    static PineconeVectorStore store(PineconeStub stub, int dimension, String namespace) {
        return PineconeVectorStore.builder().apiKey(PineconeStub.API_KEY).index("kit-" + dimension)
                .namespace(namespace).dimension(dimension).controlPlane(stub.controlUri())
                .pollInterval(Duration.ofMillis(10)).build();
    }
}
