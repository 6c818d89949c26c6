package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.Calls;
import dev.ragkit.store.elastic.internal.engine.EngineVectorStore;
import dev.ragkit.store.elastic.internal.engine.EngineVersionedIndex;
import dev.ragkit.store.elastic.internal.engine.SharedClient;
import dev.ragkit.store.elastic.internal.opensearch.OpenSearchEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A vector store on an OpenSearch index (2.x/3.x with the k-NN plugin), through the official Java client:
 * dense kNN (HNSW on the lucene engine, cosine) with filters applied inside the search, the server's own
 * BM25 for keyword search, deletes, scans on a point in time, and vectors read back. The mapping, filters,
 * batching, retries and versions are the same code as {@link dev.ragkit.store.elastic.ElasticVectorStore}'s;
 * only the vector field and the kNN query differ. The store makes the index and its mapping itself, and
 * refuses an existing index whose vector field disagrees with its configuration.
 *
 * <pre>{@code
 * VectorStore store = OpenSearchVectorStore.builder()
 *         .connection(ClusterConnection.builder().url("https://search.example:9200").basicAuth(user, password)
 *                 .caFile(Path.of("ca.pem")).build())
 *         .index("docs").dimension(384).build();
 * }</pre>
 *
 * <p>{@link Builder#versioned()} gives the same index as versions behind an alias instead.
 */
public final class OpenSearchVectorStore extends ForwardingVectorStore {
    /** The configuration keys' prefix, named in messages. */
    public static final String CONFIG_PREFIX = "rag.store.opensearch";
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

    private final String index;

    private OpenSearchVectorStore(EngineVectorStore delegate) {
        super(delegate);
        this.index = delegate.target();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The index (or alias) this store reads and writes. */
    public String index() {
        return index;
    }

    @Override
    public String toString() {
        return "OpenSearchVectorStore[" + delegate() + "]";
    }

    /** Settings of an {@link OpenSearchVectorStore}; {@link #connection} and {@link #dimension} are required. */
    public static final class Builder {
        private ClusterConnection connection;
        private String index = "ragkit";
        private int dimension;
        private IndexOptions options = OpenSearchEngine.defaultOptions();
        private boolean createIndex = true;
        private Duration liveRefresh = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Where the cluster is and how to authenticate (basic auth, or an API key on OpenSearch 3.7+). */
        public Builder connection(ClusterConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /** The index (or alias) name, lowercase; {@code ragkit} by default. */
        public Builder index(String index) {
            this.index = index;
            return this;
        }

        /** Dimension of the vectors; required. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /**
         * Mapping, search and write settings; float HNSW ({@code hnsw}) with the other
         * {@link IndexOptions#defaults()} by default. Quantised vector types are refused (see the README).
         */
        public Builder options(IndexOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Create the index when it is absent (default true); false fails on a missing index. */
        public Builder createIndex(boolean createIndex) {
            this.createIndex = createIndex;
            return this;
        }

        /** How often a versioned index's live store checks for another process's promote; 1 s by default. */
        public Builder liveRefresh(Duration liveRefresh) {
            this.liveRefresh = Objects.requireNonNull(liveRefresh, "liveRefresh");
            return this;
        }

        private void check() {
            if (connection == null) {
                throw new InvalidInputException("opensearch store: no connection set; call connection(...)");
            }
            if (index == null || !INDEX_NAME.matcher(index).matches() || index.equals(".") || index.equals("..")) {
                throw new InvalidInputException("opensearch store index was '" + index + "' but it must match "
                        + INDEX_NAME + " (OpenSearch index names are lowercase)");
            }
            OpenSearchEngine.checkOptions(options, CONFIG_PREFIX);
        }

        /** Connects, creates or checks the index, and returns the store. */
        public OpenSearchVectorStore build() {
            check();
            if (dimension < 1) {
                throw new InvalidInputException("opensearch store dimension was " + dimension + " but it must be >= 1");
            }
            SharedClient client = OpenSearchEngine.connect(connection);
            return new OpenSearchVectorStore(EngineVectorStore.open(client, OpenSearchEngine.dialect(), calls(), index,
                    dimension, options, 0, createIndex));
        }

        /**
         * The versioned index named by {@link #index(String)}: versions {@code <index>-v<N>} behind the alias
         * {@code <index>}, with their catalog in {@code <index>-ragkit-meta}, through the same {@code _aliases}
         * calls as the Elasticsearch store. Nothing is created until a version is.
         */
        public VersionedIndex versioned() {
            check();
            return new EngineVersionedIndex(OpenSearchEngine.connect(connection), OpenSearchEngine.dialect(), calls(),
                    index, options, liveRefresh);
        }

        private Calls calls() {
            return new Calls("opensearch", CONFIG_PREFIX, connection);
        }
    }
}
