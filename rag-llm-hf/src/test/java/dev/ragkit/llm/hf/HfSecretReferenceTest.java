package dev.ragkit.llm.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.secret.EnvSecretResolver;
import dev.ragkit.core.secret.Secrets;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.llm.hf.internal.HfLlmClientProvider;
import dev.ragkit.llm.http.StubServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rag.llm.hf.token} as an env:/file: reference: the resolved token is sent, and never shown. */
class HfSecretReferenceTest {
    private static final String CHAT = "/v1/chat/completions";
    private final StubServer server = StubServer.start();
    private final Secrets secrets = Secrets.of(new EnvSecretResolver(Map.of("HF_TOKEN", HfFake.TOKEN)::get));

    @AfterEach
    void stop() {
        server.close();
    }

    private LlmClient client(String token) {
        ProviderConfig config = new ProviderConfig("llm", "hf", Map.of("rag.llm.hf.api-base", server.url() + "/v1",
                "rag.llm.hf.model", "m", "rag.llm.hf.token", token, "rag.llm.hf.retries", "0"), secrets);
        return new HfLlmClientProvider().create(config);
    }

    private static LlmRequest hi() {
        return LlmRequest.of(List.of(ChatMessage.user("hi")));
    }

    @Test
    void anEnvReferenceSendsTheResolvedToken() {
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        try (LlmClient llm = client("env:HF_TOKEN")) {
            assertThat(llm.generate(hi()).text()).isNotBlank();
            assertThat(llm.toString()).doesNotContain(HfFake.TOKEN);
        }
        assertThat(server.requests(CHAT)).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + HfFake.TOKEN));
    }

    @Test
    void aRejectedTokenFromAFileIsNotInTheBackendError(@TempDir Path dir) throws Exception {
        String wrong = "hf_fromFileButWrong777";
        Path file = Files.writeString(dir.resolve("hf_token"), wrong + "\n");
        server.otherwise(CHAT, HfFake.chat(HfFake.TOKEN));

        try (LlmClient llm = client("file:" + file)) {
            RagBackendException e = catchThrowableOfType(RagBackendException.class, () -> llm.generate(hi()));
            assertThat(e.getMessage()).contains("HTTP 401").doesNotContain(wrong);
            assertThat(llm.toString()).doesNotContain(wrong);
        }
    }
}
