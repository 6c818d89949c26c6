package dev.ragkit.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.secret.SecretResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code vault:<path>#<field>} references from HashiCorp Vault's KV version 2 secrets engine
 * over its HTTP API: {@code GET /v1/<path>} (e.g. {@code secret/data/rag}), field {@code <field>} of
 * the secret's {@code data.data}.
 *
 * <p>Authentication is a token, or an AppRole login ({@code POST /v1/auth/<mount>/login}) whose token
 * is renewed ({@code POST /v1/auth/token/renew-self}) once two thirds of its lease have passed, and
 * replaced by a new login when renewal fails or the token was revoked (403). Secrets are cached per
 * path for their lease ({@code lease_duration}; KV version 2 has none, so the configured cache TTL),
 * refreshed after two thirds of it (a renewable lease is renewed with {@code PUT /v1/sys/leases/renew});
 * when Vault cannot be reached a cached secret is served until its lease ends.
 *
 * <p>Failures: 403 (permission denied) and 404 (no such secret) are permanent, a sealed Vault (503),
 * 429, other 5xx and network failures are retriable, retried here first. Messages name the address,
 * the path and Vault's error text; never a token, secret id or secret value. Thread-safe.
 */
public final class VaultSecretResolver implements SecretResolver {
    private static final Logger LOG = LoggerFactory.getLogger(VaultSecretResolver.class);
    private static final String BACKEND = "vault";
    private static final String RENEW_SELF = "auth/token/renew-self";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI address;
    private final String staticToken;
    private final String roleId;
    private final String secretId;
    private final String appRoleMount;
    private final String namespace;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final int maxRetries;
    private final Duration backoff;
    private final Clock clock;
    private final HttpClient http;

    /** Guarded by {@code this}. */
    private String token;
    private Instant tokenRefreshAt;
    private Instant tokenExpiresAt;
    private boolean tokenRenewable;
    private final Map<String, Entry> cache = new HashMap<>();

    /** A secret's fields and the lease they hold. */
    private record Entry(Map<String, String> fields, Instant refreshAt, Instant expiresAt, String leaseId,
                         boolean renewable) {
    }

    private VaultSecretResolver(Builder b) {
        this.address = b.address;
        this.staticToken = b.token;
        this.roleId = b.roleId;
        this.secretId = b.secretId;
        this.appRoleMount = b.appRoleMount;
        this.namespace = b.namespace;
        this.timeout = b.timeout;
        this.cacheTtl = b.cacheTtl;
        this.maxRetries = b.maxRetries;
        this.backoff = b.backoff;
        this.clock = b.clock;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.token = b.token;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return "vault";
    }

    /**
     * The field that {@code reference} ({@code <path>#<field>}) names.
     *
     * @throws RagConfigurationException when the reference is malformed or the secret has no such field
     * @throws RagBackendException when Vault refuses (403, 404: permanent) or fails (sealed 503, 5xx,
     *     network: retriable)
     */
    @Override
    public synchronized String resolve(String reference) {
        int hash = reference.lastIndexOf('#');
        if (hash <= 0 || hash == reference.length() - 1) {
            throw new RagConfigurationException("vault:" + reference + " must be vault:<path>#<field>, e.g."
                    + " vault:secret/data/rag#hf_token");
        }
        String path = reference.substring(0, hash).replaceAll("^/+", "");
        String field = reference.substring(hash + 1);
        if (path.contains("..") || !path.matches("[A-Za-z0-9_./@+=-]+")) {
            throw new RagConfigurationException("vault:" + reference + " has a path with characters Vault paths"
                    + " do not use");
        }
        Entry entry = entry(path);
        String value = entry.fields().get(field);
        if (value == null) {
            throw new RagConfigurationException("vault:" + reference + " names no field: the secret at " + path
                    + " has the fields " + new TreeSet<>(entry.fields().keySet()));
        }
        return value;
    }

    /** The cached secret at {@code path}, read, renewed or refreshed as its lease requires. */
    private Entry entry(String path) {
        Instant now = clock.instant();
        Entry cached = cache.get(path);
        if (cached != null && now.isBefore(cached.refreshAt())) {
            return cached;
        }
        try {
            Entry fresh = cached != null && cached.renewable() && now.isBefore(cached.expiresAt())
                    ? renewLease(cached) : read(path);
            cache.put(path, fresh);
            return fresh;
        } catch (RagBackendException e) {
            if (cached != null && e.retriable() && now.isBefore(cached.expiresAt())) {
                LOG.warn("could not refresh vault:{} ({}); serving the cached secret until its lease ends at {}",
                        path, e.detail(), cached.expiresAt());
                return cached;
            }
            throw e;
        }
    }

