package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import java.util.List;

/**
 * Where Elasticsearch and OpenSearch differ for a vector store: how the vector field is mapped, how a kNN
 * query is written, and what a kNN score means. Everything else (text, metadata, filters, bulk, scans,
 * aliases) is one query DSL, written once in this package.
 */
public interface Dialect {
    /** The provider name, e.g. {@code elastic}: used in errors, metrics tags and configuration keys. */
    String backend();

    /** The server's product name for messages, e.g. {@code Elasticsearch}. */
    String product();

    /** Adds what the vector field needs to the {@code index} settings object of a new index. */
    void addIndexSettings(ObjectNode indexSettings, IndexOptions options);

    /** The mapping of the vector field of a new index. */
    ObjectNode vectorMapping(int dimension, IndexOptions options);

    /**
     * What differs between an existing vector field's mapping and this configuration that the store cannot
     * work with (dimension, similarity, field type), each naming both values; empty when it fits.
     */
    List<String> vectorMappingProblems(JsonNode existing, int dimension, IndexOptions options);

    /**
     * A query that finds the {@code k} nearest vectors among those matching {@code filter} (null for all),
     * filtering before the nearest-neighbour search so that a selective filter still gives {@code k} hits.
     */
    ObjectNode knnQuery(float[] vector, int k, int numCandidates, ObjectNode filter, IndexOptions options);

    /** The cosine similarity a kNN hit's score stands for. */
    double cosine(double score);
}
