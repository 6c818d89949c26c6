package dev.ragkit.store.elastic.internal.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.engine.Dialect;
import dev.ragkit.store.elastic.internal.engine.IndexFields;
import dev.ragkit.store.elastic.internal.engine.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenSearch with the k-NN plugin: a {@code knn_vector} field indexed by HNSW on the {@code lucene} engine with
 * cosine similarity ({@code cosinesimil}), searched with the {@code knn} query with the filter inside it, which
 * the lucene engine applies before the graph search (so a selective filter still gives {@code k} hits).
 *
 * <p>Only the {@code lucene} engine: the plugin's default, {@code faiss}, needs native libraries, and a node
 * without them dies on the first vector written. Only float vectors ({@code hnsw}): the lucene engine's scalar
 * quantisation scores hits by their quantised vectors with no rescoring, so scores would not be the cosine the
 * store promises; {@link OpenSearchEngine#checkOptions} refuses the quantised types at assembly.
 */
final class OpenSearchDialect implements Dialect {
    static final OpenSearchDialect INSTANCE = new OpenSearchDialect();
    /** The only vector index type this dialect maps. */
    static final String FLOAT_HNSW = "hnsw";
    private static final String SPACE_TYPE = "cosinesimil";
    private static final String ENGINE = "lucene";

    @Override
    public String backend() {
        return "opensearch";
    }

    @Override
    public String product() {
        return "OpenSearch";
    }

    @Override
    public void addIndexSettings(ObjectNode indexSettings, IndexOptions options) {
        // knn_vector fields are only indexed for kNN search in indices that enable it.
        indexSettings.put("knn", true);
    }

    @Override
    public ObjectNode vectorMapping(int dimension, IndexOptions options) {
        ObjectNode vector = Json.object();
        vector.put("type", "knn_vector");
        vector.put("dimension", dimension);
        ObjectNode method = vector.putObject("method");
        method.put("name", "hnsw");
        method.put("engine", ENGINE);
        method.put("space_type", SPACE_TYPE);
        ObjectNode parameters = method.putObject("parameters");
        parameters.put("m", options.m());
        parameters.put("ef_construction", options.efConstruction());
        return vector;
    }

    @Override
    public List<String> vectorMappingProblems(JsonNode existing, int dimension, IndexOptions options) {
        List<String> problems = new ArrayList<>();
        String type = existing.path("type").asText();
        if (!type.equals("knn_vector")) {
            problems.add("field '" + IndexFields.VECTOR + "' is of type '" + type + "' but the store needs 'knn_vector'");
            return problems;
        }
        int dims = existing.path("dimension").asInt(-1);
        if (dims != dimension) {
            problems.add("vectors have dimension " + dims + " but the store was configured with dimension " + dimension
                    + "; use the embedder that built the index, or another index");
        }
        // The space type sits in the method, or at the field's top level in mappings made without a method.
        JsonNode space = existing.path("method").path("space_type");
        if (space.isMissingNode()) {
            space = existing.path("space_type");
        }
        String similarity = space.asText("l2");
        if (!similarity.equals(SPACE_TYPE)) {
            problems.add("vectors are compared by '" + similarity + "' but the store needs '" + SPACE_TYPE + "'");
        }
        return problems;
    }

    @Override
    public ObjectNode knnQuery(float[] vector, int k, int numCandidates, ObjectNode filter, IndexOptions options) {
        ObjectNode field = Json.object();
        field.set("vector", Json.vector(vector));
        field.put("k", k);
        if (filter != null) {
            field.set("filter", filter);
        }
        // ef_search: the candidates the graph search keeps, as num_candidates in Elasticsearch.
        field.set("method_parameters", Json.object().put("ef_search", Math.max(k, numCandidates)));
        return Json.object("knn", Json.object(IndexFields.VECTOR, field));
    }

    @Override
    public double cosine(double score) {
        // The lucene engine scores cosine similarity as (1 + cosine) / 2, as Lucene does.
        return 2 * score - 1;
    }
}
