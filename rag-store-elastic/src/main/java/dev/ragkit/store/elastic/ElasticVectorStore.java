package dev.ragkit.store.elastic;

/** A vector store on an Elasticsearch 8.x index (skeleton: the store lands in the next commits). */
public final class ElasticVectorStore {
    private ElasticVectorStore() {
    }
}
