package dev.ragkit.store.faiss.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Provider {@code faiss}. Keys under {@code rag.store.faiss.}: {@code dimension} (required; the
 * assembler sets it from the embedder), {@code index} (FAISS factory string, default {@code HNSW32}),
 * {@code metric} ({@code cosine} or {@code l2}, default cosine), {@code ef-search} (default 128),
 * {@code ef-construction} (default 100, chosen by measurement: rag-store-faiss/README.md), {@code nprobe} (default 16), {@code threads} (OpenMP threads for writes, default 1), {@code directory} (persist there;
 * in memory when absent), {@code read-only} ({@code true}: open the directory's last committed state
 * without writing anything, even beside a running writer), {@code live-refresh} (for a versioned
 * directory: how often, at most, a serving store checks for another process's promote; default 1s).
 * {@link #versioned} treats {@code directory} as the root of a {@link DirectoryVersionedIndex}
 * ({@code v1/}, {@code v2/}, ... beside a catalog), every version a FAISS store with these settings
 * and the dimension of the embedder that built it; {@code read-only=true} serves it read-only.
 */
public final class FaissVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "faiss";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        String index = config.string("index", "HNSW32");
        String metric = config.oneOf("metric", "cosine", List.of("cosine", "l2"));
        int efSearch = config.integer("ef-search", 128);
        int efConstruction = config.integer("ef-construction", FaissVectorStore.DEFAULT_EF_CONSTRUCTION);
        int nprobe = config.integer("nprobe", 16);
        int threads = config.integer("threads", 1);
        Path directory = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH); // used when the directory is versioned
        if (readOnly && directory == null) {
            config.problem("read-only", true, "needs " + config.fullKey("directory"));
        }
        if (config.raw("dimension").isPresent() && dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        if (index.isBlank()) {
            config.problem("index", index, "must be a FAISS factory string such as HNSW32, Flat or IVF1024,Flat");
        }
        positive(config, "ef-search", efSearch);
        positive(config, "ef-construction", efConstruction);
        positive(config, "nprobe", nprobe);
        positive(config, "threads", threads);
        config.validate();
        try {
            return build(dimension, index, metric, efSearch, efConstruction, nprobe, threads, directory, readOnly);
        } catch (RagConfigurationException e) {
            if (e.getCause() instanceof FaissNativeException) {
                // FAISS rejected the factory string: name the key the host has to fix.
                throw new RagConfigurationException(config.fullKey("index") + " was '" + index + "' but " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        String index = config.string("index", "HNSW32");
        String metric = config.oneOf("metric", "cosine", List.of("cosine", "l2"));
        int efSearch = config.integer("ef-search", 128);
        int efConstruction = config.integer("ef-construction", FaissVectorStore.DEFAULT_EF_CONSTRUCTION);
        int nprobe = config.integer("nprobe", 16);
        int threads = config.integer("threads", 1);
        Path root = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        Duration refresh = config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH);
        if (root == null) {
            config.problem("directory", "", "must name the root directory of the versioned index");
        }
        if (index.isBlank()) {
            config.problem("index", index, "must be a FAISS factory string such as HNSW32, Flat or IVF1024,Flat");
        }
        if (refresh.isNegative()) {
            config.problem("live-refresh", refresh, "must be >= 0");
        }
        positive(config, "ef-search", efSearch);
        positive(config, "ef-construction", efConstruction);
        positive(config, "nprobe", nprobe);
        positive(config, "threads", threads);
        config.validate();
        return Optional.of(DirectoryVersionedIndex.builder(root)
                .store(name(), (dir, dimension) -> build(dimension, index, metric, efSearch, efConstruction, nprobe,
                        threads, dir, false))
                .readOnlyStore((dir, dimension) -> build(dimension, index, metric, efSearch, efConstruction, nprobe,
                        threads, dir, true))
                .serveReadOnly(readOnly)
                .refreshInterval(refresh)
                .build());
    }

    private static VectorStore build(int dimension, String index, String metric, int efSearch, int efConstruction,
                                     int nprobe, int threads, Path directory, boolean readOnly) {
        return FaissVectorStore.builder()
                .dimension(dimension)
                .index(index)
                .metric("l2".equals(metric) ? FaissVectorStore.Metric.L2 : FaissVectorStore.Metric.COSINE)
                .efSearch(efSearch)
                .efConstruction(efConstruction)
                .nprobe(nprobe)
                .threads(threads)
                .directory(directory)
                .readOnly(readOnly)
                .build();
    }

    private static void positive(ProviderConfig config, String key, int value) {
        if (value < 1) {
            config.problem(key, value, "must be >= 1");
        }
    }
}
