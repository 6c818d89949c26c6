package dev.ragkit.core.spi;

/**
 * Creates {@link VectorStore}s; registered in
 * {@code META-INF/services/dev.ragkit.core.spi.VectorStoreProvider}. The assembler passes the
 * embedder's dimension as key {@code dimension} unless the host set it.
 */
public interface VectorStoreProvider extends Provider<VectorStore> {
}
