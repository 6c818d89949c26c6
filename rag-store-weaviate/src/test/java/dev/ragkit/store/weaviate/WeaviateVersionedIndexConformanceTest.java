package dev.ragkit.store.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.weaviate.internal.WeaviateVectorStoreProvider;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The versioned-index kit on collection aliases through the stub, every exchange checked against
 * Weaviate's REST 1.39 description. The kit's crash checks run this class in a child JVM that it
 * kills: the child finds the parent's stub through a file beside the index root, so that both talk
 * to the same "server", as two processes would.
 */
@EnabledIf(value = "dev.ragkit.store.weaviate.WeaviateSpec#available", disabledReason = "not run: ../shared/specs/weaviate/schema.json (Weaviate REST 1.39 OpenAPI) is missing: the stub validates every exchange against it")
class WeaviateVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
    private static WeaviateStub stub;
    /** The address files this JVM wrote: they lie beside the kit's temporary roots, which JUnit alone removes. */
    private static final Set<Path> ADDRESSES = ConcurrentHashMap.newKeySet();

    @Override
    protected VersionedIndex openIndex(Path root) {
        Path address = root.resolveSibling(root.getFileName() + ".weaviate-stub");
        String url;
        try {
            if (Files.exists(address)) {
                url = Files.readString(address).trim();
            } else {
                url = stub().url().toString();
                Files.writeString(address, url);
                ADDRESSES.add(address);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WeaviateVectorStoreProvider().versioned(ProviderConfig.of("store", "weaviate", Map.of("url", url,
                "collection", WeaviateVectorStoreConformanceTest.collectionFor(root), "live-refresh", "50ms",
                "backoff", "10ms", "max-backoff", "100ms"))).orElseThrow();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(50);
    }

    private static synchronized WeaviateStub stub() {
        if (stub == null) {
            stub = new WeaviateStub();
        }
        return stub;
    }

    @AfterAll
    static void removeAddressFiles() throws IOException {
        for (Path address : ADDRESSES) {
            Files.deleteIfExists(address);
        }
    }

    @AfterEach
    void everyExchangeMatchedTheSpec() {
        assertThat(stub().violations()).as("requests and responses that do not match Weaviate REST " + stub().specVersion())
                .isEmpty();
    }
}
