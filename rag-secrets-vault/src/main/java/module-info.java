/** HashiCorp Vault (KV version 2) as a source of Ragkit's credentials: {@code vault:path#field} references. */
module dev.ragkit.secrets.vault {
    exports dev.ragkit.secrets.vault;

    requires transitive dev.ragkit.core;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    provides dev.ragkit.core.secret.SecretResolverProvider
            with dev.ragkit.secrets.vault.internal.VaultSecretResolverProvider;
}
