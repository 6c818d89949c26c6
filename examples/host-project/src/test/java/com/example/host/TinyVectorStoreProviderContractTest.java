package com.example.host;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;

class TinyVectorStoreProviderContractTest extends ProviderContractTest {
    @Override
    protected Provider<?> provider() {
        return new TinyVectorStoreProvider();
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
        return Map.of("dimension", "0");
    }
}
