package dev.ragkit.core.spi;

import java.util.function.Consumer;

/**
 * A chat language model. Implementations are thread-safe, apply their own timeouts and retries,
 * and map failures onto {@link dev.ragkit.core.RagBackendException} (retriable or not).
 */
public interface LlmClient extends AutoCloseable {
    /** {@code <provider>:<model>}, e.g. {@code ollama:llama3.1:8b}; used in answers, metrics and logs. */
    String id();

    /**
     * Answers the request and returns only once the whole answer is in.
     *
     * @throws dev.ragkit.core.RagBackendException when the model fails or its answer is malformed
     */
    Generation generate(LlmRequest request);

    /**
     * Answers the request, handing each piece of text to {@code onToken} as it arrives, and returns
     * the complete generation. A stream that ends before the model said it was done is an error,
     * never a short answer.
     *
     * @throws dev.ragkit.core.RagBackendException when the model fails or the stream is cut
     */
    Generation stream(LlmRequest request, Consumer<String> onToken);

    /**
     * Releases what this client holds (native sessions, connection pools, threads). Idempotent: later
     * calls do nothing. Afterwards the other methods may fail with an exception saying the client is
     * closed; an implementation that holds nothing may stay usable and says so. Must not be called
     * while other calls are in flight. Does nothing by default; throws no checked exception.
     */
    @Override
    default void close() {
    }
}
