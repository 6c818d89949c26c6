package dev.ragkit.store.elastic;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.store.elastic.internal.engine.Calls;
import dev.ragkit.store.elastic.internal.engine.EngineVectorStore;
import dev.ragkit.store.elastic.internal.engine.EngineVersionedIndex;
import dev.ragkit.store.elastic.internal.engine.SharedClient;
import dev.ragkit.store.elastic.internal.ElasticEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A vector store on an Elasticsearch 8.x index, through the official Java client: dense kNN (HNSW, cosine)
 * with filters applied inside the search, the server's own BM25 for keyword search, deletes, scans, and
 * vectors read back. The store makes the index and its mapping itself, and refuses an existing index whose
 * vector field disagrees with its configuration.
 *
 * <pre>{@code
 * VectorStore store = ElasticVectorStore.builder()
 *         .connection(ClusterConnection.builder().url("https://es.example:9200").apiKey(key)
 *                 .caFile(Path.of("ca.pem")).build())
 *         .index("docs").dimension(384).build();
 * }</pre>
 *
 * <p>{@link Builder#versioned()} gives the same index as versions behind an alias instead.
 */
public final class ElasticVectorStore extends ForwardingVectorStore {
    /** The configuration keys' prefix, named in messages. */
    public static final String CONFIG_PREFIX = "rag.store.elastic";
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

    private final String index;

    private ElasticVectorStore(EngineVectorStore delegate) {
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
        return "ElasticVectorStore[" + delegate() + "]";
    }

    /** Settings of an {@link ElasticVectorStore}; {@link #connection} and {@link #dimension} are required. */
    public static final class Builder {
        private ClusterConnection connection;
        private String index = "ragkit";
        private int dimension;
        private IndexOptions options = IndexOptions.defaults();
        private boolean createIndex = true;
        private Duration liveRefresh = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Where the cluster is and how to authenticate. */
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

        /** Mapping, search and write settings; {@link IndexOptions#defaults()} by default. */
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
                throw new InvalidInputException("elastic store: no connection set; call connection(...)");
            }
            if (index == null || !INDEX_NAME.matcher(index).matches() || index.equals(".") || index.equals("..")) {
                throw new InvalidInputException("elastic store index was '" + index + "' but it must match "
                        + INDEX_NAME + " (Elasticsearch index names are lowercase)");
            }
        }

        /** Connects, creates or checks the index, and returns the store. */
        public ElasticVectorStore build() {
            check();
            if (dimension < 1) {
                throw new InvalidInputException("elastic store dimension was " + dimension + " but it must be >= 1");
            }
            SharedClient client = ElasticEngine.connect(connection);
            return new ElasticVectorStore(EngineVectorStore.open(client, ElasticEngine.dialect(), calls(), index,
                    dimension, options, 0, createIndex));
        }

        /**
         * The versioned index named by {@link #index(String)}: versions {@code <index>-v<N>} behind the alias
         * {@code <index>}, with their catalog in {@code <index>-ragkit-meta}. The dimension comes from what
         * each version is built with. Nothing is created until a version is.
         */
        public VersionedIndex versioned() {
            check();
            return new EngineVersionedIndex(ElasticEngine.connect(connection), ElasticEngine.dialect(), calls(), index,
                    options, liveRefresh);
        }

        private Calls calls() {
            return new Calls("elastic", CONFIG_PREFIX, connection);
        }
    }
}
