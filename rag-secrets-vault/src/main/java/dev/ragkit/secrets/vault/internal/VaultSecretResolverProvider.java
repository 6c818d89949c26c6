package dev.ragkit.secrets.vault.internal;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.secret.SecretResolver;
import dev.ragkit.core.secret.SecretResolverProvider;
import dev.ragkit.secrets.vault.VaultSecretResolver;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * {@code vault}: keys {@code rag.secret.vault.address} (required), {@code token}, or {@code role-id} and
 * {@code secret-id} (AppRole), {@code approle-mount} (approle), {@code namespace}, {@code timeout} (10s),
 * {@code cache-ttl} (5m), {@code max-retries} (2). The token and secret id may be {@code env:} or
 * {@code file:} references.
 */
public final class VaultSecretResolverProvider implements SecretResolverProvider {
    @Override
    public String name() {
        return "vault";
    }

    @Override
    public SecretResolver create(ProviderConfig config) {
        String address = config.required("address");
        String token = config.secret("token").orElse(null);
        String roleId = config.string("role-id", null);
        String secretId = config.secret("secret-id").orElse(null);
        String mount = config.string("approle-mount", "approle");
        String namespace = config.string("namespace", null);
        Duration timeout = config.duration("timeout", Duration.ofSeconds(10));
        Duration cacheTtl = config.duration("cache-ttl", Duration.ofMinutes(5));
        int maxRetries = config.integer("max-retries", 2);
        URI uri = null;
        if (address != null) {
            try {
                uri = new URI(address);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    config.problem("address", address, "must be an http(s) URL such as https://vault.example:8200");
                }
            } catch (URISyntaxException e) {
                config.problem("address", address, "must be an http(s) URL such as https://vault.example:8200");
            }
        }
        if ((token == null) == (roleId == null)) {
            config.problem("token", token == null ? "(not set)" : "(hidden)", "must be set, or "
                    + config.fullKey("role-id") + " (with " + config.fullKey("secret-id") + "), but not both");
        }
        if (secretId != null && roleId == null) {
            config.problem("secret-id", "(hidden)", "needs " + config.fullKey("role-id"));
        }
        if (maxRetries < 0) {
            config.problem("max-retries", maxRetries, "must be >= 0");
        }
        config.validate();
        VaultSecretResolver.Builder builder = VaultSecretResolver.builder().address(uri).appRoleMount(mount)
                .namespace(namespace).timeout(timeout).cacheTtl(cacheTtl).retries(maxRetries, Duration.ofMillis(200));
        if (token != null) {
            builder.token(token);
        } else {
            builder.appRole(roleId, secretId);
        }
        try {
            return builder.build();
        } catch (InvalidInputException e) {
            config.problem("address", address, "could not configure Vault: " + e.getMessage());
            config.validate();
            throw e;
        }
    }
}
