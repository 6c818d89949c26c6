/**
 * Vector store on Apache Lucene, pure Java: HNSW vectors, BM25 and filters in one embedded index. The
 * provider stays in the unexported {@code internal} package; ServiceLoader reaches it through
 * {@code provides}.
 */
module dev.ragkit.store.lucene {
    exports dev.ragkit.store.lucene;

    requires transitive dev.ragkit.core;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;

    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.store.lucene.internal.LuceneVectorStoreProvider;
}
