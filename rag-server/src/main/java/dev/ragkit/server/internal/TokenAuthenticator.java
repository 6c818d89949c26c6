package dev.ragkit.server.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.server.RagServerProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks bearer tokens against the configured SHA-256 hashes. A presented token is hashed and compared with
 * every configured hash in constant time ({@link MessageDigest#isEqual}), without stopping at the first match,
 * so the time taken says nothing about which hash or how much of it matched. Tokens are never kept in plain text.
 */
public final class TokenAuthenticator {
    /** The prefix of a configured hash. */
    public static final String HASH_PREFIX = "sha256:";

    private final List<Entry> entries;

    private record Entry(byte[] hash, Principal principal) {
    }

    private TokenAuthenticator(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * The authenticator of the configured tokens.
     *
     * @throws RagConfigurationException listing every malformed token entry
     */
    public static TokenAuthenticator of(List<RagServerProperties.Token> tokens) {
        List<String> problems = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            RagServerProperties.Token token = tokens.get(i);
            String where = "ragkit.server.tokens[" + i + "]";
            String hash = token.getHash() == null ? "" : token.getHash().trim();
            byte[] digest = null;
            if (!hash.startsWith(HASH_PREFIX) || hash.length() != HASH_PREFIX.length() + 64) {
                problems.add(where + ".hash must be 'sha256:' and 64 hex digits (the SHA-256 of the token; "
                        + "./ragkit serve --hash-token <token> prints it), never the token itself");
            } else {
                try {
                    digest = HexFormat.of().parseHex(hash.substring(HASH_PREFIX.length()));
                } catch (IllegalArgumentException e) {
                    problems.add(where + ".hash has a character that is not a hex digit");
                }
            }
            Set<String> scopes = new LinkedHashSet<>();
            for (String scope : token.getScopes()) {
                String s = scope.trim();
                if (!Principal.ALL_SCOPES.contains(s)) {
                    problems.add(where + ".scopes has '" + s + "' but scopes are " + List.of(Principal.QUERY,
                            Principal.INGEST, Principal.ADMIN));
                }
                scopes.add(s);
            }
            if (scopes.isEmpty()) {
                problems.add(where + ".scopes is empty; give at least one of query, ingest, admin");
            }
            String tenant = token.getTenant() == null || token.getTenant().isBlank() ? null : token.getTenant().trim();
            String name = token.getName() == null || token.getName().isBlank() ? "token-" + i : token.getName();
            if (digest != null) {
                entries.add(new Entry(digest, new Principal(name, HexFormat.of().formatHex(digest), scopes,
                        Optional.ofNullable(tenant))));
            }
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
        return new TokenAuthenticator(entries);
    }

    /** The principal of {@code token}, or empty when no configured hash matches. */
    public Optional<Principal> authenticate(String token) {
        byte[] presented = sha256(token);
        Principal found = null;
        for (Entry entry : entries) {
            // Every entry is compared, each in constant time: no early exit on a match.
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** {@code sha256:<hex>} of {@code token}, as configured in {@code ragkit.server.tokens[*].hash}. */
    public static String hashOf(String token) {
        return HASH_PREFIX + HexFormat.of().formatHex(sha256(token));
    }

    /** A random token of 256 bits, URL-safe. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "rk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
