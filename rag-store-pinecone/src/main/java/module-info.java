/**
 * Pinecone indexes behind Ragkit's {@link dev.ragkit.core.spi.VectorStore} SPI, over Pinecone's REST API
 * 2026-04 (java.net.http and Jackson; the README says why not the official client).
 */
module dev.ragkit.store.pinecone {
    exports dev.ragkit.store.pinecone;

    requires transitive dev.ragkit.core;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;

    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.store.pinecone.internal.PineconeVectorStoreProvider;
}
