package dev.ragkit.testkit;

import dev.ragkit.core.spi.LlmClient;

/** Exercises the LLM kit itself against a deterministic fake. */
class EchoLlmClientConformanceTest extends LlmClientConformanceTest {
    @Override
    protected LlmClient createClient() {
        return new EchoLlmClient();
    }
}
