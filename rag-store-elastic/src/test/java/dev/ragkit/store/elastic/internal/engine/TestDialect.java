package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import java.util.List;

/** A minimal {@link Dialect} for unit tests of the shared logic: a dense_vector field and a knn query. */
final class TestDialect implements Dialect {
    @Override
    public String backend() {
        return "test";
    }

    @Override
    public String product() {
        return "TestSearch";
    }

    @Override
    public void addIndexSettings(ObjectNode indexSettings, IndexOptions options) {
    }

    @Override
    public ObjectNode vectorMapping(int dimension, IndexOptions options) {
        return Json.object().put("type", "dense_vector").put("dims", dimension);
    }

    @Override
    public List<String> vectorMappingProblems(JsonNode existing, int dimension, IndexOptions options) {
        int dims = existing.path("dims").asInt();
        return dims == dimension ? List.of() : List.of("dimension " + dims + " is not " + dimension);
    }

    @Override
    public ObjectNode knnQuery(float[] vector, int k, int numCandidates, ObjectNode filter, IndexOptions options) {
        return Json.object("knn", Json.object().put("k", k));
    }

    @Override
    public double cosine(double score) {
        return 2 * score - 1;
    }
}
