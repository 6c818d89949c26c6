package dev.ragkit.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.testing.ScriptedLlm;
import dev.ragkit.core.testing.TestProviders;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    private static final String TOKEN = "hf_SuperSecret-0042";

    /** {@code tokened}: an LLM whose {@code token} key is a credential; its id never carries the token. */
    static final class TokenedLlmProvider implements LlmClientProvider {
        @Override
        public String name() {
            return "tokened";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            String token = config.requiredSecret("token");
            config.validate();
            return ScriptedLlm.answering("tokened:m", "A " + (token.length()) + "-character token was used [1].");
        }
    }

    private static final ProviderRegistry REGISTRY = ProviderRegistry.of(List.of(new MemoryVectorStoreProvider(),
            new TestProviders.WordsEmbedderProvider(), new TokenedLlmProvider()));

    private final Secrets secrets = Secrets.of(new EnvSecretResolver(Map.of("HF_TOKEN", TOKEN + "\n")::get));

    @Test
    void literalsStayLiteralAndReferencesAreResolved(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("hf_token"), TOKEN + "\n");

        assertThat(secrets.resolve("k", TOKEN)).isEqualTo(TOKEN);
        assertThat(secrets.resolve("k", "user:pass")).isEqualTo("user:pass"); // not a scheme: a literal
        assertThat(secrets.resolve("k", "env:HF_TOKEN")).isEqualTo(TOKEN);
        assertThat(secrets.resolve("k", "file:" + file)).isEqualTo(TOKEN);
        assertThat(secrets.schemes()).containsExactly("env", "file");
    }

    @Test
    void unresolvableReferencesSayWhyAndNeverShowACredential(@TempDir Path dir) {
        assertThatThrownBy(() -> secrets.resolve("rag.llm.hf.token", "env:NOT_SET"))
                .isInstanceOf(RagConfigurationException.class).hasMessage("env:NOT_SET names an environment variable"
                        + " that is not set; export it before starting the host");
        assertThatThrownBy(() -> secrets.resolve("rag.llm.hf.token", "file:" + dir.resolve("absent")))
                .hasMessageEndingWith("absent does not exist");
        assertThatThrownBy(() -> secrets.resolve("rag.llm.hf.token", "vault:secret/data/rag#hf_token"))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.llm.hf.token is a vault: reference but no vault resolver is configured")
                .hasMessageContaining("dev.ragkit:rag-secrets-vault");
    }

    @Test
    void providerConfigRecordsProblemsWithoutValues() {
        ProviderConfig config = new ProviderConfig("llm", "hf", Map.of("rag.llm.hf.token", "env:MISSING",
                "rag.llm.hf.timeout", TOKEN), secrets);
        assertThat(config.secret("token")).isEmpty();
        assertThat(config.requiredSecret("api-key")).isNull();
        assertThat(config.problems()).containsExactly(
                "env:MISSING names an environment variable that is not set; export it before starting the host",
                "rag.llm.hf.api-key was not set but it is required");
        ProviderConfig literal = ProviderConfig.of("llm", "hf", Map.of("token", " " + TOKEN + " "));
        assertThat(literal.secret("token")).contains(TOKEN);
    }

    @Test
    void ragkitResolvesCredentialKeysAndKeepsThemOutOfErrorsAndMeters(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Ragkit rag = Ragkit.builder().registry(REGISTRY).meterRegistry(meters).config(Map.of(
                "rag.embedder", "words", "rag.llm", "tokened", "rag.llm.tokened.token", "file:" + file)).build()) {
            rag.ingestor().ingest(List.of(new Document("d", "Tokens authenticate calls to the model server.")));
            assertThat(rag.pipeline().ask("What authenticates calls?").text()).startsWith("A " + TOKEN.length());
            for (Meter meter : meters.getMeters()) {
                for (Tag tag : meter.getId().getTags()) {
                    assertThat(tag.getValue()).doesNotContain(TOKEN);
                }
            }
        }

        // A literal token next to a broken setting: the error lists the problem, never the token.
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.llm", "tokened",
                "rag.llm.tokened.token", TOKEN, "rag.llm.tokened.tokn", TOKEN, "rag.secret.nope.address", "x"), REGISTRY))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.llm.tokened.tokn is not a setting")
                .hasMessageContaining("rag.secret.nope.* is set but no SecretResolverProvider is named 'nope'")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> Ragkit.fromConfig(Map.of("rag.embedder", "words", "rag.llm", "tokened",
                "rag.llm.tokened.token", "file:" + dir.resolve("gone")), REGISTRY))
                .isInstanceOf(RagConfigurationException.class).hasMessageContaining("gone does not exist");
    }

    @Test
    void aConfigDumpMasksLiteralCredentialsAndKeepsReferences() {
        Map<String, String> dump = Secrets.redacted(Map.of(
                "rag.llm.hf.token", TOKEN,
                "rag.store.elastic.api-key", "vault:secret/data/rag#es_key",
                "rag.store.redisearch.password", "env:REDIS_PASSWORD",
                "rag.store.weaviate.api-key", "wv-" + TOKEN,
                "rag.secret.vault.secret-id", "s-" + TOKEN,
                "rag.llm.hf.model", "meta-llama/Llama-3.1-8B-Instruct"));

        assertThat(dump.toString()).doesNotContain(TOKEN);
        assertThat(dump).containsEntry("rag.llm.hf.token", "***")
                .containsEntry("rag.store.elastic.api-key", "vault:secret/data/rag#es_key")
                .containsEntry("rag.store.redisearch.password", "env:REDIS_PASSWORD")
                .containsEntry("rag.llm.hf.model", "meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void settingsOfAnUnknownSchemeAreReported() {
        List<String> problems = new ArrayList<>();
        Secrets.fromConfig(Map.of("rag.secret.vault.address", "http://127.0.0.1:1"), getClass().getClassLoader(),
                problems);
        assertThat(problems).singleElement().asString()
                .contains("no SecretResolverProvider is named 'vault'").contains("Add dev.ragkit:rag-secrets-vault");
    }
}
