package dev.ragkit.store.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The wire: spec validation catching wrong requests, faults (429 with Retry-After, 503, a connection
 * reset in the middle of a batch, malformed JSON, an operator Weaviate does not know), partial batch
 * failures, auth errors, collection mismatches, input rejected before anything is sent, and hybrid
 * search.
 */
@EnabledIf(value = "dev.ragkit.store.weaviate.WeaviateSpec#available", disabledReason = "not run: ../shared/specs/weaviate/schema.json (Weaviate REST 1.39 OpenAPI) is missing: the stub validates every exchange against it")
class WeaviateWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    private final WeaviateStub stub = new WeaviateStub();
    private final List<WeaviateVectorStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        stores.forEach(WeaviateVectorStore::close);
        stub.close();
    }

    private WeaviateVectorStore.Builder builder(String collection) {
        return WeaviateVectorStore.builder().url(stub.url()).collection(collection).dimension(4)
                .backoff(Duration.ofMillis(10), Duration.ofSeconds(2)).maxRetries(3);
    }

    private WeaviateVectorStore open() {
        WeaviateVectorStore store = builder("Wire" + COLLECTIONS.incrementAndGet()).build();
        stores.add(store);
        return store;
    }

    private static EmbeddedChunk chunk(String doc, int index, String text, float... vector) {
        return new EmbeddedChunk(Chunk.of(doc, index, text, Map.of("lang", "en", "n", (long) index)), vector);
    }

    private static List<EmbeddedChunk> corpus(int n) {
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(chunk("doc-" + i, 0, "chunk number " + i + (i % 2 == 0 ? " river" : " mountain"),
                    1, i, i % 3, 0.5f));
        }
        return out;
    }

    private void assertNoViolations() {
        assertThat(stub.violations()).as("exchanges not matching Weaviate REST " + stub.specVersion()).isEmpty();
    }

    // ------------------------------------------------------------------ the spec catches wrong requests

    @Test
    void theSpecCatchesAWrongRequestSentToTheStub() throws Exception {
        open();
        String wrong = "{\"objects\": [{\"class\": \"Wire1\", \"vector\": \"not a list\", \"propertiez\": {}}]}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stub.url() + "/v1/batch/objects")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(wrong)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(stub.violations()).as("violations recorded for a malformed batch")
                .anySatisfy(v -> assertThat(v).contains("POST /v1/batch/objects request body").contains("vector"))
                .anySatisfy(v -> assertThat(v).contains("propertiez"));
    }

    @Test
    void theSpecRejectsUnknownOperatorsMisspeltFieldsUnknownPathsAndParameters() {
        WeaviateSpec spec = WeaviateSpec.load();
        ObjectNode unknownOperator = JSON.createObjectNode().put("operator", "Matches").put("valueText", "x");
        unknownOperator.putArray("path").add("text");
        assertThat(spec.checkDefinition("WhereFilter", unknownOperator)).as("operator 'Matches'").isNotEmpty();
        ObjectNode misspelt = JSON.createObjectNode().put("operator", "Equal").put("valueTxt", "x");
        misspelt.putArray("path").add("text");
        assertThat(spec.checkDefinition("WhereFilter", misspelt)).as("field 'valueTxt'").isNotEmpty();
        ObjectNode fine = JSON.createObjectNode().put("operator", "Equal").put("valueText", "x");
        fine.putArray("path").add("text");
        assertThat(spec.checkDefinition("WhereFilter", fine)).as("a correct where filter").isEmpty();
        assertThat(spec.checkRequest("GET", "/v1/objectz", null, null)).as("unknown path").isNotEmpty();
        assertThat(spec.checkRequest("GET", "/v1/objects", "class=A&cursor=x", null)).as("unknown query parameter")
                .isNotEmpty();
        assertThat(spec.checkRequest("GET", "/v1/objects", "class=A&limit=ten", null)).as("non-integer limit")
                .isNotEmpty();
        assertThat(spec.checkRequest("PATCH", "/v1/aliases", null, null)).as("undeclared method").isNotEmpty();
        assertThat(spec.checkResponse("GET", "/v1/schema/A", 418, null)).as("undeclared status").isNotEmpty();
        assertThat(spec.checkRequest("GET", "/v1/objects", "class=A&limit=10&after=x", null)).as("a correct list")
                .isEmpty();
    }

    @Test
    void anUnknownOperatorReachingTheStubIsAGraphQlErrorAndAViolation() {
        WeaviateVectorStore store = open();
        store.upsert(corpus(3));
        WeaviateRest rest = new WeaviateRest(stub.url(), null, Duration.ofSeconds(2), Duration.ofSeconds(5), 0,
                Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> rest.graphql("{ Get { " + store.collection()
                + "(where: {path: [\"doc_key\"], operator: Matches, valueText: \"x\"}) { text } } }", "collection 'X'"))
                .isInstanceOf(RagBackendException.class).hasMessageContaining("invalid where filter");
        assertThat(stub.violations()).anySatisfy(v -> assertThat(v).contains("WhereFilter").contains("operator"));
    }

    // ------------------------------------------------------------------ faults

    @Test
    void a429WithRetryAfterIsWaitedForAndRetried() {
        WeaviateVectorStore store = open();
        stub.fault(new WeaviateStub.Fault("/batch/objects", 429, "1", "{\"error\":[{\"message\":\"slow down\"}]}", false));
        long start = System.nanoTime();
        store.upsert(corpus(5));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(waitedMillis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
        assertThat(store.count()).isEqualTo(5);
        assertNoViolations();
    }

    @Test
    void a503ThenSuccessIsRetried() {
        WeaviateVectorStore store = open();
        store.upsert(corpus(5));
        stub.fault(new WeaviateStub.Fault("/graphql", 503, null, "{\"error\":[{\"message\":\"overloaded\"}]}", false));
        List<SearchHit> hits = store.search(SearchRequest.dense(new float[] {1, 2, 2, 0.5f}, 3));
        assertThat(hits).hasSize(3);
        assertNoViolations();
    }

    @Test
    void persistent503FailsAsRetriableNamingTheCollectionAndAttempts() {
        WeaviateVectorStore store = open();
        for (int i = 0; i < 4; i++) {
            stub.fault(new WeaviateStub.Fault("/graphql", 503, null, "{\"error\":[{\"message\":\"overloaded\"}]}", false));
        }
        assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                .satisfies(e -> assertThat(((RagBackendException) e).retriable()).isTrue())
                .hasMessageContainingAll(store.collection(), "503", "overloaded", "4 attempts");
    }

    @Test
    void aConnectionResetInTheMiddleOfABatchedUpsertIsRetriedAndWritesEverythingOnce() {
        WeaviateVectorStore store = builder("Reset").batchSize(4).build();
        stores.add(store);
        store.upsert(corpus(4)); // first batch of a later upsert is then a rewrite of these
        int before = stub.requests();
        // The second batch request of the next upsert is cut off without an answer.
        stub.fault(new WeaviateStub.Fault("/batch/objects", 0, null, "", true, 1));
        assertThat(before).isPositive();
        store.upsert(corpus(10));
        assertThat(store.count()).isEqualTo(10);
        assertThat(store.get(List.of("doc-9#0"))).hasSize(1);
        assertNoViolations();
    }

    @Test
    void malformedJsonFromTheServerFailsClearly() {
        WeaviateVectorStore store = open();
        stub.fault(new WeaviateStub.Fault("/graphql", 200, null, "{\"data\": {\"Aggregate\": [oops", false));
        assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("not JSON", "/v1/graphql", "rag.store.weaviate.url");
    }

    @Test
    void aPartialBatchFailureNamesTheFailedIdsAndTheWrittenOnes() throws Exception {
        WeaviateVectorStore store = open();
        List<EmbeddedChunk> batch = corpus(3);
        // Weaviate answers 200 with one object failed: what the store must not count as written.
        var results = JSON.createArrayNode();
        for (EmbeddedChunk c : batch) {
            ObjectNode r = results.addObject().put("class", store.collection()).put("id", WeaviateVectorStore.uuid(c.id()));
            ObjectNode result = r.putObject("result");
            if (c.id().equals("doc-1#0")) {
                result.put("status", "FAILED");
                result.putObject("errors").putArray("error").addObject().put("message", "shard is read-only");
            } else {
                result.put("status", "SUCCESS");
            }
        }
        stub.fault(new WeaviateStub.Fault("/batch/objects", 200, null, JSON.writeValueAsString(results), false));
        assertThatThrownBy(() -> store.upsert(batch)).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("1 of 3", "doc-1#0", "shard is read-only", "Written: 2", "doc-0#0", "doc-2#0");
    }

    // ------------------------------------------------------------------ auth, errors, input

    @Test
    void theApiKeyIsSentAsBearerAndNeverAppearsInErrors() {
        stub.requireKey("s3cret-key");
        WeaviateVectorStore store = builder("Auth").apiKey("s3cret-key").build();
        stores.add(store);
        store.upsert(corpus(2));
        assertThat(stub.authorizations()).allSatisfy(a -> assertThat(a).isEqualTo("Bearer s3cret-key"));
        assertThat(store.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> builder("Auth").apiKey("wrong-key").build()).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll("401", "collection 'Auth'", "rag.store.weaviate.api-key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-key").doesNotContain("s3cret"));
    }

    @Test
    void forbiddenAndMissingCollectionsAreNamed() {
        WeaviateVectorStore store = open();
        stub.fault(new WeaviateStub.Fault("/graphql", 403, null, "{\"error\":[{\"message\":\"forbidden\"}]}", false));
        assertThatThrownBy(store::count).hasMessageContainingAll("403", store.collection(), "permission");
        new WeaviateRest(stub.url(), null, Duration.ofSeconds(1), Duration.ofSeconds(2), 0, Duration.ZERO, Duration.ZERO)
                .call("DELETE", "/schema/" + store.collection(), null, "x", false);
        assertThatThrownBy(store::count).isInstanceOf(RagBackendException.class)
                .hasMessageContainingAll(store.collection(), "does not exist");
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsSent() {
        WeaviateVectorStore store = open();
        int before = stub.requests();
        assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, "x", 1, 2, 3))))
                .isInstanceOf(InvalidInputException.class).hasMessageContainingAll("dimension 3", "dimension 4");
        assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, "x", 1, 2, 3, 4), chunk("a", 0, "y", 1, 2, 3, 4))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("a#0");
        assertThatThrownBy(() -> store.search(SearchRequest.dense(new float[] {1, 2}, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 2");
        assertThatThrownBy(() -> store.scan(null, "bogus", 5)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.hybridSearch("river", new float[] {1, 2, 3, 4}, 3, null, 1.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("alpha");
        assertThat(stub.requests()).as("requests sent for rejected input").isEqualTo(before);
        assertThatThrownBy(() -> WeaviateVectorStore.builder().url(URI.create("ftp://x")).collection("lower")
                .dimension(0).batchSize(0).build()).isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll("rag.store.weaviate.url", "rag.store.weaviate.collection",
                        "rag.store.weaviate.dimension", "rag.store.weaviate.batch-size");
    }

    @Test
    void anExistingCollectionOfAnotherDimensionOrNotMadeByRagkitIsRefused() {
        WeaviateVectorStore store = open();
        store.upsert(corpus(2));
        assertThatThrownBy(() -> builder(store.collection()).dimension(8).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll(store.collection(), "dimension 4", "dimension 8");
        ObjectNode foreign = JSON.createObjectNode().put("class", "Foreign").put("vectorizer", "text2vec-openai");
        foreign.putArray("properties").addObject().put("name", "title").putArray("dataType").add("text");
        new WeaviateRest(stub.url(), null, Duration.ofSeconds(1), Duration.ofSeconds(2), 0, Duration.ZERO, Duration.ZERO)
                .call("POST", "/schema", foreign, "collection 'Foreign'", false);
        assertThatThrownBy(() -> builder("Foreign").build()).isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll("Foreign", "text2vec-openai", "property 'text' is missing", "Ragkit marker");
        assertNoViolations();
    }

    // ------------------------------------------------------------------ hybrid

    @Test
    void hybridWithAlphaOneRanksLikeDenseAndWithAlphaZeroLikeKeyword() {
        WeaviateVectorStore store = open();
        store.upsert(corpus(12));
        float[] query = {1, 3, 1, 0.5f};
        List<String> dense = store.search(SearchRequest.dense(query, 12)).stream().map(SearchHit::id).toList();
        List<String> vectorSide = store.hybridSearch("river", query, 12, null, 1.0).stream().map(SearchHit::id).toList();
        assertThat(vectorSide).isEqualTo(dense);
        List<String> keyword = store.search(SearchRequest.keyword("river", 12)).stream().map(SearchHit::id).toList();
        List<SearchHit> keywordSide = store.hybridSearch("river", query, 12, null, 0.0);
        assertThat(keywordSide.stream().map(SearchHit::id).toList().subList(0, keyword.size())).isEqualTo(keyword);
        List<SearchHit> filtered = store.hybridSearch("river", query, 12, Filter.gte("n", 0), null);
        assertThat(filtered).isNotEmpty().allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(store.hybridSearch("river", query, 5, Filter.eq("lang", "xx"), null)).isEmpty();
        assertNoViolations();
    }
}
