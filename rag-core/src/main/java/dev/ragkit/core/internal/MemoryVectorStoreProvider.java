package dev.ragkit.core.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Provider {@code memory}: keys {@code dimension} (required; the assembler sets it), {@code directory},
 * {@code read-only} ({@code true} opens the directory's last committed state without writing) and
 * {@code analyzer}, how keyword search reads text ({@code auto}, the default, reads each text in its own
 * language; {@code french-english}, {@code english} or {@code french}: {@link TextAnalyzer#named}).
 * {@link #versioned} treats {@code directory} as the root of a {@link DirectoryVersionedIndex}
 * ({@code v1/}, {@code v2/}, ... beside a catalog), serves it read-only when {@code read-only} is true,
 * and checks for another process's promote at most every {@code live-refresh} (default 1s).
 */
public final class MemoryVectorStoreProvider implements VectorStoreProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public VectorStore create(ProviderConfig config) {
        int dimension = config.requiredInteger("dimension");
        Path directory = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        TextAnalyzer analyzer = analyzer(config);
        KeywordWeights keywordWeights = keywordWeights(config);
        config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH); // used when the directory is versioned
        if (readOnly && directory == null) {
            config.problem("read-only", true, "needs " + config.fullKey("directory"));
        }
        if (dimension < 1 && config.problems().isEmpty()) {
            config.problem("dimension", dimension, "must be >= 1");
        }
        config.validate();
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).readOnly(readOnly)
                .analyzer(analyzer).keywordWeights(keywordWeights).build();
    }

    private static TextAnalyzer analyzer(ProviderConfig config) {
        return TextAnalyzer.named(config.oneOf("analyzer", "auto", TextAnalyzer.NAMES));
    }

    /** {@code proximity-weight} and {@code subword-weight}, each reported as a problem unless finite and >= 0. */
    private static KeywordWeights keywordWeights(ProviderConfig config) {
        return new KeywordWeights(weight(config, "proximity-weight", Bm25Index.DEFAULT_PROXIMITY_WEIGHT),
                weight(config, "subword-weight", Bm25Index.DEFAULT_SUBWORD_WEIGHT));
    }

    /** A keyword weight: finite and >= 0, 0 turning it off; the default (and a problem) otherwise. */
    private static double weight(ProviderConfig config, String key, double defaultWeight) {
        double weight = config.decimal(key, defaultWeight);
        if (!KeywordWeights.isWeight(weight)) {
            config.problem(key, weight, "must be finite and >= 0 (0 turns it off)");
            return defaultWeight;
        }
        return weight;
    }

    @Override
    public Optional<VersionedIndex> versioned(ProviderConfig config) {
        Path root = config.path("directory", null);
        boolean readOnly = config.bool("read-only", false);
        Duration refresh = config.duration("live-refresh", DirectoryVersionedIndex.DEFAULT_REFRESH);
        TextAnalyzer analyzer = analyzer(config);
        KeywordWeights keywordWeights = keywordWeights(config);
        if (root == null) {
            config.problem("directory", "", "must name the root directory of the versioned index");
        }
        if (refresh.isNegative()) {
            config.problem("live-refresh", refresh, "must be >= 0");
        }
        config.validate();
        return Optional.of(DirectoryVersionedIndex.builder(root)
                .store("memory", (dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir)
                        .analyzer(analyzer).keywordWeights(keywordWeights).build())
                .readOnlyStore((dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir)
                        .analyzer(analyzer).keywordWeights(keywordWeights).readOnly(true).build())
                .serveReadOnly(readOnly)
                .refreshInterval(refresh)
                .build());
    }
}
