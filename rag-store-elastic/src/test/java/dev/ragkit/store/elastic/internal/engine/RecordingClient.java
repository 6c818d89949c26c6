package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An {@link EngineClient} for unit tests of the shared logic that never needs a server's answer: it records
 * every call by name, answers the two calls a store makes when it opens (the index exists, with the store's
 * own mapping), and otherwise fails the scripted way, or refuses as a server that is not there.
 */
final class RecordingClient implements EngineClient {
    final List<String> calls = new ArrayList<>();
    /** Failures thrown by the next calls, in order, before any answer. */
    final Deque<EngineException> failures = new ArrayDeque<>();
    private final ObjectNode mapping;

    RecordingClient(Dialect dialect, int dimension) {
        ObjectNode body = IndexMapping.createBody(dialect, dimension, IndexOptions.defaults());
        this.mapping = Json.object("test-index", Json.object("mappings", body.get("mappings")));
    }

    private <T> T record(String name, Supplier<T> answer) {
        calls.add(name);
        EngineException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        return answer.get();
    }

    private <T> T unanswered(String name) {
        return record(name, () -> {
            throw EngineException.transport(EngineException.Transport.UNREACHABLE, "no server in this test", null);
        });
    }

    @Override
    public boolean exists(String indexOrAlias) {
        return record("exists", () -> true);
    }

    @Override
    public void createIndex(String index, ObjectNode body) {
        unanswered("createIndex");
    }

    @Override
    public JsonNode mapping(String indexOrAlias) {
        return record("mapping", () -> mapping);
    }

    @Override
    public void putMapping(String index, ObjectNode mapping) {
        unanswered("putMapping");
    }

    @Override
    public List<BulkItem> bulk(List<BulkOperation> operations) {
        return unanswered("bulk");
    }

    @Override
    public SearchResult search(String index, ObjectNode body) {
        return unanswered("search");
    }

    @Override
    public List<Document> multiGet(String index, List<String> ids, List<String> sourceExcludes) {
        return unanswered("multiGet");
    }

    @Override
    public long count(String index, ObjectNode query) {
        return record("count", () -> 7L);
    }

    @Override
    public void refresh(String index) {
        unanswered("refresh");
    }

    @Override
    public String openPointInTime(String index, String keepAlive) {
        return unanswered("openPointInTime");
    }

    @Override
    public void closePointInTime(String id) {
        unanswered("closePointInTime");
    }

    @Override
    public TermStatistics termStatistics(String index, String field, String text) {
        return unanswered("termStatistics");
    }

    @Override
    public Set<String> aliasTargets(String alias) {
        return unanswered("aliasTargets");
    }

    @Override
    public void updateAliases(ArrayNode actions) {
        unanswered("updateAliases");
    }

    @Override
    public void deleteIndex(String index) {
        unanswered("deleteIndex");
    }

    @Override
    public Optional<Document> getDocument(String index, String id) {
        return unanswered("getDocument");
    }

    @Override
    public boolean putDocument(String index, String id, ObjectNode source, Long ifSeqNo, Long ifPrimaryTerm,
                               boolean createOnly) {
        return unanswered("putDocument");
    }

    @Override
    public String describe() {
        return "http://127.0.0.1:1";
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
