/**
 * Vector store on Weaviate collections over its REST and GraphQL API (java.net.http and Jackson). The
 * provider stays in the unexported {@code internal} package; ServiceLoader reaches it through
 * {@code provides}.
 */
module dev.ragkit.store.weaviate {
    exports dev.ragkit.store.weaviate;

    requires transitive dev.ragkit.core;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.store.weaviate.internal.WeaviateVectorStoreProvider;
}
