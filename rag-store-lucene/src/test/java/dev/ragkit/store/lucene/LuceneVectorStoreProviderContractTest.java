package dev.ragkit.store.lucene;

import dev.ragkit.core.spi.Provider;
import dev.ragkit.store.lucene.internal.LuceneVectorStoreProvider;
import dev.ragkit.testkit.ProviderContractTest;
import java.util.Map;
import java.util.Optional;

/** The provider contract against the {@code lucene} store provider. */
class LuceneVectorStoreProviderContractTest extends ProviderContractTest {
    @Override
    protected Provider<?> provider() {
        return new LuceneVectorStoreProvider();
    }

    @Override
    protected Map<String, String> validConfig() {
        return Map.of("dimension", "8", "m", "8", "analyzer", "english");
    }

    @Override
    protected Optional<String> requiredKey() {
        return Optional.of("dimension");
    }

    @Override
    protected Map<String, String> invalidValues() {
        return Map.of("similarity", "cosin", "ef-search", "0", "m", "-3", "beam-width", "many", "dimension", "2000",
                "analyzer", "klingon", "quantization", "int3", "compact-on-flush", "perhaps");
    }
}
