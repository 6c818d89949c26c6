package dev.ragkit.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.secret.SecretResolver;
import dev.ragkit.core.secret.Secrets;
import dev.ragkit.secrets.vault.internal.VaultSecretResolverProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultSecretResolverTest {
    private static final String HF_TOKEN = "hf_live_9b7e-never-in-a-message";
    private static final String ROOT_TOKEN = "hvs.root-token-never-in-a-message";

    private VaultStub vault;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T13:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void start() throws Exception {
        vault = new VaultStub();
        vault.secrets.put("secret/data/rag", Map.of("hf_token", HF_TOKEN, "es_key", "es-key-1"));
        vault.validTokens.add(ROOT_TOKEN);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultSecretResolver.Builder resolver() {
        return VaultSecretResolver.builder().address(vault.address()).clock(clock).retries(1, Duration.ZERO);
    }

    @Test
    void readsAKvVersion2FieldWithATokenAndCachesItForTheCacheTtl() {
        VaultSecretResolver r = resolver().token(ROOT_TOKEN).cacheTtl(Duration.ofMinutes(3)).build();

        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        assertThat(r.resolve("secret/data/rag#es_key")).isEqualTo("es-key-1");
        assertThat(vault.calls).containsExactly("GET secret/data/rag");

        vault.secrets.put("secret/data/rag", Map.of("hf_token", "rotated", "es_key", "es-key-1"));
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        // Two thirds of the TTL: read again, and the rotated value is seen.
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo("rotated");
        assertThat(vault.calls).containsExactly("GET secret/data/rag", "GET secret/data/rag");
        assertThat(r.toString()).doesNotContain(ROOT_TOKEN).contains("token");
    }

    @Test
    void logsInWithAnAppRoleAndRenewsItsTokenBeforeTheLeaseEnds() {
        vault.loginTtlSeconds = 60;
        VaultSecretResolver r = resolver().appRole(VaultStub.ROLE_ID, VaultStub.SECRET_ID)
                .cacheTtl(Duration.ofSeconds(30)).build();

        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        now.set(now.get().plusSeconds(45)); // past 2/3 of both the token's and the secret's lease
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);

        assertThat(vault.calls).containsExactly("POST auth/approle/login", "GET secret/data/rag",
                "POST auth/token/renew-self", "GET secret/data/rag");
        assertThat(vault.logins).hasValue(1);
        assertThat(r.toString()).doesNotContain(VaultStub.SECRET_ID).contains("approle");
    }

    @Test
    void aRevokedAppRoleTokenLogsInAgain() {
        VaultSecretResolver r = resolver().appRole(VaultStub.ROLE_ID, VaultStub.SECRET_ID)
                .cacheTtl(Duration.ofSeconds(3)).build();
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        vault.validTokens.clear(); // revoked
        now.set(now.get().plusSeconds(10));

        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        assertThat(vault.logins).hasValue(2);
    }

    @Test
    void permissionDeniedIsPermanentAndNamesThePathNotTheToken() {
        VaultSecretResolver r = resolver().token("hvs.wrong-token-never-in-a-message").build();

        assertThatThrownBy(() -> r.resolve("secret/data/rag#hf_token"))
                .isInstanceOfSatisfying(RagBackendException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageContaining("(403): permission denied")
                .hasMessageContaining("secret/data/rag")
                .hasMessageNotContaining("never-in-a-message");
        assertThat(vault.calls).hasSize(1); // not retried
    }

    @Test
    void aSealedVaultIsRetriableAndACachedSecretIsServedUntilItsLeaseEnds() {
        VaultSecretResolver r = resolver().token(ROOT_TOKEN).cacheTtl(Duration.ofMinutes(3)).build();
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
        vault.sealed = true;

        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(r.resolve("secret/data/rag#hf_token")).isEqualTo(HF_TOKEN); // stale but within the lease
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThatThrownBy(() -> r.resolve("secret/data/rag#hf_token"))
                .isInstanceOfSatisfying(RagBackendException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("(503): Vault is sealed")
                .hasMessageNotContaining(HF_TOKEN).hasMessageNotContaining(ROOT_TOKEN);

        VaultSecretResolver fresh = resolver().token(ROOT_TOKEN).build();
        assertThatThrownBy(() -> fresh.resolve("secret/data/rag#hf_token")).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("unseal it");
        long sealedCalls = vault.calls.stream().filter(c -> c.equals("GET secret/data/rag")).count();
        assertThat(sealedCalls).isEqualTo(1 + 2 + 2 + 2); // first read, then each failure tried twice
    }

    @Test
    void aMissingSecretOrFieldSaysWhatExists() {
        VaultSecretResolver r = resolver().token(ROOT_TOKEN).build();

        assertThatThrownBy(() -> r.resolve("secret/data/nope#x")).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("(404)").hasMessageContaining("<mount>/data/<name>");
        assertThatThrownBy(() -> r.resolve("secret/data/rag#hf_tokn")).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("has the fields [es_key, hf_token]")
                .hasMessageNotContaining(HF_TOKEN);
        assertThatThrownBy(() -> r.resolve("secret/data/rag")).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("vault:<path>#<field>");
    }

    @Test
    void theProviderReadsItsKeysWithTheTokenFromTheEnvironmentAndNeverEchoesCredentials() {
        Map<String, String> env = Map.of("VAULT_TOKEN", ROOT_TOKEN);
        Map<String, String> config = Map.of(
                "rag.secret.vault.address", vault.address().toString(),
                "rag.secret.vault.token", "env:VAULT_TOKEN",
                "rag.llm.hf.token", "vault:secret/data/rag#hf_token");
        Secrets base = Secrets.of(new dev.ragkit.core.secret.EnvSecretResolver(env::get));
        SecretResolver vaultResolver = new VaultSecretResolverProvider().create(
                new ProviderConfig("secret", "vault", config, base));
        Secrets secrets = Secrets.of(new dev.ragkit.core.secret.EnvSecretResolver(env::get), vaultResolver);

        ProviderConfig hf = new ProviderConfig("llm", "hf", config, secrets);
        assertThat(hf.secret("token")).contains(HF_TOKEN);
        hf.validate();

        ProviderConfig bad = new ProviderConfig("llm", "hf", Map.of("rag.llm.hf.token",
                "vault:secret/data/rag#missing"), secrets);
        assertThat(bad.secret("token")).isEmpty();
        assertThat(bad.problems()).singleElement().asString().contains("vault:secret/data/rag#missing")
                .doesNotContain(HF_TOKEN).doesNotContain(ROOT_TOKEN);

        assertThatThrownBy(() -> new VaultSecretResolverProvider().create(new ProviderConfig("secret", "vault",
                Map.of("rag.secret.vault.address", "vault.example", "rag.secret.vault.token", ROOT_TOKEN,
                        "rag.secret.vault.role-id", "r"), base)))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).hasSize(2))
                .hasMessageContaining("rag.secret.vault.address was 'vault.example' but it must be an http(s) URL")
                .hasMessageNotContaining(ROOT_TOKEN);
    }

    @Test
    void ragkitFindsTheVaultResolverThroughServiceLoader() {
        List<String> problems = new ArrayList<>();
        try (Secrets secrets = Secrets.fromConfig(Map.of("rag.secret.vault.address", vault.address().toString(),
                "rag.secret.vault.token", ROOT_TOKEN), getClass().getClassLoader(), problems)) {
            assertThat(problems).isEmpty();
            assertThat(secrets.schemes()).containsExactly("env", "file", "vault");
            assertThat(secrets.resolve("rag.llm.hf.token", "vault:secret/data/rag#hf_token")).isEqualTo(HF_TOKEN);
            assertThat(secrets.resolve("rag.llm.hf.token", "hf_literal")).isEqualTo("hf_literal");
        }
        Secrets.fromConfig(Map.of("rag.secret.vault.adress", "x"), getClass().getClassLoader(), problems);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("rag.secret.vault.address was not set"));
    }
}
