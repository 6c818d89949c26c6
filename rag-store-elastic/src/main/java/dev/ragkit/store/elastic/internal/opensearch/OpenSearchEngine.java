package dev.ragkit.store.elastic.internal.opensearch;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.Dialect;
import dev.ragkit.store.elastic.internal.engine.SharedClient;
import java.util.List;

/** Entry to the OpenSearch implementations of the engine's two seams, for the public builder. */
public final class OpenSearchEngine {
    private OpenSearchEngine() {
    }

    /** A client on the official OpenSearch Java client, held once by the caller. */
    public static SharedClient connect(ClusterConnection connection) {
        return new SharedClient(new OpenSearchEngineClient(connection));
    }

    /** OpenSearch's vector mapping (k-NN plugin, lucene engine) and kNN query. */
    public static Dialect dialect() {
        return OpenSearchDialect.INSTANCE;
    }

    /** The options OpenSearch takes by default: float HNSW vectors (see {@link #checkOptions}). */
    public static IndexOptions defaultOptions() {
        return IndexOptions.defaults().withVectorIndexType(OpenSearchDialect.FLOAT_HNSW);
    }

    /**
     * Refuses what this provider cannot honour: quantised vector types, whose scores the lucene engine computes
     * on the quantised vectors, with no rescoring, so they would not be the cosine the store promises.
     */
    public static void checkOptions(IndexOptions options, String configPrefix) {
        if (!options.vectorIndexType().equals(OpenSearchDialect.FLOAT_HNSW)) {
            throw new RagConfigurationException(List.of(configPrefix + ".vector-index-type was '"
                    + options.vectorIndexType() + "' but OpenSearch's lucene k-NN engine only gives exact cosine scores"
                    + " for 'hnsw' (float vectors); use 'hnsw'"));
        }
    }
}