    private Entry read(String path) {
        JsonNode body = call("GET", path, null, true);
        JsonNode data = body.path("data").path("data");
        if (!data.isObject()) {
            boolean deleted = !body.path("data").path("metadata").path("deletion_time").asText("").isEmpty();
            throw RagBackendException.permanent(BACKEND, address + " returned no data for " + path
                    + (deleted ? ": its latest version is deleted" : "; is it a KV version 2 path (<mount>/data/<name>)?"),
                    null);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            fields.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
        }
        return lease(Map.copyOf(fields), body);
    }

    private Entry renewLease(Entry cached) {
        ObjectNode payload = JSON.createObjectNode().put("lease_id", cached.leaseId());
        JsonNode body = call("PUT", "sys/leases/renew", payload, true);
        return lease(cached.fields(), body);
    }

    /** An entry holding {@code fields} for the lease {@code body} describes, or the cache TTL without one. */
    private Entry lease(Map<String, String> fields, JsonNode body) {
        long seconds = body.path("lease_duration").asLong(0);
        Duration ttl = seconds > 0 ? Duration.ofSeconds(seconds) : cacheTtl;
        Instant now = clock.instant();
        String leaseId = body.path("lease_id").asText("");
        boolean renewable = body.path("renewable").asBoolean(false) && !leaseId.isEmpty();
        return new Entry(fields, now.plus(ttl.multipliedBy(2).dividedBy(3)), now.plus(ttl), leaseId, renewable);
    }

    /** The token to send, logging in or renewing first when the AppRole token needs it. */
    private String token() {
        if (roleId == null) {
            return staticToken;
        }
        Instant now = clock.instant();
        if (token != null && (tokenRefreshAt == null || now.isBefore(tokenRefreshAt))) {
            return token;
        }
        if (token != null && tokenRenewable && now.isBefore(tokenExpiresAt)) {
            try {
                adopt(call("POST", RENEW_SELF, JSON.createObjectNode(), true).path("auth"), false);
                return token;
            } catch (RagBackendException e) {
                LOG.info("renewing the Vault token failed ({}); logging in with the AppRole again", e.detail());
            }
        }
        login();
        return token;
    }

    private void login() {
        ObjectNode payload = JSON.createObjectNode().put("role_id", roleId);
        if (secretId != null) {
            payload.put("secret_id", secretId);
        }
        JsonNode auth = call("POST", "auth/" + appRoleMount + "/login", payload, false).path("auth");
        adopt(auth, true);
    }

    private void adopt(JsonNode auth, boolean login) {
        String clientToken = auth.path("client_token").asText("");
        if (clientToken.isEmpty()) {
            throw RagBackendException.permanent(BACKEND, address + " answered the " + (login ? "AppRole login"
                    : "token renewal") + " without auth.client_token", null);
        }
        long seconds = auth.path("lease_duration").asLong(0);
        Instant now = clock.instant();
        token = clientToken;
        tokenRenewable = auth.path("renewable").asBoolean(false);
        tokenExpiresAt = seconds > 0 ? now.plusSeconds(seconds) : null;
        tokenRefreshAt = seconds > 0 ? now.plus(Duration.ofSeconds(seconds).multipliedBy(2).dividedBy(3)) : null;
    }

