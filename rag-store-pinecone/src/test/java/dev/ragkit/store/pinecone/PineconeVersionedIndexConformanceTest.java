package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.pinecone.internal.PineconeVectorStoreProvider;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The versioned-index kit through the stub, built by the provider as a host would. Each kit root gets its
 * own index. The kit's crash checks run a child JVM that kills itself mid-work: it reaches the same stub
 * (the "server" that outlives it) through the control-plane URL this test leaves in the root.
 */
@EnabledIf(value = "dev.ragkit.store.pinecone.PineconeStub#specsAvailable", disabledReason = "not run: ../shared/specs/pinecone (Pinecone 2026-04 OpenAPI) is missing: the stub validates every exchange against it")
class PineconeVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
    private static final String STUB_URL_FILE = "pinecone-stub-url";
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
    protected VersionedIndex openIndex(Path root) {
        try {
            Path urlFile = root.resolve(STUB_URL_FILE);
            String controlUrl;
            if (stub != null) {
                controlUrl = stub.controlUri().toString();
                Files.writeString(urlFile, controlUrl, StandardCharsets.UTF_8);
            } else {
                // The kit's crash child: the stub runs in the parent JVM.
                controlUrl = Files.readString(urlFile, StandardCharsets.UTF_8);
            }
            String index = "vx-" + Integer.toHexString(root.toAbsolutePath().toString().hashCode());
            return new PineconeVectorStoreProvider().versioned(ProviderConfig.of("store", "pinecone", Map.of(
                    "api-key", PineconeStub.API_KEY, "index", index, "control-url", controlUrl,
                    "versioned-name", "kit", "dimension", "16"))).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
