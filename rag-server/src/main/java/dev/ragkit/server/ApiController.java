package dev.ragkit.server;

import dev.ragkit.core.AnswerListener;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.ChatMessage;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmRequest;
import dev.ragkit.server.ApiRequests.DocumentBody;
import dev.ragkit.server.ApiRequests.EmbedRequest;
import dev.ragkit.server.ApiRequests.GenerateRequest;
import dev.ragkit.server.ApiRequests.IngestRequest;
import dev.ragkit.server.ApiRequests.RagRequest;
import dev.ragkit.server.ApiRequests.RetrieveRequest;
import dev.ragkit.server.internal.ApiFilter;
import dev.ragkit.server.internal.ApiProblem;
import dev.ragkit.server.internal.FilterJson;
import dev.ragkit.server.internal.IngestionJobs;
import dev.ragkit.server.internal.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The /v1 endpoints. Every retrieval of a tenant token is filtered on its tenant, whatever the request's own
 * filter says; every write of a tenant token is stamped with its tenant.
 */
@RestController
public class ApiController {
    /** Largest top-k a request may ask for. */
    static final int MAX_TOP_K = 100;
    /** Most texts one embed request may carry. */
    static final int MAX_EMBED_TEXTS = 256;

    private final Ragkit ragkit;
    private final IngestionJobs jobs;
    private final RagServerProperties settings;
    private final ExecutorService streams;
    private final JsonMapper json;
    /** Pipelines for a top-k other than the configured one, made on first use (at most {@value #MAX_TOP_K}). */
    private final Map<Integer, RagPipeline> pipelinesByTopK = new ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final io.opentelemetry.api.trace.Tracer tracer;

    ApiController(Ragkit ragkit, IngestionJobs jobs, RagServerProperties settings, ExecutorService ragkitStreams,
            JsonMapper json, org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters,
            org.springframework.beans.factory.ObjectProvider<io.opentelemetry.api.trace.Tracer> tracer) {
        this.meters = meters.getIfAvailable();
        this.tracer = tracer.getIfAvailable();
        this.ragkit = ragkit;
        this.jobs = jobs;
        this.settings = settings;
        this.streams = ragkitStreams;
        this.json = json;
    }

