package dev.ragkit.examples.cli;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.spi.LlmRequest;
import java.util.function.Consumer;

/**
 * Test language model {@code test-down}: every call fails with a retriable backend error whose
 * message is key {@code message} (default {@code connection refused}), like a model server that is
 * not running. Lets the CLI tests check how fallbacks are printed without any server.
 */
public final class FailingLlmProvider implements LlmClientProvider {
    @Override
    public String name() {
        return "test-down";
    }

    @Override
    public LlmClient create(ProviderConfig config) {
        String message = config.string("message", "connection refused");
        config.validate();
        return new LlmClient() {
            @Override
            public String id() {
                return "test-down";
            }

            @Override
            public Generation generate(LlmRequest request) {
                throw RagBackendException.retriable("test-down", message, null);
            }

            @Override
            public Generation stream(LlmRequest request, Consumer<String> onToken) {
                throw RagBackendException.retriable("test-down", message, null);
            }
        };
    }
}
