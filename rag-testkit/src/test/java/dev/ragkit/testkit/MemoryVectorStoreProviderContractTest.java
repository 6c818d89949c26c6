package dev.ragkit.testkit;

import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.spi.Provider;
import java.util.Map;
import java.util.Optional;

/** The provider contract against the {@code memory} store provider. */
class MemoryVectorStoreProviderContractTest extends ProviderContractTest {
    @Override
    protected Provider<?> provider() {
        return new MemoryVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("dimension", "8");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("dimension");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("dimension", "eight");
    }
}
