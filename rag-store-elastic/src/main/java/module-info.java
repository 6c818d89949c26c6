/**
 * Vector stores on Elasticsearch 8.x (provider {@code elastic}) and OpenSearch (provider {@code opensearch}),
 * each on its vendor's official Java client. The mapping, the filter translation and the store logic are
 * written once, as neutral JSON trees, in the unexported {@code dev.ragkit.store.elastic.internal.engine} package;
 * each provider only hands those trees to its client. Providers stay in unexported {@code internal}
 * packages; ServiceLoader reaches them through {@code provides}.
 */
module dev.ragkit.store.elastic {
    exports dev.ragkit.store.elastic;

    requires transitive dev.ragkit.core;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    // The clients have no module descriptor: these are their automatic module names (from the jar names).
    requires elasticsearch.java;
    requires elasticsearch.rest.client;
    // The low-level client's HTTP stack (Apache HttpAsyncClient 4): timeouts, basic auth, TLS.
    requires org.apache.httpcomponents.httpcore;
    requires org.apache.httpcomponents.httpclient;
    requires org.apache.httpcomponents.httpasyncclient;
    requires opensearch.java;
    requires jakarta.json;

    // The opensearch provider: its public builder, and its client's HTTP stack (Apache HttpClient 5): timeouts,
    // basic auth, TLS.
    exports dev.ragkit.store.elastic.opensearch;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;

    // One provides clause per service: both providers are listed here.
    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.store.elastic.internal.ElasticVectorStoreProvider,
            dev.ragkit.store.elastic.internal.opensearch.OpenSearchVectorStoreProvider;
}
