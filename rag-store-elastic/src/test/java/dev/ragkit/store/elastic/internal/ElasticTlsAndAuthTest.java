package dev.ragkit.store.elastic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.IndexMapping;
import dev.ragkit.store.elastic.internal.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection's TLS and credentials on the wire, which the integration node (security off) cannot show: an
 * HTTPS endpoint with a certificate made here by {@code keytool} answers the few calls a store makes as
 * Elasticsearch does (product header, 401 with a Basic challenge), and records the {@code Authorization}
 * header it got. It checks that the CA file is trusted, that a server the CA did not sign fails with an error
 * naming {@code ca-file}, that API keys and basic credentials are sent, and that a refused credential is
 * reported without being echoed. The store's behaviour against a real server is the ITs' business.
 */
class ElasticTlsAndAuthTest {
    private static final String KEY = "aWQ6c2VjcmV0LWtleQ==";
    private static final String USER = "ingest";
    private static final String PASSWORD = "hunter2-secret";

    @TempDir
    Path dir;

    private HttpsServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private Path caFile;

    @BeforeEach
    void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        caFile = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::answer);
        server.start();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Answers as Elasticsearch would for a store on an existing index: exists, mapping, count. */
    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "none" : auth);
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        boolean allowed = ("ApiKey " + KEY).equals(auth) || ("Basic " + java.util.Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8))).equals(auth);
        if (!allowed) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\", ApiKey");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            send(exchange, 401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate\"},"
                    + "\"status\":401}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        } else if (path.endsWith("/_mapping")) {
            ObjectNode body = IndexMapping.createBody(ElasticDialect.INSTANCE, 4, IndexOptions.defaults());
            send(exchange, 200, Json.write(Json.object("tls-index", Json.object("mappings", body.get("mappings")))));
        } else if (path.endsWith("/_count")) {
            send(exchange, 200, "{\"count\":3,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}");
        } else {
            send(exchange, 404, "{\"error\":{\"type\":\"not_found\",\"reason\":\"" + path + "\"},\"status\":404}");
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private VectorStore open(ClusterConnection.Builder connection) {
        return ElasticVectorStore.builder().connection(connection.retries(0, Duration.ZERO).build()).index("tls-index")
                .dimension(4).createIndex(false).build();
    }

    @Test
    void anApiKeyOverTlsTrustingTheCaFile() {
        try (VectorStore store = open(ClusterConnection.builder().url(url()).caFile(caFile).apiKey(KEY))) {
            assertThat(store.count()).isEqualTo(3);
        }
        assertThat(authorizations).isNotEmpty().allMatch(("ApiKey " + KEY)::equals);
    }

    @Test
    void basicCredentialsAnswerTheServersChallenge() {
        try (VectorStore store = open(ClusterConnection.builder().url(url()).caFile(caFile).basicAuth(USER, PASSWORD))) {
            assertThat(store.count()).isEqualTo(3);
        }
        assertThat(authorizations).last().asString().startsWith("Basic ");
    }

    @Test
    void aServerTheCaDidNotSignFailsNamingTheCaFileKey() {
        assertThatThrownBy(() -> open(ClusterConnection.builder().url(url()).apiKey(KEY)))
                .isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("TLS", "rag.store.elastic.ca-file")
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isFalse());
        assertThat(authorizations).as("nothing reached the server").isEmpty();
    }

    @Test
    void aRefusedKeyIsReportedWithoutEchoingIt() {
        String wrong = "d3Jvbmc6a2V5";
        assertThatThrownBy(() -> open(ClusterConnection.builder().url(url()).caFile(caFile).apiKey(wrong)))
                .isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("refused the credentials", "an API key", "rag.store.elastic.api-key", "401")
                .hasMessageNotContaining(wrong)
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isFalse());
    }
}
