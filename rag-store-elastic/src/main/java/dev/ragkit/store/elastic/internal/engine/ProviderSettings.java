package dev.ragkit.store.elastic.internal.engine;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The keys both providers read under {@code rag.store.<name>.}, read once: {@code url} (required;
 * comma-separated for several nodes), {@code index} (default {@code ragkit}), {@code api-key}, or
 * {@code username} and {@code password}, {@code ca-file}, {@code connect-timeout} (5s), {@code socket-timeout}
 * (60s), {@code retries} (3), {@code backoff} (200ms), {@code language} ({@code standard}, {@code english},
 * {@code french}), {@code hnsw-m} (16), {@code hnsw-ef-construction} (100), {@code vector-index-type},
 * {@code num-candidates} (100), {@code shards} (1), {@code replicas} (0), {@code bulk-size} (500),
 * {@code refresh-after-write} (true), {@code create-index} (true), {@code live-refresh} (1s).
 *
 * <p>Every problem is recorded under its own key (never with a credential's value); the caller validates.
 *
 * @param connection the connection, or null when any key had a problem
 * @param options the index options, or null when any key had a problem
 */
public record ProviderSettings(ClusterConnection connection, IndexOptions options, String index, boolean createIndex,
                               Duration liveRefresh) {

    /**
     * Reads every key of {@code config}.
     *
     * @param defaults the provider's default index options (its default vector index type among them)
     * @param product the server's name for messages, e.g. {@code OpenSearch}
     */
    public static ProviderSettings read(ProviderConfig config, IndexOptions defaults, String product) {
        String url = config.required("url");
        String index = config.string("index", "ragkit");
        String apiKey = config.secret("api-key").orElse(null);
        String username = config.string("username", null);
        String password = config.secret("password").orElse(null);
        Path caFile = config.path("ca-file", null);
        Duration connectTimeout = config.duration("connect-timeout", ClusterConnection.DEFAULT_CONNECT_TIMEOUT);
        Duration socketTimeout = config.duration("socket-timeout", ClusterConnection.DEFAULT_SOCKET_TIMEOUT);
        int retries = config.integer("retries", ClusterConnection.DEFAULT_RETRIES);
        Duration backoff = config.duration("backoff", ClusterConnection.DEFAULT_BACKOFF);
        String language = config.oneOf("language", defaults.language(), IndexOptions.LANGUAGES);
        int m = config.integer("hnsw-m", defaults.m());
        int ef = config.integer("hnsw-ef-construction", defaults.efConstruction());
        String type = config.oneOf("vector-index-type", defaults.vectorIndexType(), IndexOptions.VECTOR_INDEX_TYPES);
        int candidates = config.integer("num-candidates", defaults.numCandidates());
        int shards = config.integer("shards", defaults.shards());
        int replicas = config.integer("replicas", defaults.replicas());
        int bulkSize = config.integer("bulk-size", defaults.bulkSize());
        boolean refresh = config.bool("refresh-after-write", defaults.refreshAfterWrite());
        boolean create = config.bool("create-index", true);
        Duration liveRefresh = config.duration("live-refresh", Duration.ofSeconds(1));

        if (url != null) {
            for (String one : url.split(",")) {
                String u = one.trim();
                if (!u.isEmpty() && !u.matches("(?i)https?://[^/\\s:]+(:\\d+)?/?")) {
                    config.problem("url", u, "must be an http:// or https:// URL such as http://127.0.0.1:9200");
                }
            }
        }
        if (apiKey != null && apiKey.isBlank()) {
            config.problem("api-key", "", "must not be blank; leave it unset for no API key");
        }
        if (apiKey != null && username != null) {
            config.problem("username", username, "cannot be set together with " + config.fullKey("api-key"));
        }
        if ((username == null) != (password == null)) {
            config.problem(username == null ? "password" : "username", username == null ? "(hidden)" : username,
                    "needs " + config.fullKey(username == null ? "username" : "password") + " too");
        }
        if (caFile != null && !Files.isRegularFile(caFile)) {
            config.problem("ca-file", caFile, "must name an existing PEM file");
        }
        positive(config, "connect-timeout", connectTimeout);
        positive(config, "socket-timeout", socketTimeout);
        range(config, "retries", retries, 0, 100);
        if (backoff.isNegative()) {
            config.problem("backoff", backoff, "must be >= 0");
        }
        range(config, "hnsw-m", m, 2, 512);
        range(config, "hnsw-ef-construction", ef, 1, 3200);
        range(config, "num-candidates", candidates, 1, 10_000);
        range(config, "shards", shards, 1, 1024);
        range(config, "replicas", replicas, 0, 100);
        range(config, "bulk-size", bulkSize, 1, 100_000);
        if (liveRefresh.isNegative()) {
            config.problem("live-refresh", liveRefresh, "must be >= 0");
        }
        if (!index.matches("[a-z0-9][a-z0-9._-]{0,199}")) {
            config.problem("index", index, "must be a lowercase " + product + " index name ([a-z0-9][a-z0-9._-]*)");
        }
        if (!config.problems().isEmpty()) {
            return new ProviderSettings(null, null, index, create, liveRefresh);
        }
        ClusterConnection.Builder connection = ClusterConnection.builder().url(url).apiKey(apiKey)
                .connectTimeout(connectTimeout).socketTimeout(socketTimeout).retries(retries, backoff).caFile(caFile);
        if (username != null) {
            connection.basicAuth(username, password);
        }
        return new ProviderSettings(connection.build(), new IndexOptions(language, m, ef, type, candidates, shards,
                replicas, bulkSize, refresh), index, create, liveRefresh);
    }

    private static void positive(ProviderConfig config, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            config.problem(key, value, "must be positive");
        }
    }

    private static void range(ProviderConfig config, String key, int value, int min, int max) {
        if (value < min || value > max) {
            config.problem(key, value, "must be in [" + min + ", " + max + "]");
        }
    }
}
