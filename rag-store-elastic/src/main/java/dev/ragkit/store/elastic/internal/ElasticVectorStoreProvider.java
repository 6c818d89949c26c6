package dev.ragkit.store.elastic.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provider {@code elastic}: a store on an Elasticsearch 8.x cluster. Keys (under {@code rag.store.elastic.}):
 * {@code url} (required; comma-separated for several nodes), {@code index} (default {@code ragkit}),
 * {@code dimension} (set by the assembler), {@code api-key}, or {@code username} and {@code password},
 * {@code ca-file}, {@code connect-timeout} (5s), {@code socket-timeout} (60s), {@code retries} (3),
 * {@code backoff} (200ms), {@code language} ({@code standard}, {@code english}, {@code french}),
 * {@code hnsw-m} (16), {@code hnsw-ef-construction} (100), {@code vector-index-type} ({@code int8_hnsw};
 * {@code hnsw}, {@code int4_hnsw}, {@code bbq_hnsw}), {@code num-candidates} (100), {@code shards} (1),
 * {@code replicas} (0), {@code bulk-size} (500), {@code refresh-after-write} (true), {@code create-index}
 * (true), and {@code live-refresh} (1s) for the versioned index.
 */
public final class ElasticVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "elastic";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        Settings settings = read(config);
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return settings.builder.dimension(dimension).build();
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        config.integer("dimension", 0); // each version has its own, from what builds it
        Settings settings = read(config);
        config.validate();
        return Optional.of(settings.builder.versioned());
    }

    private record Settings(ElasticVectorStore.Builder builder) {
    }

    /** Reads every key, recording each problem under its key; the caller validates. */
    private static Settings read(ProviderConfig config) {
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
        IndexOptions defaults = IndexOptions.defaults();
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

        ElasticVectorStore.Builder builder = ElasticVectorStore.builder().index(index).createIndex(create)
                .liveRefresh(liveRefresh);
        if (url != null) {
            ClusterConnection.Builder connection = ClusterConnection.builder();
            List<String> problems = new ArrayList<>();
            try {
                connection.url(url).apiKey(apiKey).connectTimeout(connectTimeout).socketTimeout(socketTimeout)
                        .retries(retries, backoff).caFile(caFile);
                if (username != null || password != null) {
                    connection.basicAuth(username, password);
                }
                builder.connection(connection.build());
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
            }
            // The connection's own checks do not know the keys: name them here. Never a credential's value.
            for (String p : problems) {
                config.problem(keyOf(p), p.contains("API key") || p.contains("password") ? "(hidden)" : url,
                        "is wrong: " + p);
            }
        }
        try {
            builder.options(new IndexOptions(language, m, ef, type, candidates, shards, replicas, bulkSize, refresh));
        } catch (RagConfigurationException e) {
            e.problems().forEach(p -> config.problem(keyOf(p), "", "is wrong: " + p));
        }
        if (!index.matches("[a-z0-9][a-z0-9._-]{0,199}")) {
            config.problem("index", index, "must be a lowercase Elasticsearch index name ([a-z0-9][a-z0-9._-]*)");
        }
        return new Settings(builder);
    }

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
