package dev.ragkit.llm.hf;

import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.testkit.LlmClientConformanceTest;
import org.junit.jupiter.api.BeforeEach;

/** The LLM contract against the real Hugging Face router; skipped with "not run: set ..." without a token. */
class HfLlmClientIT extends LlmClientConformanceTest {
    private String token;

    @BeforeEach
    void requireToken() {
        token = HfItSettings.requireToken();
    }

    @Override
    protected LlmClient createClient() {
        return HfLlmClient.builder().token(token).model(HfItSettings.chatModel()).build();
    }
}
