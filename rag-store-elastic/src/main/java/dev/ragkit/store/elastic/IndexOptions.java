package dev.ragkit.store.elastic;

import dev.ragkit.core.RagConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the store lays out an index it creates, and how it writes and searches: the text analyzer, the HNSW
 * graph, quantisation, shards, and batch sizes. Immutable. The vector settings are part of the mapping: an
 * existing index whose mapping disagrees with them is refused, naming both values.
 *
 * @param language the server's analyzer of the chunk text for BM25: {@link #STANDARD}, {@link #ENGLISH} or
 *     {@link #FRENCH}; the store folds case and accents itself before the analyzer sees the text, the language
 *     analyzers also remove stop words and stem (they need the server's {@code analysis-common} module, which
 *     full distributions have and the integration-test distributions lack)
 * @param m HNSW: neighbours per node
 * @param efConstruction HNSW: candidates considered while building the graph
 * @param vectorIndexType how vectors are indexed, in Elasticsearch's names: {@code hnsw} (float),
 *     {@code int8_hnsw} (8-bit scalar quantisation, Elasticsearch's default), {@code int4_hnsw}, {@code bbq_hnsw};
 *     a provider whose server lacks one refuses it at assembly
 * @param numCandidates kNN: candidates per shard, at least {@code topK}; more is slower and nearer exact
 * @param shards primary shards of a created index
 * @param replicas replicas of a created index
 * @param bulkSize chunks per bulk request
 * @param refreshAfterWrite make each upsert and delete visible to searches before it returns (one refresh per
 *     call); false leaves it to the server's refresh interval and {@link dev.ragkit.core.spi.VectorStore#flush()}
 */
public record IndexOptions(String language, int m, int efConstruction, String vectorIndexType, int numCandidates,
                           int shards, int replicas, int bulkSize, boolean refreshAfterWrite) {
    /** The standard analyzer: Unicode word tokenizer, lowercase. */
    public static final String STANDARD = "standard";
    /** The server's English analyzer: possessives, stop words, Porter stemming. */
    public static final String ENGLISH = "english";
    /** The server's French analyzer: elision, stop words, light stemming. */
    public static final String FRENCH = "french";
    /** The analyzers offered. */
    public static final List<String> LANGUAGES = List.of(STANDARD, ENGLISH, FRENCH);
    /** The vector index types offered. */
    public static final List<String> VECTOR_INDEX_TYPES = List.of("hnsw", "int8_hnsw", "int4_hnsw", "bbq_hnsw");

    public IndexOptions {
        language = language == null ? null : language.toLowerCase(Locale.ROOT);
        vectorIndexType = vectorIndexType == null ? null : vectorIndexType.toLowerCase(Locale.ROOT);
        List<String> problems = new ArrayList<>();
        if (!LANGUAGES.contains(language)) {
            problems.add("the text language was '" + language + "' but it must be one of " + LANGUAGES);
        }
        if (!VECTOR_INDEX_TYPES.contains(vectorIndexType)) {
            problems.add("the vector index type was '" + vectorIndexType + "' but it must be one of "
                    + VECTOR_INDEX_TYPES);
        }
        if (m < 2 || m > 512) {
            problems.add("HNSW m was " + m + " but it must be in [2, 512]");
        }
        if (efConstruction < 1 || efConstruction > 3200) {
            problems.add("HNSW ef_construction was " + efConstruction + " but it must be in [1, 3200]");
        }
        if (numCandidates < 1 || numCandidates > 10_000) {
            problems.add("kNN num_candidates was " + numCandidates + " but it must be in [1, 10000]");
        }
        if (shards < 1) {
            problems.add("shards was " + shards + " but it must be >= 1");
        }
        if (replicas < 0) {
            problems.add("replicas was " + replicas + " but it must be >= 0");
        }
        if (bulkSize < 1) {
            problems.add("bulk size was " + bulkSize + " but it must be >= 1");
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
    }

    /**
     * The defaults: standard analyzer, m 16, ef_construction 100, {@code int8_hnsw}, 100 candidates,
     * one shard, no replica, bulks of 500 chunks, each write visible when it returns.
     */
    public static IndexOptions defaults() {
        return new IndexOptions(STANDARD, 16, 100, "int8_hnsw", 100, 1, 0, 500, true);
    }

    public IndexOptions withLanguage(String language) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withHnsw(int m, int efConstruction) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withVectorIndexType(String vectorIndexType) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withNumCandidates(int numCandidates) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withShards(int shards, int replicas) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withBulkSize(int bulkSize) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }

    public IndexOptions withRefreshAfterWrite(boolean refreshAfterWrite) {
        return new IndexOptions(language, m, efConstruction, vectorIndexType, numCandidates, shards, replicas, bulkSize,
                refreshAfterWrite);
    }
}