    @PostMapping(path = "/v1/rag", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public Map<String, Object> rag(@RequestBody RagRequest body, HttpServletRequest request) {
        Principal caller = principal(request);
        Answer answer = pipeline(body.topK()).ask(required(body.question(), "question"), scoped(caller, body.filter()));
        return answerJson(blockedIsProblem(answer));
    }

    /** The same answer streamed as server-sent events: {@code token} events, then one {@code answer} event. */
    @PostMapping(path = "/v1/rag", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter ragStream(@RequestBody RagRequest body, HttpServletRequest request) {
        Principal caller = principal(request);
        String question = required(body.question(), "question");
        Filter filter = scoped(caller, body.filter());
        RagPipeline pipeline = pipeline(body.topK());
        SseEmitter emitter = new SseEmitter(0L);
        streams.execute(() -> {
            try {
                Answer answer = pipeline.askStreaming(question, filter, new AnswerListener() {
                    @Override
                    public void onToken(String token) {
                        send(emitter, "token", Map.of("text", token));
                    }

                    @Override
                    public void onRestart(Answer.Fallback reason) {
                        send(emitter, "restart", Map.of("from", reason.from(), "reason", reason.reason()));
                    }
                });
                send(emitter, "answer", answerJson(answer));
                emitter.complete();
            } catch (RuntimeException e) {
                // The status line is sent already: the failure goes as a last event, as problem details.
                try {
                    send(emitter, "error", ApiExceptionHandler.body(ApiExceptionHandler.toProblem(e)));
                    emitter.complete();
                } catch (RuntimeException clientGone) {
                    emitter.completeWithError(clientGone);
                }
            }
        });
        return emitter;
    }

    @PostMapping(path = "/v1/retrieve", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> retrieve(@RequestBody RetrieveRequest body, HttpServletRequest request) {
        Principal caller = principal(request);
        Retriever retriever = ragkit.retriever();
        int topK = topK(body.topK(), retriever.topK());
        List<SearchHit> hits = retriever.retrieve(required(body.query(), "query"), scoped(caller, body.filter()), topK);
        List<Map<String, Object>> out = new ArrayList<>();
        for (SearchHit hit : hits) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("chunkId", hit.chunk().id());
            h.put("documentId", hit.chunk().documentId());
            h.put("title", hit.chunk().title());
            h.put("text", hit.chunk().text());
            h.put("score", hit.score());
            h.put("metadata", hit.chunk().metadata());
            out.add(h);
        }
        return Map.of("hits", out);
    }

    @PostMapping(path = "/v1/embed", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> embed(@RequestBody EmbedRequest body) {
        boolean hasTexts = body.texts() != null && !body.texts().isEmpty();
        if (hasTexts == (body.query() != null)) {
            throw new InvalidInputException("give either 'texts' (a non-empty array, embedded as documents) or "
                    + "'query' (embedded as a query), not both or neither");
        }
        List<float[]> vectors;
        if (hasTexts) {
            if (body.texts().size() > MAX_EMBED_TEXTS) {
                throw new InvalidInputException("'texts' had " + body.texts().size() + " entries but at most "
                        + MAX_EMBED_TEXTS + " are embedded per request");
            }
            for (int i = 0; i < body.texts().size(); i++) {
                required(body.texts().get(i), "texts[" + i + "]");
            }
            vectors = ragkit.embedder().embedDocuments(body.texts());
        } else {
            vectors = List.of(ragkit.embedder().embedQuery(required(body.query(), "query")));
        }
        return Map.of("model", ragkit.embedder().id(), "dimension", ragkit.embedder().dimension(), "embeddings", vectors);
    }

    /**
     * A prompt to the language models (fallback chain) without retrieval, through the input and output guards.
     * Without an LLM configured there is nothing to generate with: 501.
     */
    @PostMapping(path = "/v1/generate", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> generate(@RequestBody GenerateRequest body) {
        String prompt = required(body.prompt(), "prompt");
        if (body.maxTokens() != null && body.maxTokens() < 1) {
            throw new InvalidInputException("maxTokens was " + body.maxTokens() + " but it must be >= 1");
        }
        if (ragkit.llms().isEmpty()) {
            throw new ApiProblem(HttpStatus.NOT_IMPLEMENTED, "no-llm", "no language model is configured, so there "
                    + "is nothing to generate with; set ragkit.llm (RAG_LLM=ollama or hf) and its endpoint");
        }
        String requestId = java.util.UUID.randomUUID().toString();
        try {
            String input = guard(GuardStage.INPUT, prompt, requestId);
            LlmRequest llmRequest = new LlmRequest(List.of(ChatMessage.user(input)),
                    body.maxTokens() == null ? OptionalInt.empty() : OptionalInt.of(body.maxTokens()), OptionalDouble.empty());
            List<Map<String, String>> fallbacks = new ArrayList<>();
            RagBackendException last = null;
            for (LlmClient llm : ragkit.llms()) {
                try {
                    Generation generation = llm.generate(llmRequest);
                    String output = guard(GuardStage.OUTPUT, generation.text(), requestId);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("text", output);
                    out.put("model", generation.model());
                    out.put("usage", Map.of("promptTokens", generation.usage().promptTokens(),
                            "completionTokens", generation.usage().completionTokens()));
                    out.put("fallbacks", fallbacks);
                    return out;
                } catch (RagBackendException e) {
                    last = e;
                    fallbacks.add(Map.of("from", llm.id(), "reason", e.getMessage()));
                }
            }
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable", "every language model failed; "
                    + "the last said: " + last.getMessage(), Map.of("fallbacks", fallbacks),
                    new org.springframework.http.HttpHeaders());
        } finally {
            for (Guard guard : ragkit.guards()) {
                guard.requestFinished(requestId);
            }
        }
    }

    @PostMapping(path = "/v1/ingest", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> ingest(@RequestBody IngestRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, HttpServletRequest request) {
        Principal caller = principal(request);
        boolean inline = body.documents() != null && !body.documents().isEmpty();
        if (inline == (body.path() != null)) {
            throw new InvalidInputException("give either 'documents' (a non-empty array) or 'path' (a server-side "
                    + "directory), not both or neither");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new InvalidInputException("Idempotency-Key must be 1 to 200 characters");
        }
        IngestionJobs.Work work = inline ? new IngestionJobs.Work(documents(caller, body.documents()), null, null)
                : new IngestionJobs.Work(null, allowedPath(caller, body.path()), tenantMetadata(caller));
        IngestionJobs.Submitted submitted = jobs.submit(caller, idempotencyKey, hash(body), work);
        Map<String, Object> out = IngestionJobs.describe(submitted.job());
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/v1/jobs/"
                + submitted.job().id()));
        if (submitted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(out);
    }

    @GetMapping("/v1/jobs/{id}")
    public Map<String, Object> job(@PathVariable("id") String id, HttpServletRequest request) {
        return jobs.find(id, principal(request)).map(IngestionJobs::describe)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "no ingestion job '" + id + "'"));
    }

    /** Deletes every chunk of a document; a tenant token deletes only its tenant's documents (others are 404). */
    @DeleteMapping("/v1/documents/{id}")
    public Map<String, Object> deleteDocument(@PathVariable("id") String id, HttpServletRequest request) {
        Principal caller = principal(request);
        Filter mine = scoped(caller, Filter.eq(Metadata.DOCUMENT_ID_KEY, id));
        if (ragkit.ingestor().storedDocumentIds(mine).isEmpty()) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "no document '" + id + "'");
        }
        IngestionReport report = ragkit.ingestor().deleteDocuments(List.of(id));
        ragkit.store().flush();
        return Map.of("documentId", id, "chunksDeleted", report.chunksDeleted());
    }

    // ---- helpers

    private RagPipeline pipeline(Integer topK) {
        int configured = ragkit.retriever().topK();
        int k = topK(topK, configured);
        if (k == configured) {
            return ragkit.pipeline();
        }
        // The core's pipeline has one top-k; another one gets its own pipeline over the same parts and meters
        // (without the rollout router: during a rollout, such questions are answered by the live version).
        return pipelinesByTopK.computeIfAbsent(k, n -> {
            RagPipeline.Builder builder = RagPipeline.builder().retriever(ragkit.retriever().toBuilder().topK(n).build())
                    .llms(ragkit.llms()).guards(ragkit.guards());
            if (meters != null) {
                builder.meterRegistry(meters);
            }
            if (tracer != null) {
                builder.tracer(tracer);
            }
            return builder.build();
        });
    }

    private static int topK(Integer requested, int configured) {
        if (requested == null) {
            return configured;
        }
        if (requested < 1 || requested > MAX_TOP_K) {
            throw new InvalidInputException("topK was " + requested + " but it must be 1 to " + MAX_TOP_K);
        }
        return requested;
    }

    private Filter scoped(Principal caller, tools.jackson.databind.JsonNode filter) {
        return scoped(caller, FilterJson.parse(filter));
    }

    /** {@code filter} and, for a tenant token, the tenant's condition: a tenant never reads another's chunks. */
    private Filter scoped(Principal caller, Filter filter) {
        if (caller.tenant().isEmpty()) {
            return filter;
        }
        Filter tenant = Filter.eq(settings.getTenantKey(), caller.tenant().get());
        return filter == null ? tenant : Filter.and(filter, tenant);
    }

    private Map<String, Object> tenantMetadata(Principal caller) {
        return caller.tenant().<Map<String, Object>>map(t -> Map.of(settings.getTenantKey(), t)).orElse(Map.of());
    }

    private List<Document> documents(Principal caller, List<DocumentBody> bodies) {
        int max = settings.getIngest().getMaxDocuments();
        if (bodies.size() > max) {
            throw new InvalidInputException("'documents' had " + bodies.size() + " entries but at most " + max
                    + " are taken per request (ragkit.server.ingest.max-documents)");
        }
        String key = settings.getTenantKey();
        List<Document> documents = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < bodies.size(); i++) {
            DocumentBody b = bodies.get(i);
            if (b == null) {
                throw new InvalidInputException("documents[" + i + "] was null");
            }
            String id = required(b.id(), "documents[" + i + "].id");
            if (!ids.add(id)) {
                throw new InvalidInputException("document id '" + id + "' appears twice in 'documents'");
            }
            Map<String, Object> metadata = new LinkedHashMap<>(b.metadata() == null ? Map.of() : b.metadata());
            if (caller.tenant().isPresent()) {
                Object given = metadata.get(key);
                if (given != null && !given.equals(caller.tenant().get())) {
                    throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "documents[" + i + "].metadata." + key
                            + " names another tenant than the token's; leave it out, the server sets it");
                }
                metadata.put(key, caller.tenant().get());
            }
            documents.add(new Document(id, required(b.text(), "documents[" + i + "].text"), metadata));
        }
        if (caller.tenant().isPresent()) {
            // An id held by another tenant would be overwritten: refuse it rather than touch their document.
            Filter othersWithTheseIds = Filter.and(Filter.in(Metadata.DOCUMENT_ID_KEY, new ArrayList<>(ids)),
                    Filter.ne(key, caller.tenant().get()));
            if (!ragkit.ingestor().storedDocumentIds(othersWithTheseIds).isEmpty()) {
                throw new ApiProblem(HttpStatus.CONFLICT, "document-id-taken", "a document id of this request belongs"
                        + " to another tenant; choose other ids");
            }
        }
        return documents;
    }

    private Path allowedPath(Principal caller, String path) {
        if (!caller.allows(Principal.ADMIN)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "ingesting a server-side path needs scope 'admin'",
                    Map.of("scope", Principal.ADMIN), new org.springframework.http.HttpHeaders());
        }
        try {
            Path real = Path.of(path).toRealPath();
            for (Path allowed : settings.getIngest().getAllowedPaths()) {
                if (Files.isDirectory(allowed) && real.startsWith(allowed.toRealPath())) {
                    return real;
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new InvalidInputException("path '" + path + "' cannot be read: " + e.getMessage());
        }
        throw new ApiProblem(HttpStatus.FORBIDDEN, "path-not-allowed", "path '" + path + "' is not under a directory"
                + " of ragkit.server.ingest.allowed-paths", Map.of(), new org.springframework.http.HttpHeaders());
    }

    private String guard(GuardStage stage, String text, String requestId) {
        String current = text;
        for (Guard guard : ragkit.guards()) {
            if (!guard.stages().contains(stage)) {
                continue;
            }
            GuardVerdict verdict = guard.check(new GuardInput(stage, current, List.of(), requestId));
            if (verdict instanceof GuardVerdict.Block block) {
                throw guardBlocked(guard.name(), block.reasons());
            }
            if (verdict instanceof GuardVerdict.Redact redact) {
                current = redact.text();
            }
        }
        return current;
    }

    private static ApiProblem guardBlocked(String guard, List<String> reasons) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "guard-blocked", "a guard blocked the request: "
                + String.join("; ", reasons), Map.of("reasons", reasons), new org.springframework.http.HttpHeaders());
    }

    private static Answer blockedIsProblem(Answer answer) {
        if (answer.kind() == Answer.Kind.BLOCKED) {
            throw guardBlocked("", answer.guardReasons());
        }
        return answer;
    }

    private String hash(IngestRequest body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> answerJson(Answer answer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("answer", answer.text());
        out.put("kind", answer.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("answeredBy", answer.answeredBy());
        List<Map<String, Object>> citations = new ArrayList<>();
        answer.citations().forEach(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", c.number());
            m.put("documentId", c.documentId());
            m.put("chunkId", c.chunkId());
            m.put("title", c.title());
            m.put("snippet", c.snippet());
            m.put("score", c.score());
            citations.add(m);
        });
        out.put("citations", citations);
        Map<String, Double> timings = new LinkedHashMap<>();
        answer.timings().forEach(t -> timings.merge(t.step(), t.duration().toNanos() / 1e6, Double::sum));
        out.put("timingsMillis", timings);
        out.put("fallbacks", answer.fallbacks().stream().map(f -> Map.of("from", f.from(), "reason", f.reason())).toList());
        out.put("usage", Map.of("promptTokens", answer.usage().promptTokens(),
                "completionTokens", answer.usage().completionTokens()));
        out.put("traceId", answer.traceId());
        return out;
    }

    private static void send(SseEmitter emitter, String event, Object data) {
        try {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException e) {
            // The client went away; the answer still completes so that guards and meters see its end.
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("'" + field + "' is required and must not be blank");
        }
        return value;
    }

    private static Principal principal(HttpServletRequest request) {
        return (Principal) Optional.ofNullable(request.getAttribute(ApiFilter.PRINCIPAL))
                .orElseThrow(() -> new IllegalStateException("the API filter did not run for " + request.getRequestURI()));
    }
}
