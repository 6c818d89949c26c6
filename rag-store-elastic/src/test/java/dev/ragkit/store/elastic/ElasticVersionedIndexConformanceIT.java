package dev.ragkit.store.elastic;

import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.testkit.VersionedIndexConformanceTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The versioned-index conformance kit against a real Elasticsearch 8.19 node: versions {@code <name>-vN}
 * behind the alias {@code <name>}, promote and rollback through {@code _aliases}, the catalog in
 * {@code <name>-ragkit-meta}, crash checks with killed child JVMs.
 *
 * <p>The kit's child JVMs call {@link #openIndex(Path)} without this JVM's system properties, so the node's
 * URL is written into the index's root directory for them (the server keeps the index; the directory holds
 * nothing else).
 */
class ElasticVersionedIndexConformanceIT extends VersionedIndexConformanceTest {
    private static final String URL_FILE = "elastic-test-node.url";
    private String name;

    @Override
    protected VersionedIndex openIndex(Path root) {
        String url = nodeUrl(root);
        String index = TestCluster.indexFor("versioned", root);
        if (name == null) {
            name = index;
        }
        return ElasticVectorStore.builder().connection(ClusterConnection.builder().url(url).build()).index(index)
                .liveRefresh(liveRefresh()).versioned();
    }

    @Override
    protected Duration liveRefresh() {
        return Duration.ofMillis(200);
    }

    private static String nodeUrl(Path root) {
        Path file = root.resolve(URL_FILE);
        try {
            if (System.getProperty("ragkit.test.elastic.url") != null) {
                String url = TestCluster.url();
                Files.createDirectories(root);
                Files.writeString(file, url, StandardCharsets.UTF_8);
                return url;
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the test node's URL in " + file, e);
        }
    }

    @AfterEach
    void deleteIndices() {
        if (name != null) {
            TestCluster.deleteIndices(name);
        }
    }
}
