package dev.ragkit.llm.http;

import dev.ragkit.core.RagException;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * An {@link LlmClient} over an HTTP API: the primary and fallback models, retries and the rule that
 * a stream is not retried once text has gone out are {@link ChatChain}'s work; the adapter supplies
 * one blocking and one streaming attempt against one model in its wire format.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public abstract class HttpLlmClient implements LlmClient {
    private final String backend;
    private final String model;
    private final ChatChain chain;
    private volatile boolean closed;

    /**
     * @param backend the name in ids, exceptions and logs, e.g. {@code ollama}
     * @param model the primary model, already checked and stripped by the adapter
     * @param fallbackModel asked when the primary one is unknown or keeps failing; ignored when null,
     *     blank or the primary model again
     */
    protected HttpLlmClient(String backend, String model, String fallbackModel, RetryPolicy retryPolicy, Logger log) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.model = Objects.requireNonNull(model, "model");
        this.chain = new ChatChain(backend, model, fallbackModel, retryPolicy, log);
    }

    /**
     * {@code temperature} when it is null (the server's default) or within [0, 2].
     *
     * @throws IllegalArgumentException otherwise
     */
    protected static Double checkTemperature(Double temperature) {
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature was " + temperature + " but it must be in [0, 2]");
        }
        return temperature;
    }

    /** One blocking attempt against {@code model}; throws a classified failure instead of any other exception. */
    protected abstract Generation generateOnce(String model, LlmRequest request) throws CallFailure;

    /** One streaming attempt against {@code model}, handing each piece of text to {@code onToken}. */
    protected abstract Generation streamOnce(String model, LlmRequest request, Consumer<String> onToken)
            throws CallFailure;

    /** {@code <backend>:<primary model>}. */
    @Override
    public final String id() {
        return backend + ":" + model;
    }

    /** The primary model then the fallback model, if any. */
    public final List<String> models() {
        return chain.models();
    }

    @Override
    public final Generation generate(LlmRequest request) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        return chain.generate(m -> generateOnce(m, request));
    }

    @Override
    public final Generation stream(LlmRequest request, Consumer<String> onToken) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        return chain.stream(onToken, (m, tokens) -> streamOnce(m, request, tokens));
    }

    /**
     * Refuses later calls with a {@link RagException} saying the client is closed. Idempotent. Java 17's
     * {@code HttpClient} has no close: its pooled connections and selector thread end once the client is
     * unreachable, which this makes sure of by refusing further use. Subclasses that hold more release it
     * and call {@code super.close()}.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("LLM client " + id() + " is closed");
        }
    }
}
