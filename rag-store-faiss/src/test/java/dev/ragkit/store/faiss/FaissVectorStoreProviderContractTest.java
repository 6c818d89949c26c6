package dev.ragkit.store.faiss;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.store.faiss.internal.FaissVectorStoreProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;

/** The provider contract against the {@code faiss} store provider. */
class FaissVectorStoreProviderContractTest extends ProviderContractTest {
    @Override
    protected Provider<?> provider() {
        return new FaissVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("dimension", "8", "index", "Flat");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("dimension");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("metric", "cosin", "ef-search", "0", "nprobe", "-3", "threads", "many", "dimension", "0",
                "index", "Nonsense42");
    }
}
