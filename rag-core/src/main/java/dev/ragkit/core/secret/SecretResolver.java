package dev.ragkit.core.secret;

/**
 * Turns a reference such as {@code vault:secret/data/rag#hf_token} into the credential it names, for
 * the provider keys that hold one (API keys, tokens, passwords). One resolver per scheme (the text
 * before the first colon). Implementations are thread-safe, may cache, and never put a credential in
 * an exception message, a log line or {@code toString()}: only the reference may appear.
 */
public interface SecretResolver extends AutoCloseable {
    /** The scheme this resolver handles, lowercase {@code [a-z0-9-]}, e.g. {@code vault}. */
    String scheme();

    /**
     * The credential {@code reference} names (the text after {@code <scheme>:}).
     *
     * @throws dev.ragkit.core.RagConfigurationException when the reference is malformed or names nothing
     * @throws dev.ragkit.core.RagBackendException when the secret store cannot be read (retriable or not)
     */
    String resolve(String reference);

    /** Releases what the resolver holds (HTTP clients, cached credentials). Does nothing by default. */
    @Override
    default void close() {
    }
}
