package dev.ragkit.store.lucene.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.store.lucene.LuceneVectorStore;
import dev.ragkit.store.lucene.LuceneVectorStore.Quantization;
import dev.ragkit.store.lucene.LuceneVectorStore.Similarity;
import dev.ragkit.store.lucene.TextAnalysis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Provider {@code lucene}. Keys under {@code rag.store.lucene.}: {@code dimension} (required; the
 * assembler sets it from the embedder), {@code directory} (persist there; on the heap when absent),
 * {@code read-only} ({@code true}: open the directory's last commit without writing anything),
 * {@code similarity} ({@code dot-product} of normalised vectors, the default, or {@code cosine}),
 * {@code m} (HNSW neighbours per node, default 16), {@code beam-width} (HNSW candidates while building,
 * default 100), {@code ef-search} (candidates per search, default 100), {@code quantization}
 * ({@code none}, {@code int7} or {@code int4}; default none), {@code analyzer} ({@code standard},
 * {@code english} or {@code french}; default standard), {@code verify-on-open} (checksum every file at
 * open, default true), {@code compact-on-flush} ({@code true}: {@code flush()} merges the index into one
 * segment, as after an ingest run; default false), {@code live-refresh} (for a versioned directory: how often, at most, a serving
 * store checks for another process's promote; default 1s). {@link #versioned} treats {@code directory}
 * as the root of a {@link DirectoryVersionedIndex} ({@code v1/}, {@code v2/}, ... beside a catalog), every
 * version a Lucene index with these settings.
 */
public final class LuceneVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        Settings settings = settings(config);
        Path directory = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH); // used when the directory is versioned
        if (readOnly && directory == null) {
            config.problem("read-only", true, "needs " + config.fullKey("directory"));
        }
        if (config.raw("dimension").isPresent() && (dimension < 1 || dimension > LuceneVectorStore.MAX_DIMENSION)
                && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be 1 to " + LuceneVectorStore.MAX_DIMENSION
                    + " (Lucene's limit for indexed vectors)");
        }
        config.validate();
        return settings.build(dimension, directory, readOnly);
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        Settings settings = settings(config);
        Path root = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        Duration refresh = config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH);
        if (root == null) {
            config.problem("directory", "", "must name the root directory of the versioned index");
        }
        if (refresh.isNegative()) {
            config.problem("live-refresh", refresh, "must be >= 0");
        }
        config.validate();
        return Optional.of(DirectoryVersionedIndex.builder(root)
                .store(name(), (dir, dimension) -> settings.build(dimension, dir, false))
                .readOnlyStore((dir, dimension) -> settings.build(dimension, dir, true))
                .serveReadOnly(readOnly)
                .refreshInterval(refresh)
                .build());
    }

    private static Settings settings(ProviderConfig config) {
        String similarity = config.oneOf("similarity", "dot-product", names(Similarity.values()));
        String quantization = config.oneOf("quantization", "none", names(Quantization.values()));
        String analyzer = config.oneOf("analyzer", "standard",
                Arrays.stream(TextAnalysis.values()).map(TextAnalysis::configName).toList());
        int m = config.integer("m", 16);
        int beamWidth = config.integer("beam-width", 100);
        int efSearch = config.integer("ef-search", 100);
        boolean verify = config.bool("verify-on-open", true);
        boolean compactOnFlush = config.bool("compact-on-flush", false);
        if (m < 1 || m > 512) {
            config.problem("m", m, "must be 1 to 512");
        }
        if (beamWidth < 1 || beamWidth > 3200) {
            config.problem("beam-width", beamWidth, "must be 1 to 3200");
        }
        if (efSearch < 1) {
            config.problem("ef-search", efSearch, "must be >= 1");
        }
        Similarity sim = Arrays.stream(Similarity.values()).filter(s -> s.configName().equals(similarity))
                .findFirst().orElse(Similarity.DOT_PRODUCT);
        Quantization quant = Arrays.stream(Quantization.values()).filter(q -> q.configName().equals(quantization))
                .findFirst().orElse(Quantization.NONE);
        TextAnalysis analysis = Optional.ofNullable(TextAnalysis.fromConfigName(analyzer)).orElse(TextAnalysis.STANDARD);
        return new Settings(sim, quant, m, beamWidth, efSearch, analysis, verify, compactOnFlush);
    }

    private static List<String> names(Similarity[] values) {
        return Arrays.stream(values).map(Similarity::configName).toList();
    }

    private static List<String> names(Quantization[] values) {
        return Arrays.stream(values).map(Quantization::configName).toList();
    }

    /** Everything but the dimension and the directory, which differ per version of a versioned index. */
    private record Settings(Similarity similarity, Quantization quantization, int m, int beamWidth, int efSearch,
                            TextAnalysis analysis, boolean verifyOnOpen, boolean compactOnFlush) {
        LuceneVectorStore build(int dimension, Path directory, boolean readOnly) {
            return LuceneVectorStore.builder()
                    .dimension(dimension)
                    .similarity(similarity)
                    .quantization(quantization)
                    .maxConn(m)
                    .beamWidth(beamWidth)
                    .efSearch(efSearch)
                    .analysis(analysis)
                    .verifyOnOpen(verifyOnOpen)
                    .compactOnFlush(compactOnFlush)
                    .directory(directory)
                    .readOnly(readOnly)
                    .build();
        }
    }
}
