package dev.ragkit.core.spi;

/** Creates {@link LlmClient}s; registered in {@code META-INF/services/dev.ragkit.core.spi.LlmClientProvider}. */
public interface LlmClientProvider extends Provider<LlmClient> {
}
