package dev.ragkit.server.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The caller of a request, as its token says.
 *
 * @param name the token's configured name (for logs; never the token)
 * @param key a stable key for per-token state (rate limits, idempotency keys): the token's hash, not the token
 * @param scopes what the token may do
 * @param tenant the only tenant whose documents the token reads and writes; empty: every document
 */
public record Principal(String name, String key, Set<String> scopes, Optional<String> tenant) {
    public static final String QUERY = "query";
    public static final String INGEST = "ingest";
    public static final String ADMIN = "admin";
    public static final Set<String> ALL_SCOPES = Set.of(QUERY, INGEST, ADMIN);

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(tenant, "tenant");
    }

    /** Whether the token may do what {@code scope} covers; admin covers every scope. */
    public boolean allows(String scope) {
        return scopes.contains(scope) || scopes.contains(ADMIN);
    }
}
