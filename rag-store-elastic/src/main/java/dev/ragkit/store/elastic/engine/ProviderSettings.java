package dev.ragkit.store.elastic.engine;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.IndexOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys both providers read under {@code rag.store.<name>.}, read once: {@code url} (required;
 * comma-separated for several nodes), {@code index} (default {@code ragkit}), {@code api-key}, or
 * {@code username} and {@code password}, {@code ca-file}, {@code connect-timeout} (5s), {@code socket-timeout}
 * (60s), {@code retries} (3), {@code backoff} (200ms), {@code language} ({@code standard}, {@code english},
 * {@code french}), {@code hnsw-m} (16), {@code hnsw-ef-construction} (100), {@code vector-index-type},
 * {@code num-candidates} (100), {@code shards} (1), {@code replicas} (0), {@code bulk-size} (500),
 * {@code refresh-after-write} (true), {@code create-index} (true), {@code live-refresh} (1s).
 *
 * <p>Every problem is recorded under its key (never with a credential's value); the caller validates.
 *
 * @param connection the connection, or null when its keys had problems
 * @param options the index options, or null when their keys had problems
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
        String apiKey = config.string("api-key", null);
        String username = config.string("username", null);
        String password = config.raw("password").orElse(null);
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

        ClusterConnection connection = null;
        if (url != null) {
            List<String> problems = new ArrayList<>();
            try {
                ClusterConnection.Builder builder = ClusterConnection.builder().url(url).apiKey(apiKey)
                        .connectTimeout(connectTimeout).socketTimeout(socketTimeout).retries(retries, backoff)
                        .caFile(caFile);
                if (username != null || password != null) {
                    builder.basicAuth(username, password);
                }
                connection = builder.build();
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
            }
            // The connection's own checks do not know the keys: name them here. Never a credential's value.
            for (String p : problems) {
                config.problem(keyOf(p), p.contains("API key") || p.contains("password") ? "(hidden)" : url,
                        "is wrong: " + p);
            }
        }
        IndexOptions options = null;
        try {
            options = new IndexOptions(language, m, ef, type, candidates, shards, replicas, bulkSize, refresh);
        } catch (RagConfigurationException e) {
            e.problems().forEach(p -> config.problem(keyOf(p), "", "is wrong: " + p));
        }
        if (!index.matches("[a-z0-9][a-z0-9._-]{0,199}")) {
            config.problem("index", index, "must be a lowercase " + product + " index name ([a-z0-9][a-z0-9._-]*)");
        }
        if (liveRefresh.isNegative()) {
            config.problem("live-refresh", liveRefresh, "must be >= 0");
        }
        return new ProviderSettings(connection, options, index, create, liveRefresh);
    }

    /** The key a problem of {@link ClusterConnection} or {@link IndexOptions} is about. */
    private static String keyOf(String problem) {
        if (problem.contains("URL")) {
            return "url";
        }
        if (problem.contains("API key")) {
            return "api-key";
        }
        if (problem.contains("password") || problem.contains("user")) {
            return "username";
        }
        if (problem.contains("CA file")) {
            return "ca-file";
        }
        if (problem.contains("connect timeout")) {
            return "connect-timeout";
        }
        if (problem.contains("socket timeout")) {
            return "socket-timeout";
        }
        if (problem.contains("retries") || problem.contains("backoff")) {
            return "retries";
        }
        if (problem.contains("m was")) {
            return "hnsw-m";
        }
        if (problem.contains("ef_construction")) {
            return "hnsw-ef-construction";
        }
        if (problem.contains("num_candidates")) {
            return "num-candidates";
        }
        if (problem.contains("shards") || problem.contains("replicas")) {
            return "shards";
        }
        if (problem.contains("bulk")) {
            return "bulk-size";
        }
        return "url";
    }
}
