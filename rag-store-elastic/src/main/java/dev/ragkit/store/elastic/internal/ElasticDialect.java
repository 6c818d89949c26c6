package dev.ragkit.store.elastic.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.Dialect;
import dev.ragkit.store.elastic.internal.engine.IndexFields;
import dev.ragkit.store.elastic.internal.engine.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Elasticsearch 8.x: a {@code dense_vector} field with cosine similarity and HNSW index options, searched
 * with the {@code knn} query (filter inside, so the filter applies before the graph search). Quantised
 * index types ({@code int8_hnsw}, {@code int4_hnsw}, {@code bbq_hnsw}) compare quantised vectors in the graph;
 * the query asks the server to rescore the candidates with the float vectors ({@code rescore_vector}), so
 * scores stay the exact cosine.
 */
final class ElasticDialect implements Dialect {
    static final ElasticDialect INSTANCE = new ElasticDialect();

    @Override
    public String backend() {
        return "elastic";
    }

    @Override
    public String product() {
        return "Elasticsearch";
    }

    @Override
    public void addIndexSettings(ObjectNode indexSettings, IndexOptions options) {
        // dense_vector needs no index setting.
    }

    @Override
    public ObjectNode vectorMapping(int dimension, IndexOptions options) {
        ObjectNode vector = Json.object();
        vector.put("type", "dense_vector");
        vector.put("dims", dimension);
        vector.put("index", true);
        vector.put("similarity", "cosine");
        ObjectNode indexOptions = vector.putObject("index_options");
        indexOptions.put("type", options.vectorIndexType());
        indexOptions.put("m", options.m());
        indexOptions.put("ef_construction", options.efConstruction());
        return vector;
    }

    @Override
    public List<String> vectorMappingProblems(JsonNode existing, int dimension, IndexOptions options) {
        List<String> problems = new ArrayList<>();
        String type = existing.path("type").asText();
        if (!type.equals("dense_vector")) {
            problems.add("field '" + IndexFields.VECTOR + "' is of type '" + type + "' but the store needs"
                    + " 'dense_vector'");
            return problems;
        }
        int dims = existing.path("dims").asInt(-1);
        if (dims != dimension) {
            problems.add("vectors have dimension " + dims + " but the store was configured with dimension "
                    + dimension + "; use the embedder that built the index, or another index");
        }
        String similarity = existing.path("similarity").asText("cosine");
        if (!similarity.equals("cosine")) {
            problems.add("vectors are compared by '" + similarity + "' similarity but the store needs 'cosine'");
        }
        if (!existing.path("index").asBoolean(true)) {
            problems.add("vectors are not indexed ('index': false) but the store needs kNN search");
        }
        return problems;
    }

    @Override
    public ObjectNode knnQuery(float[] vector, int k, int numCandidates, ObjectNode filter, IndexOptions options) {
        ObjectNode knn = Json.object();
        knn.put("field", IndexFields.VECTOR);
        knn.set("query_vector", Json.vector(vector));
        knn.put("k", k);
        knn.put("num_candidates", numCandidates);
        if (filter != null) {
            knn.set("filter", Json.array().add(filter));
        }
        if (!options.vectorIndexType().equals("hnsw")) {
            knn.set("rescore_vector", Json.object().put("oversample", 1.0));
        }
        return Json.object("knn", knn);
    }

    @Override
    public double cosine(double score) {
        // Elasticsearch scores cosine similarity as (1 + cosine) / 2.
        return 2 * score - 1;
    }
}
