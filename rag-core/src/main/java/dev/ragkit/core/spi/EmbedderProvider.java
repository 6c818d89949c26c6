package dev.ragkit.core.spi;

/** Creates {@link Embedder}s; registered in {@code META-INF/services/dev.ragkit.core.spi.EmbedderProvider}. */
public interface EmbedderProvider extends Provider<Embedder> {
}
