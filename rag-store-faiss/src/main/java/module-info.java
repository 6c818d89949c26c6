/**
 * Vector store on FAISS, through a JNI binding shipped in this jar. The provider and the native binding
 * stay in the unexported {@code internal} package; ServiceLoader reaches the provider through
 * {@code provides}, and JNI needs no export.
 */
module dev.ragkit.store.faiss {
    exports dev.ragkit.store.faiss;

    requires transitive dev.ragkit.core;
    requires org.slf4j;

    provides dev.ragkit.core.spi.VectorStoreProvider with dev.ragkit.store.faiss.internal.FaissVectorStoreProvider;
}
