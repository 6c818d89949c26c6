package dev.ragkit.store.elastic.internal;

import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.internal.engine.Dialect;
import dev.ragkit.store.elastic.internal.engine.SharedClient;

/** Entry to the Elasticsearch implementations of the engine's two seams, for the public builder. */
public final class ElasticEngine {
    private ElasticEngine() {
    }

    /** A client on the official Elasticsearch Java client, held once by the caller. */
    public static SharedClient connect(ClusterConnection connection) {
        return new SharedClient(new ElasticEngineClient(connection));
    }

    /** Elasticsearch's vector mapping and kNN query. */
    public static Dialect dialect() {
        return ElasticDialect.INSTANCE;
    }
}