    /**
     * One Vault API call, retried on retriable failures. With {@code authenticated}, a 403 with an
     * AppRole token logs in again once (the token may have been revoked) before it is reported.
     */
    private JsonNode call(String method, String path, JsonNode payload, boolean authenticated) {
        boolean relogged = false;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = exchange(method, path, payload, authenticated);
            } catch (RagBackendException e) {
                if (attempt >= maxRetries) {
                    throw e;
                }
                sleep(backoff.multipliedBy(1L << attempt));
                continue;
            }
            int status = response.statusCode();
            if (status == 200 || status == 204) {
                return body(response, path);
            }
            if (status == 403 && authenticated && roleId != null && !relogged && !path.startsWith("auth/")) {
                relogged = true;
                login();
                attempt--;
                continue;
            }
            RagBackendException failure = failure(status, response.body(), path);
            if (!failure.retriable() || attempt >= maxRetries) {
                throw failure;
            }
            sleep(backoff.multipliedBy(1L << attempt));
        }
    }

    private HttpResponse<String> exchange(String method, String path, JsonNode payload, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/v1/" + path)).timeout(timeout)
                .header("X-Vault-Request", "true")
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload.toString(), StandardCharsets.UTF_8));
        if (payload != null) {
            request.header("Content-Type", "application/json");
        }
        if (authenticated) {
            // Renewal sends the token being renewed; anything else first makes sure the token is fresh.
            request.header("X-Vault-Token", path.equals(RENEW_SELF) ? token : token());
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RagBackendException.retriable(BACKEND, "could not reach Vault at " + address + " ("
                    + e.getClass().getSimpleName() + "); check rag.secret.vault.address and that Vault is up", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RagBackendException.retriable(BACKEND, "interrupted while calling Vault at " + address, null);
        }
    }

    private JsonNode body(HttpResponse<String> response, String path) {
        try {
            return response.statusCode() == 204 || response.body().isBlank() ? JSON.createObjectNode()
                    : JSON.readTree(response.body());
        } catch (IOException e) {
            throw RagBackendException.permanent(BACKEND, address + " answered " + path + " with a body that is"
                    + " not JSON", null);
        }
    }

    private RagBackendException failure(int status, String body, String path) {
        String what = path.startsWith("auth/") ? path : "reading " + path;
        String base = address + " refused " + what + " (" + status + ")" + errors(body);
        return switch (status) {
            case 403 -> RagBackendException.permanent(BACKEND, base + ": permission denied; check the token or"
                    + " AppRole and that its policy grants read on " + path, null);
            case 404 -> RagBackendException.permanent(BACKEND, base + ": nothing at this path; KV version 2"
                    + " secrets are read at <mount>/data/<name>", null);
            case 400 -> RagBackendException.permanent(BACKEND, base + ": bad request", null);
            case 503 -> RagBackendException.retriable(BACKEND, base + ": Vault is sealed or unavailable; unseal it"
                    + " or wait for a standby to take over", null);
            default -> status == 429 || status >= 500 ? RagBackendException.retriable(BACKEND, base, null)
                    : RagBackendException.permanent(BACKEND, base, null);
        };
    }

    /** Vault's {@code errors} array, which names the problem and never echoes credentials. */
    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> texts = new ArrayList<>();
            errors.forEach(e -> texts.add(e.asText()));
            String joined = String.join("; ", texts);
            return joined.isEmpty() ? "" : ": " + (joined.length() > 300 ? joined.substring(0, 300) + "..." : joined);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RagBackendException.retriable(BACKEND, "interrupted while waiting to retry Vault", e);
        }
    }

    /** Forgets the cached secrets and token. */
    @Override
    public synchronized void close() {
        cache.clear();
        token = staticToken;
    }

    @Override
    public String toString() {
        return "VaultSecretResolver[" + address + ", " + (roleId != null ? "approle" : "token")
                + (namespace != null ? ", namespace " + namespace : "") + "]";
    }

    /** Settings of a {@link VaultSecretResolver}. */
    public static final class Builder {
        private URI address;
        private String token;
        private String roleId;
        private String secretId;
        private String appRoleMount = "approle";
        private String namespace;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration cacheTtl = Duration.ofMinutes(5);
        private int maxRetries = 2;
        private Duration backoff = Duration.ofMillis(200);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Vault's address, e.g. {@code https://vault.example:8200}; required. */
        public Builder address(URI address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Authenticates with this token. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Authenticates by AppRole login; {@code secretId} may be null for a role that does not bind one. */
        public Builder appRole(String roleId, String secretId) {
            this.roleId = roleId;
            this.secretId = secretId;
            return this;
        }

        /** Where the AppRole method is mounted (default {@code approle}). */
        public Builder appRoleMount(String mount) {
            this.appRoleMount = Objects.requireNonNull(mount, "mount");
            return this;
        }

        /** The Vault Enterprise namespace, sent as {@code X-Vault-Namespace}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Connect and request timeout (default 10s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a secret without a lease (all KV version 2 secrets) is cached (default 5m). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Retries of a retriable failure (default 2), after {@code backoff}, doubled each time (default 200ms). */
        public Builder retries(int maxRetries, Duration backoff) {
            this.maxRetries = maxRetries;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws InvalidInputException naming every problem */
        public VaultSecretResolver build() {
            List<String> problems = new ArrayList<>();
            if (address == null) {
                problems.add("a Vault address is required, e.g. https://vault.example:8200");
            } else if (!"http".equals(address.getScheme()) && !"https".equals(address.getScheme())
                    || address.getHost() == null) {
                problems.add("the Vault address was '" + address + "' but it must be an http(s) URL");
            }
            if ((token == null) == (roleId == null)) {
                problems.add("give exactly one of a Vault token and an AppRole role id");
            }
            if (token != null && token.isBlank() || roleId != null && roleId.isBlank()) {
                problems.add("the Vault token or role id was blank");
            }
            if (!appRoleMount.matches("[A-Za-z0-9_./-]+")) {
                problems.add("the AppRole mount was '" + appRoleMount + "' but it must be a Vault path");
            }
            if (timeout.isNegative() || timeout.isZero() || cacheTtl.isNegative() || cacheTtl.isZero()) {
                problems.add("timeout and cache TTL must be positive");
            }
            if (maxRetries < 0 || backoff.isNegative()) {
                problems.add("retries must be >= 0 and the backoff not negative");
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException(String.join("; ", problems));
            }
            return new VaultSecretResolver(this);
        }
    }
}
