package com.example.host;

import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.testkit.VectorStoreConformanceTest;
import java.nio.file.Path;

/** The test kit against the host's own store: the basics, and a refusal for every undeclared capability. */
class TinyVectorStoreConformanceTest extends VectorStoreConformanceTest {
    @Override
    protected VectorStore openStore(int dimension, Path directory) {
        return new TinyVectorStore(dimension);
    }
}
