package dev.ragkit.secrets.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Vault's HTTP API, shaped as Vault's API documentation describes it
 * (developer.hashicorp.com/vault/api-docs): KV v2 read {@code GET /v1/<mount>/data/<name>}, AppRole login
 * {@code POST /v1/auth/approle/login}, {@code POST /v1/auth/token/renew-self}, {@code PUT /v1/sys/leases/renew};
 * errors as {@code {"errors":[...]}} with 400, 403, 404 and 503 (sealed). Listens on a free loopback port.
 */
final class VaultStub implements AutoCloseable {
    static final String ROLE_ID = "role-7f3a";
    static final String SECRET_ID = "secret-id-do-not-leak-91c2";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** KV v2 secrets by API path, e.g. {@code secret/data/rag}. */
    final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    /** Tokens Vault accepts. */
    final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger logins = new AtomicInteger();
    volatile boolean sealed;
    volatile long loginTtlSeconds = 3600;

    VaultStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring("/v1/".length());
            String method = ex.getRequestMethod();
            calls.add(method + " " + path);
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!"true".equals(ex.getRequestHeaders().getFirst("X-Vault-Request"))) {
                respond(ex, 400, "{\"errors\":[\"missing X-Vault-Request header\"]}");
                return;
            }
            if (sealed) {
                respond(ex, 503, "{\"errors\":[\"Vault is sealed\"]}");
                return;
            }
            if (method.equals("POST") && path.equals("auth/approle/login")) {
                JsonNode login = JSON.readTree(body);
                if (!ROLE_ID.equals(login.path("role_id").asText()) || !SECRET_ID.equals(login.path("secret_id").asText())) {
                    respond(ex, 400, "{\"errors\":[\"invalid role or secret ID\"]}");
                    return;
                }
                String token = "hvs.approle-" + logins.incrementAndGet();
                validTokens.add(token);
                respond(ex, 200, auth(token));
                return;
            }
            String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
            if (token == null || !validTokens.contains(token)) {
                respond(ex, 403, "{\"errors\":[\"permission denied\"]}");
                return;
            }
            if (method.equals("POST") && path.equals("auth/token/renew-self")) {
                respond(ex, 200, auth(token));
                return;
            }
            if (method.equals("GET") && path.contains("/data/")) {
                Map<String, String> data = secrets.get(path);
                if (data == null) {
                    respond(ex, 404, "{\"errors\":[]}");
                    return;
                }
                var root = JSON.createObjectNode();
                root.put("request_id", "5e0b2b2c-0000-4000-8000-000000000000").put("lease_id", "")
                        .put("renewable", false).put("lease_duration", 0);
                var d = root.putObject("data");
                var fields = d.putObject("data");
                data.forEach(fields::put);
                d.putObject("metadata").put("created_time", "2026-12-05T12:00:00.000000Z")
                        .put("deletion_time", "").put("destroyed", false).put("version", 1);
                root.putNull("wrap_info").putNull("warnings").putNull("auth");
                respond(ex, 200, root.toString());
                return;
            }
            respond(ex, 404, "{\"errors\":[]}");
        }
    }

    private String auth(String token) {
        var root = JSON.createObjectNode();
        root.put("request_id", "7a1c0000-0000-4000-8000-000000000000").put("lease_id", "").put("renewable", false)
                .put("lease_duration", 0).putNull("data").putNull("wrap_info").putNull("warnings");
        var auth = root.putObject("auth");
        auth.put("client_token", token).put("accessor", "acc-" + token.hashCode());
        auth.putArray("policies").add("default").add("rag-read");
        auth.putObject("metadata").put("role_name", "rag");
        auth.put("lease_duration", loginTtlSeconds).put("renewable", true).put("entity_id", "e-1")
                .put("token_type", "service").put("orphan", true);
        return root.toString();
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
