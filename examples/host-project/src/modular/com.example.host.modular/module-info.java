/**
 * A host application that is itself a JPMS module. It requires only rag-core: the embedder and the store
 * it names in configuration are bound by the module system as providers of the services rag-core uses.
 */
module com.example.host.modular {
    requires dev.ragkit.core;
}
