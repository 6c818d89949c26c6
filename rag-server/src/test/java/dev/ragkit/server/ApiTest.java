package dev.ragkit.server;

import static dev.ragkit.server.ServerFixtures.ADMIN;
import static dev.ragkit.server.ServerFixtures.QUERY_ONLY;
import static dev.ragkit.server.ServerFixtures.TENANT_A;
import static dev.ragkit.server.ServerFixtures.TENANT_B;
import static dev.ragkit.server.ServerFixtures.awaitJob;
import static dev.ragkit.server.ServerFixtures.call;
import static dev.ragkit.server.ServerFixtures.json;
import static dev.ragkit.server.ServerFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.server.ServerFixtures.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Every endpoint, status and header of the /v1 API, over real HTTP on a random port. */
@SpringBootTest(classes = {RagServerApplication.class, ServerFixtures.Providers.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    private static final Path WORK = tempDir();

    @LocalServerPort
    int port;

    @Autowired
    dev.ragkit.core.Ragkit ragkit;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ragkit.embedder", () -> "words");
        registry.add("ragkit.store", () -> "memory");
        registry.add("ragkit.store.memory.directory", () -> WORK.resolve("index").toString());
        registry.add("ragkit.llm", () -> "scripted");
        registry.add("ragkit.llm.scripted.answer", () -> "Green tea is brewed at 80 degrees [1].");
        registry.add("ragkit.guards", () -> "shout");
        registry.add("ragkit.server.ingest.jobs-directory", () -> WORK.resolve("jobs").toString());
        registry.add("ragkit.server.ingest.allowed-paths", () -> WORK.resolve("allowed").toString());
        registry.add("ragkit.server.max-body-bytes", () -> "65536");
        registry.add("ragkit.server.rate-limit.requests-per-minute", () -> "100000");
        registry.add("ragkit.server.api-version.supported", () -> "1,1.1");
        ServerFixtures.tokenProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ragkit-api-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    void ingestCorpus() {
        ingestAndWait(ADMIN, List.of(
                doc("tea", "Green tea is brewed at 80 degrees for two minutes.", Map.of("lang", "en")),
                doc("rust", "Rust prevents data races at compile time.", Map.of("lang", "en")),
                doc("the", "Le thé vert infuse à 80 degrés.", Map.of("lang", "fr"))));
        ingestAndWait(TENANT_A, List.of(doc("a-secret", "The launch code of tenant alpha is swordfish.", Map.of())));
        ingestAndWait(TENANT_B, List.of(doc("b-notes", "Tenant beta keeps notes about launch plans.", Map.of())));
    }

    private static Map<String, Object> doc(String id, String text, Map<String, Object> metadata) {
        return Map.of("id", id, "text", text, "metadata", metadata);
    }

    private JsonNode ingestAndWait(String token, List<Map<String, Object>> documents) {
        Reply reply = post(port, "/v1/ingest", token, json(Map.of("documents", documents)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        JsonNode job = awaitJob(port, token, reply.json().get("id").stringValue());
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    @Nested
    class Rag {
        @Test
        void answersWithCitationsTimingsAndTraceId() {
            Reply reply = post(port, "/v1/rag", ADMIN, json(Map.of("question", "At what temperature is green tea brewed?")));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode answer = reply.json();
            assertThat(answer.get("answer").stringValue()).contains("80 degrees");
            assertThat(answer.get("kind").stringValue()).isEqualTo("generated");
            assertThat(answer.get("citations").get(0).get("documentId").stringValue()).isEqualTo("tea");
            assertThat(answer.get("traceId").stringValue()).isNotBlank();
            assertThat(answer.get("timingsMillis").propertyNames()).isNotEmpty();
            assertThat(answer.get("fallbacks").isArray()).isTrue();
            assertThat(reply.header("X-API-Version")).isEqualTo("1");
            assertThat(reply.header("RateLimit-Limit")).isEqualTo("100000");
        }

        @Test
        void filterAndTopKApply() {
            Reply reply = post(port, "/v1/rag", ADMIN, json(Map.of("question", "green tea temperature",
                    "filter", Map.of("key", "lang", "op", "eq", "value", "fr"), "topK", 1)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("citations")).hasSize(1);
            assertThat(reply.json().get("citations").get(0).get("documentId").stringValue()).isEqualTo("the");
        }

        @Test
        void streamsTokensThenTheAnswerWithCitations() {
            Reply reply = post(port, "/v1/rag", ADMIN, json(Map.of("question", "At what temperature is green tea brewed?")),
                    "Accept", "text/event-stream");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).startsWith("text/event-stream");
            List<String> events = new ArrayList<>();
            StringBuilder tokens = new StringBuilder();
            String answerData = null;
            String event = null;
            for (String line : reply.body().split("\n")) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                    events.add(event);
                } else if (line.startsWith("data:")) {
                    JsonNode data = ServerFixtures.JSON.readTree(line.substring(5));
                    if ("token".equals(event)) {
                        tokens.append(data.get("text").stringValue());
                    } else if ("answer".equals(event)) {
                        answerData = line.substring(5);
                    }
                }
            }
            assertThat(events).contains("token").last().isEqualTo("answer");
            assertThat(events.indexOf("answer")).isEqualTo(events.size() - 1);
            assertThat(tokens.toString()).isEqualTo("Green tea is brewed at 80 degrees [1].");
            JsonNode answer = ServerFixtures.JSON.readTree(answerData);
            assertThat(answer.get("citations").get(0).get("documentId").stringValue()).isEqualTo("tea");
        }

        @Test
        void aGuardBlockIsA422WithTheReason() {
            Reply reply = post(port, "/v1/rag", ADMIN, json(Map.of("question", "WHERE IS THE TEA")));
            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.problemType()).isEqualTo("guard-blocked");
            assertThat(reply.json().get("reasons").get(0).stringValue()).contains("shouting");
        }
    }

    @Nested
    class RetrieveEmbedGenerate {
        @Test
        void retrieveReturnsScoredHitsWithMetadata() {
            Reply reply = post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "data races", "topK", 2)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode hits = reply.json().get("hits");
            assertThat(hits.size()).isBetween(1, 2);
            assertThat(hits.get(0).get("documentId").stringValue()).isEqualTo("rust");
            assertThat(hits.get(0).get("score").isNumber()).isTrue();
            assertThat(hits.get(0).get("metadata").get("lang").stringValue()).isEqualTo("en");
        }

        @Test
        void embedTextsAndQueries() {
            Reply texts = post(port, "/v1/embed", QUERY_ONLY, json(Map.of("texts", List.of("one", "two words"))));
            assertThat(texts.status()).as(texts.body()).isEqualTo(200);
            assertThat(texts.json().get("dimension").intValue()).isEqualTo(64);
            assertThat(texts.json().get("embeddings")).hasSize(2);
            assertThat(texts.json().get("embeddings").get(1)).hasSize(64);
            Reply query = post(port, "/v1/embed", QUERY_ONLY, json(Map.of("query", "a question")));
            assertThat(query.json().get("embeddings")).hasSize(1);
            Reply both = post(port, "/v1/embed", QUERY_ONLY, json(Map.of("query", "q", "texts", List.of("t"))));
            assertThat(both.status()).isEqualTo(400);
            assertThat(both.problemType()).isEqualTo("invalid-input");
        }

        @Test
        void generateIsGuardedAndNeedsNoRetrieval() {
            Reply reply = post(port, "/v1/generate", QUERY_ONLY, json(Map.of("prompt", "say something", "maxTokens", 20)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("text").stringValue()).isEqualTo("Green tea is brewed at 80 degrees [1].");
            Reply blocked = post(port, "/v1/generate", QUERY_ONLY, json(Map.of("prompt", "SAY SOMETHING")));
            assertThat(blocked.status()).isEqualTo(422);
            assertThat(blocked.problemType()).isEqualTo("guard-blocked");
            assertThat(blocked.body()).doesNotContain("Exception").doesNotContain("dev.ragkit");
        }
    }

    @Nested
    class IngestJobsDocuments {
        @Test
        void ingestIsAcceptedWithALocationAndTheJobReportsCounts() {
            Reply reply = post(port, "/v1/ingest", ADMIN, json(Map.of("documents",
                    List.of(doc("jobs-1", "A document about background jobs.", Map.of())))));
            assertThat(reply.status()).isEqualTo(202);
            String id = reply.json().get("id").stringValue();
            assertThat(reply.header("Location")).isEqualTo("/v1/jobs/" + id);
            JsonNode job = awaitJob(port, ADMIN, id);
            assertThat(job.get("state").stringValue()).isEqualTo("succeeded");
            assertThat(job.get("counts").get("chunksEmbedded").intValue()).isEqualTo(1);
            assertThat(job.get("progress").get("documentsDone").intValue()).isEqualTo(1);
            assertThat(call(port, "GET", "/v1/jobs/no-such-job", ADMIN, null).status()).isEqualTo(404);
        }

        @Test
        void anIdempotencyKeyReturnsTheSameJob() {
            String body = json(Map.of("documents", List.of(doc("idem-1", "Idempotent ingestion.", Map.of()))));
            Reply first = post(port, "/v1/ingest", ADMIN, body, "Idempotency-Key", "key-1");
            Reply retry = post(port, "/v1/ingest", ADMIN, body, "Idempotency-Key", "key-1");
            assertThat(first.status()).isEqualTo(202);
            assertThat(retry.status()).isEqualTo(202);
            assertThat(retry.json().get("id").stringValue()).isEqualTo(first.json().get("id").stringValue());
            assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
            Reply other = post(port, "/v1/ingest", ADMIN, json(Map.of("documents",
                    List.of(doc("idem-2", "Another body.", Map.of())))), "Idempotency-Key", "key-1");
            assertThat(other.status()).isEqualTo(422);
            assertThat(other.problemType()).isEqualTo("idempotency-key-reused");
            // The same key of another token is another key.
            Reply tenant = post(port, "/v1/ingest", TENANT_A, json(Map.of("documents",
                    List.of(doc("idem-a", "Idempotent ingestion.", Map.of())))), "Idempotency-Key", "key-1");
            assertThat(tenant.json().get("id").stringValue()).isNotEqualTo(first.json().get("id").stringValue());
            awaitJob(port, ADMIN, first.json().get("id").stringValue());
            awaitJob(port, TENANT_A, tenant.json().get("id").stringValue());
        }

        @Test
        void aServerSidePathIsIngestedOnlyUnderAnAllowedDirectoryAndWithAdmin() throws Exception {
            Path allowed = Files.createDirectories(WORK.resolve("allowed"));
            Files.writeString(allowed.resolve("path-doc.txt"), "A file ingested from the server's own disk.");
            Reply reply = post(port, "/v1/ingest", ADMIN, json(Map.of("path", allowed.toString())));
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
            JsonNode job = awaitJob(port, ADMIN, reply.json().get("id").stringValue());
            assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.get("counts").get("chunksEmbedded").intValue()).isEqualTo(1);
            Reply outside = post(port, "/v1/ingest", ADMIN, json(Map.of("path", WORK.resolve("jobs").toString())));
            assertThat(outside.status()).isEqualTo(403);
            assertThat(outside.problemType()).isEqualTo("path-not-allowed");
            Reply notAdmin = post(port, "/v1/ingest", TENANT_A, json(Map.of("path", allowed.toString())));
            assertThat(notAdmin.status()).isEqualTo(403);
        }

        @Test
        void deleteRemovesEveryChunkOfADocument() {
            ingestAndWait(ADMIN, List.of(doc("to-delete", "Ephemeral pelican migration notes.", Map.of())));
            Reply deleted = call(port, "DELETE", "/v1/documents/to-delete", ADMIN, null);
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.json().get("chunksDeleted").intValue()).isEqualTo(1);
            Reply hits = post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "pelican migration",
                    "filter", Map.of("key", "doc_id", "op", "eq", "value", "to-delete"))));
            assertThat(hits.json().get("hits")).isEmpty();
            assertThat(call(port, "DELETE", "/v1/documents/to-delete", ADMIN, null).status()).isEqualTo(404);
        }
    }

    @Nested
    class AuthAndVersions {
        @Test
        void noOrUnknownTokenIs401AndAMissingScopeIs403() {
            Reply none = post(port, "/v1/retrieve", null, json(Map.of("query", "tea")));
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(none.header("Content-Type")).startsWith("application/problem+json");
            assertThat(none.problemType()).isEqualTo("unauthorized");
            Reply unknown = post(port, "/v1/retrieve", "not-a-token", json(Map.of("query", "tea")));
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(unknown.body()).doesNotContain("not-a-token");
            Reply forbidden = post(port, "/v1/ingest", QUERY_ONLY, json(Map.of("documents",
                    List.of(doc("x", "y", Map.of())))));
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.problemType()).isEqualTo("forbidden");
            assertThat(call(port, "DELETE", "/v1/documents/tea", QUERY_ONLY, null).status()).isEqualTo(403);
            assertThat(call(port, "GET", "/v1/jobs/x", QUERY_ONLY, null).status()).isEqualTo(403);
        }

        @Test
        void theApiVersionIsCheckedAndEchoed() {
            Reply v11 = post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "tea")), "X-API-Version", "1.1");
            assertThat(v11.status()).isEqualTo(200);
            assertThat(v11.header("X-API-Version")).isEqualTo("1.1");
            Reply v2 = post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "tea")), "X-API-Version", "2");
            assertThat(v2.status()).isEqualTo(400);
            assertThat(v2.problemType()).isEqualTo("unsupported-api-version");
            assertThat(v2.json().get("supported").toString()).isEqualTo("[\"1\",\"1.1\"]");
        }
    }

    @Nested
    class Problems {
        @Test
        void badJsonUnknownFieldsInvalidFiltersAndOversizeBodies() {
            Reply bad = post(port, "/v1/rag", ADMIN, "{\"question\": ");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.problemType()).isEqualTo("bad-json");
            Reply unknown = post(port, "/v1/rag", ADMIN, "{\"question\": \"tea\", \"topk\": 3}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.problemType()).isEqualTo("unknown-field");
            assertThat(unknown.json().get("detail").stringValue()).contains("topk");
            Reply filter = post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "tea",
                    "filter", Map.of("key", "lang", "op", "like", "value", "en"))));
            assertThat(filter.status()).isEqualTo(400);
            assertThat(filter.problemType()).isEqualTo("invalid-filter");
            assertThat(filter.json().get("detail").stringValue()).contains("like");
            Reply blank = post(port, "/v1/rag", ADMIN, json(Map.of("question", " ")));
            assertThat(blank.status()).isEqualTo(400);
            assertThat(blank.problemType()).isEqualTo("invalid-input");
            Reply big = post(port, "/v1/embed", ADMIN, json(Map.of("query", "x".repeat(70_000))));
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.problemType()).isEqualTo("body-too-large");
            Reply topK = post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "tea", "topK", 0)));
            assertThat(topK.status()).isEqualTo(400);
        }

        @Test
        void backendFailuresAre503WithRetryAfter() {
            var problem = ApiExceptionHandler.toProblem(new RagBackendException("faiss", true, "index unreadable", null));
            assertThat(problem.status().value()).isEqualTo(503);
            assertThat(problem.headers().getFirst("Retry-After")).isEqualTo("5");
            assertThat(ApiExceptionHandler.body(problem)).containsEntry("type",
                    "https://ragkit.dev/problems/backend-unavailable").containsEntry("retriable", true);
        }
    }

    @Nested
    class TenantIsolation {
        @Test
        void aTenantNeverSeesAnotherTenantsDocumentThroughAnyEndpoint() {
            String question = "What is the launch code of tenant alpha?";
            Reply ragB = post(port, "/v1/rag", TENANT_B, json(Map.of("question", question, "topK", 10)));
            assertThat(ragB.status()).isEqualTo(200);
            assertThat(ragB.body()).doesNotContain("a-secret").doesNotContain("swordfish");
            Reply streamB = post(port, "/v1/rag", TENANT_B, json(Map.of("question", question)), "Accept", "text/event-stream");
            assertThat(streamB.body()).doesNotContain("a-secret").doesNotContain("swordfish");
            Reply retrieveB = post(port, "/v1/retrieve", TENANT_B, json(Map.of("query", "launch code swordfish", "topK", 50,
                    "filter", Map.of("or", List.of(Map.of("key", "doc_id", "op", "eq", "value", "a-secret"),
                            Map.of("key", "tenant", "op", "eq", "value", "a"))))));
            assertThat(retrieveB.json().get("hits")).isEmpty();
            Reply allB = post(port, "/v1/retrieve", TENANT_B, json(Map.of("query", "launch", "topK", 50)));
            assertThat(allB.json().get("hits")).allSatisfy(h ->
                    assertThat(h.get("metadata").get("tenant").stringValue()).isEqualTo("b"));
            Reply retrieveA = post(port, "/v1/retrieve", TENANT_A, json(Map.of("query", "launch code swordfish")));
            assertThat(retrieveA.json().get("hits").get(0).get("documentId").stringValue()).isEqualTo("a-secret");
            // Deleting, overwriting, claiming and reading jobs of another tenant.
            assertThat(call(port, "DELETE", "/v1/documents/a-secret", TENANT_B, null).status()).isEqualTo(404);
            Reply overwrite = post(port, "/v1/ingest", TENANT_B, json(Map.of("documents",
                    List.of(doc("a-secret", "overwritten by beta", Map.of())))));
            assertThat(overwrite.status()).isEqualTo(409);
            Reply claim = post(port, "/v1/ingest", TENANT_B, json(Map.of("documents",
                    List.of(doc("b-claim", "text", Map.of("tenant", "a"))))));
            assertThat(claim.status()).isEqualTo(403);
            Reply jobA = post(port, "/v1/ingest", TENANT_A, json(Map.of("documents",
                    List.of(doc("a-2", "Alpha's second document.", Map.of())))));
            String jobId = jobA.json().get("id").stringValue();
            assertThat(call(port, "GET", "/v1/jobs/" + jobId, TENANT_B, null).status()).isEqualTo(404);
            assertThat(awaitJob(port, TENANT_A, jobId).get("state").stringValue()).isEqualTo("succeeded");
            assertThat(post(port, "/v1/retrieve", TENANT_A, json(Map.of("query", "launch code swordfish")))
                    .json().get("hits").get(0).get("documentId").stringValue()).isEqualTo("a-secret");
            // /v1/embed and /v1/generate read no stored document, so there is nothing of a tenant's to leak there.
        }
    }

    @Nested
    class OpenApiMetricsHealth {
        @Test
        void theOpenApiDocumentDescribesEveryEndpoint() {
            Reply reply = call(port, "GET", "/v1/openapi.json", null, null);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            JsonNode paths = reply.json().get("paths");
            assertThat(paths.propertyNames()).contains("/v1/rag", "/v1/retrieve", "/v1/embed", "/v1/generate",
                    "/v1/ingest", "/v1/jobs/{id}", "/v1/documents/{id}");
            assertThat(paths.get("/v1/rag").get("post").get("requestBody").toString()).contains("RagRequest");
        }

        @Test
        void prometheusHasTheCoresMetersAndHealthHasTheParts() {
            post(port, "/v1/rag", ADMIN, json(Map.of("question", "green tea")));
            Reply metrics = call(port, "GET", "/actuator/prometheus", null, null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("rag_");
            Reply health = call(port, "GET", "/actuator/health", null, null);
            assertThat(health.status()).as(health.body()).isEqualTo(200);
            JsonNode ragkitHealth = health.json().get("components").get("ragkit");
            assertThat(ragkitHealth.get("status").stringValue()).isEqualTo("UP");
            assertThat(ragkitHealth.get("components").propertyNames()).contains("store", "embedder", "llm-scripted-test");
        }
    }
}
