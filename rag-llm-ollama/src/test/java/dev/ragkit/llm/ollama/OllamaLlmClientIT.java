package dev.ragkit.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.testkit.LlmClientConformanceTest;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM contract against a real Ollama; skipped with "not run: set ..." when none is configured. */
class OllamaLlmClientIT extends LlmClientConformanceTest {
    private String url;

    @BeforeEach
    void requireServer() {
        url = OllamaItSettings.requireUrl();
    }

    @Override
    protected LlmClient createClient() {
        return OllamaLlmClient.builder().baseUrl(url).model(OllamaItSettings.chatModel()).build();
    }

    @Test
    void unknownModelFallsBackToARealOne() {
        OllamaLlmClient llm = OllamaLlmClient.builder().baseUrl(url).model("ragkit-no-such-model:404")
                .fallbackModel(OllamaItSettings.chatModel()).build();
        Generation g = llm.generate(new LlmRequest(List.of(ChatMessage.user("Say hi.")), OptionalInt.of(8),
                OptionalDouble.of(0.0)));
        assertThat(g.model()).startsWith(OllamaItSettings.chatModel().split(":")[0]);
        assertThat(g.text()).isNotBlank();
    }
}
