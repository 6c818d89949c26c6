package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The kit against the Pinecone store wrapped as the assembly wraps it for hybrid retrieval: Pinecone's
 * dense indexes have no BM25, so core's sidecar adds KEYWORD_SEARCH, rebuilt from a scan on every open.
 */
@EnabledIf(value = "dev.ragkit.store.pinecone.PineconeStub#specsAvailable", disabledReason = "not run: ../shared/specs/pinecone (Pinecone 2026-04 OpenAPI) is missing: the stub validates every exchange against it")
class PineconeWithBm25SidecarConformanceTest extends VectorStoreConformanceTest {
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
        return Bm25SidecarStore.wrapIfNeeded(PineconeVectorStoreConformanceTest.store(stub, dimension,
                "ns-" + Integer.toHexString(directory.toAbsolutePath().toString().hashCode())),
                TextAnalyzer.frenchEnglish());
    }
}
