package dev.ragkit.store.redisearch;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;

/**
 * The store kit against a real Redis 7.2 + RediSearch 2.10 (see {@link RediSearchServer}): every declared
 * capability (FILTER, DELETE, KEYWORD_SEARCH, PERSISTENCE, SCAN, READ_VECTORS). Each test folder names
 * its own index, so reopening the folder reopens the index.
 */
class RediSearchVectorStoreConformanceIT extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return RediSearchTestStores.builder(RediSearchTestStores.nameFor(directory), dimension).build();
    }
}
