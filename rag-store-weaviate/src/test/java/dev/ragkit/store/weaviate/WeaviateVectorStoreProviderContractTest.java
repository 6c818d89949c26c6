package dev.ragkit.store.weaviate;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.store.weaviate.internal.WeaviateVectorStoreProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;

/** The provider contract against the {@code weaviate} store provider, on the stub. */
@EnabledIf(value = "dev.ragkit.store.weaviate.WeaviateSpec#available", disabledReason = "not run: ../shared/specs/weaviate/schema.json (Weaviate REST 1.39 OpenAPI) is missing: the stub validates every exchange against it")
class WeaviateVectorStoreProviderContractTest extends ProviderContractTest {
    private static final WeaviateStub STUB = new WeaviateStub();

    @Override
    protected Provider<?> provider() {
        return new WeaviateVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("url", STUB.url().toString(), "collection", "Contract", "dimension", "8");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("url");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("url", "ftp://nowhere", "collection", "lowercase", "dimension", "0", "batch-size", "0",
                "alpha", "1.5", "max-retries", "many", "request-timeout", "soon");
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }
}
