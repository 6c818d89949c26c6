package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.store.pinecone.internal.PineconeVectorStoreProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIf;

/** The provider contract against the {@code pinecone} provider, creating stores on the stub. */
@EnabledIf(value = "dev.ragkit.store.pinecone.PineconeStub#specsAvailable", disabledReason = "not run: ../shared/specs/pinecone (Pinecone 2026-04 OpenAPI) is missing: the stub validates every exchange against it")
class PineconeVectorStoreProviderContractTest extends ProviderContractTest {
    private static final PineconeStub STUB = PineconeStub.start();

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @AfterEach
    void everyExchangeConformed() {
        assertThat(STUB.violations()).as("exchanges that do not conform to Pinecone's OpenAPI 2026-04").isEmpty();
    }

    @Override
    protected Provider<?> provider() {
        return new PineconeVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("dimension", "8", "api-key", PineconeStub.API_KEY, "index", "contract",
                "control-url", STUB.controlUri().toString(), "ready-timeout", "10s");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("api-key");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("index", "Not_An_Index", "namespace", "ragkit-meta", "cloud", "aws2", "batch-size", "5000",
                "max-retries", "-1", "timeout", "soon", "dimension", "many");
    }
}
