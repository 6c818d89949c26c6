package dev.ragkit.store.pinecone;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.opentest4j.TestAbortedException;

/**
 * A stateful Pinecone on loopback ports: the control plane (describe and create an index) and, per index,
 * a data plane of its own (upsert, fetch, list, delete, query by exact cosine, describe_index_stats) that
 * keeps records per namespace. Every request it receives and every response it sends is validated against
 * Pinecone's own OpenAPI descriptions of API 2026-04 ({@code ../shared/specs/pinecone}); a request that
 * does not conform is answered 400, and every mismatch is kept in {@link #violations()} for the tests to
 * fail on. Faults can be queued per path to test the adapter's retries and errors.
 */
final class PineconeStub implements AutoCloseable {
    static final String API_KEY = "stub-key-not-secret";

    /** One queued misbehaviour, used by the next request to a path. */
    sealed interface Fault {
        record Status(int status, String retryAfter) implements Fault {
        }

        /** Closes the connection without any response. */
        record Reset() implements Fault {
        }

        /** No fault: the request is served normally (to fault a later request of a series). */
        record Pass() implements Fault {
        }

        /** A 200 whose body is not JSON. */
        record Malformed() implements Fault {
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final OpenApiInteractionValidator control;
    private final OpenApiInteractionValidator data;
    private final HttpServer controlServer;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, IndexState> indexes = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    /** MongoDB's reading (on which Pinecone bases its language) by default: $ne/$nin match a missing field. */
    private volatile PineconeFilterLanguage filters = new PineconeFilterLanguage(true);

    private PineconeStub(Path specs) throws IOException {
        this.control = validator(specs.resolve("db_control_2026-04.oas.yaml"));
        this.data = validator(specs.resolve("db_data_2026-04.oas.yaml"));
        this.controlServer = server(this::control);
    }

    static PineconeStub start() {
        try {
            return new PineconeStub(specs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the vendor's descriptions are: set by the build (the shared layout beside the project), else
     * {@code $RAGKIT_SHARED_DATA/../specs/pinecone}. Without them the stub cannot vouch for its fidelity, so
     * the tests that need it are not run ({@link #specsAvailable}), with the reason, rather than pass unvalidated.
     */
    static Path specs() {
        Path dir = specsLocation();
        if (!specsAvailable()) {
            throw new TestAbortedException(SPECS_NOT_FOUND + dir.toAbsolutePath());
        }
        return dir;
    }

    /** Why the stub's tests are not run when the descriptions are missing (JUnit reports it as the skip reason). */
    static final String SPECS_NOT_FOUND = "not run: Pinecone's OpenAPI 2026-04 descriptions are missing; the stub "
            + "validates every exchange against them: put ../shared/specs beside the project, set RAGKIT_SHARED_DATA, "
            + "or pass -Dragkit.pinecone.specs=DIR. Looked at ";

    /** For {@code @EnabledIf}: the tests that run through the stub need the descriptions. */
    static boolean specsAvailable() {
        return Files.isRegularFile(specsLocation().resolve("db_data_2026-04.oas.yaml"));
    }

    private static Path specsLocation() {
        String configured = System.getProperty("ragkit.pinecone.specs");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/specs/pinecone");
        String shared = System.getenv("RAGKIT_SHARED_DATA");
        if (!Files.isRegularFile(dir.resolve("db_data_2026-04.oas.yaml")) && shared != null) {
            dir = Path.of(shared).resolve("../specs/pinecone");
        }
        return dir;
    }

    private static OpenApiInteractionValidator validator(Path spec) {
        // The validator's "format: float" check compares the decimal text of a number with its float
        // conversion and reports any difference as an overflow: 0.000049670765 (a valid, in-range float32 as
        // Jackson writes it) fails it. Only that text comparison is switched off; type, range of integers,
        // required fields, enums and every other schema rule stay errors.
        LevelResolver levels = LevelResolver.create()
                .withLevel("validation.request.body.schema.format.float", ValidationReport.Level.IGNORE)
                .withLevel("validation.response.body.schema.format.float", ValidationReport.Level.IGNORE)
                .build();
        return OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
                .withLevelResolver(levels).build();
    }

    private HttpServer server(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (IOException e) {
                // The versioned kit's crash checks kill a client mid-exchange on purpose: the answer then
                // meets a closed socket. That is the client gone, not a stub or wire failure.
                if (!clientGone(e)) {
                    violations.add("stub failure on " + exchange.getRequestURI() + ": " + e);
                }
                exchange.close();
            } catch (RuntimeException e) {
                violations.add("stub failure on " + exchange.getRequestURI() + ": " + e);
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
        return server;
    }

    /**
     * The client died mid-exchange: while the stub wrote its answer ("Broken pipe", "Connection reset") or,
     * killed while it was still sending, before the stub had read the whole request body (the JDK server's
     * "connection closed before all data received").
     */
    private static boolean clientGone(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Broken pipe") || message.contains("Connection reset")
                || message.contains("connection closed before all data received");
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    URI controlUri() {
        return URI.create("http://127.0.0.1:" + controlServer.getAddress().getPort());
    }

    /** Every mismatch with the OpenAPI descriptions seen so far, and any stub failure. */
    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** {@code METHOD path?query} of every request received, in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * Which reading of Pinecone's documentation the stub's filters follow where it is silent: whether
     * {@code $ne}/{@code $nin} match a record that lacks the field.
     */
    void negationsMatchMissingFields(boolean match) {
        filters = new PineconeFilterLanguage(match);
    }

    /** Queues faults for the next requests whose path is {@code path} (e.g. {@code /vectors/upsert}). */
    void fail(String path, Fault... next) {
        faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(next));
    }

    /** Creates an index directly, as if another host had (dimension and metric as given). */
    void createIndex(String name, int dimension, String metric) {
        try {
            indexes.put(name, new IndexState(name, dimension, metric, server(this::dataPlane)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ control plane

    private void control(HttpExchange exchange) throws IOException {
        Exchange ex = new Exchange(exchange, control);
        if (ex.rejected()) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith("/indexes/") && ex.method.equals("GET")) {
            IndexState state = indexes.get(path.substring("/indexes/".length()));
            if (state == null) {
                ex.error(404, "NOT_FOUND", "Resource " + path.substring(9) + " not found");
            } else {
                ex.reply(200, state.model());
            }
        } else if (path.equals("/indexes") && ex.method.equals("POST")) {
            JsonNode body = ex.body();
            String name = body.path("name").asText();
            if (indexes.containsKey(name)) {
                ex.error(409, "ALREADY_EXISTS", "Resource " + name + " already exists");
                return;
            }
            createIndex(name, body.path("dimension").asInt(), body.path("metric").asText("cosine"));
            IndexState state = indexes.get(name);
            state.spec = body.path("spec");
            // A new index is not ready at once (neither in this answer nor the next describe): the adapter waits.
            state.readyAfterDescribes = 2;
            ex.reply(201, state.model());
        } else {
            ex.error(404, "NOT_FOUND", "no stub route for " + ex.method + " " + path);
        }
    }

    // ------------------------------------------------------------------ data plane

    private void dataPlane(HttpExchange exchange) throws IOException {
        IndexState state = indexes.values().stream()
                .filter(s -> s.server.getAddress().getPort() == exchange.getLocalAddress().getPort())
                .findFirst().orElseThrow();
        Exchange ex = new Exchange(exchange, data);
        if (ex.rejected()) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        synchronized (state) {
            switch (ex.method + " " + path) {
                case "POST /vectors/upsert" -> upsert(ex, state);
                case "GET /vectors/fetch" -> fetch(ex, state);
                case "GET /vectors/list" -> list(ex, state);
                case "POST /vectors/delete" -> delete(ex, state);
                case "POST /query" -> query(ex, state);
                case "POST /describe_index_stats" -> stats(ex, state);
                default -> ex.error(404, "NOT_FOUND", "no stub route for " + ex.method + " " + path);
            }
        }
    }

    private void upsert(Exchange ex, IndexState state) throws IOException {
        JsonNode body = ex.body();
        String namespace = body.path("namespace").asText("");
        for (JsonNode vector : body.path("vectors")) {
            if (vector.path("values").size() != state.dimension) {
                ex.error(400, "INVALID_ARGUMENT", "Vector dimension " + vector.path("values").size()
                        + " does not match the dimension of the index " + state.dimension);
                return;
            }
            if (json.writeValueAsBytes(vector.path("metadata")).length > 40 * 1024) {
                ex.error(400, "INVALID_ARGUMENT", "Metadata size exceeds the limit of 40960 bytes per vector");
                return;
            }
        }
        TreeMap<String, JsonNode> records = state.namespaces.computeIfAbsent(namespace, n -> new TreeMap<>());
        body.path("vectors").forEach(v -> records.put(v.path("id").asText(), v.deepCopy()));
        ObjectNode answer = json.createObjectNode();
        answer.put("upsertedCount", body.path("vectors").size());
        ex.reply(200, answer);
    }

    private void fetch(Exchange ex, IndexState state) throws IOException {
        String namespace = ex.query("namespace").stream().findFirst().orElse("");
        TreeMap<String, JsonNode> records = state.namespaces.getOrDefault(namespace, new TreeMap<>());
        ObjectNode answer = json.createObjectNode();
        ObjectNode vectors = answer.putObject("vectors");
        for (String id : ex.query("ids")) {
            JsonNode record = records.get(id);
            if (record != null) {
                vectors.set(id, record);
            }
        }
        answer.put("namespace", namespace);
        answer.putObject("usage").put("readUnits", 1);
        ex.reply(200, answer);
    }

    private void list(Exchange ex, IndexState state) throws IOException {
        String namespace = ex.query("namespace").stream().findFirst().orElse("");
        int limit = ex.query("limit").stream().findFirst().map(Integer::parseInt).orElse(100);
        String after = ex.query("paginationToken").stream().findFirst()
                .map(t -> new String(Base64.getUrlDecoder().decode(t), StandardCharsets.UTF_8)).orElse(null);
        TreeMap<String, JsonNode> records = state.namespaces.getOrDefault(namespace, new TreeMap<>());
        List<String> ids = new ArrayList<>((after == null ? records : records.tailMap(after, false)).keySet());
        ObjectNode answer = json.createObjectNode();
        ArrayNode vectors = answer.putArray("vectors");
        ids.stream().limit(limit).forEach(id -> vectors.addObject().put("id", id));
        if (ids.size() > limit) {
            answer.putObject("pagination").put("next", Base64.getUrlEncoder().encodeToString(
                    ids.get(limit - 1).getBytes(StandardCharsets.UTF_8)));
        }
        answer.put("namespace", namespace);
        answer.putObject("usage").put("readUnits", 1);
        ex.reply(200, answer);
    }

    private void delete(Exchange ex, IndexState state) throws IOException {
        JsonNode body = ex.body();
        String namespace = body.path("namespace").asText("");
        if (body.path("filter").isObject()) {
            ex.error(400, "INVALID_ARGUMENT", "the stub does not evaluate filters, and the adapter never sends one");
            return;
        }
        if (body.path("deleteAll").asBoolean(false)) {
            state.namespaces.remove(namespace);
        } else {
            TreeMap<String, JsonNode> records = state.namespaces.get(namespace);
            if (records != null) {
                body.path("ids").forEach(id -> records.remove(id.asText()));
            }
        }
        ex.reply(200, json.createObjectNode());
    }

    private void query(Exchange ex, IndexState state) throws IOException {
        JsonNode body = ex.body();
        String namespace = body.path("namespace").asText("");
        JsonNode filter = body.get("filter");
        PineconeFilterLanguage language = filters;
        if (filter != null) {
            try {
                // Checked as a whole up front, so a malformed filter is refused even on an empty namespace.
                language.matches(filter, null);
            } catch (IllegalArgumentException e) {
                violations.add("request POST /query: filter " + filter + " is outside Pinecone's documented filter "
                        + "language: " + e.getMessage());
                ex.error(400, "INVALID_ARGUMENT", "Invalid filter: " + e.getMessage());
                return;
            }
        }
        double[] query = doubles(body.path("vector"));
        if (query.length != state.dimension) {
            ex.error(400, "INVALID_ARGUMENT", "Vector dimension " + query.length + " does not match the dimension of "
                    + "the index " + state.dimension);
            return;
        }
        List<Map.Entry<String, Double>> scored = new ArrayList<>();
        state.namespaces.getOrDefault(namespace, new TreeMap<>()).forEach((id, record) -> {
            if (filter == null || language.matches(filter, record.get("metadata"))) {
                scored.add(Map.entry(id, cosine(query, doubles(record.path("values")))));
            }
        });
        scored.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        ObjectNode answer = json.createObjectNode();
        ArrayNode matches = answer.putArray("matches");
        for (Map.Entry<String, Double> entry : scored.subList(0, Math.min(scored.size(), body.path("topK").asInt()))) {
            JsonNode record = state.namespaces.get(namespace).get(entry.getKey());
            ObjectNode match = matches.addObject();
            match.put("id", entry.getKey());
            match.put("score", entry.getValue().floatValue());
            if (body.path("includeValues").asBoolean(false)) {
                match.set("values", record.path("values"));
            }
            if (body.path("includeMetadata").asBoolean(false) && record.has("metadata")) {
                match.set("metadata", record.path("metadata"));
            }
        }
        answer.put("namespace", namespace);
        answer.putObject("usage").put("readUnits", 5);
        ex.reply(200, answer);
    }

    private void stats(Exchange ex, IndexState state) throws IOException {
        if (ex.body().has("filter")) {
            ex.error(400, "INVALID_ARGUMENT", "Serverless indexes do not support filtering describe_index_stats");
            return;
        }
        ObjectNode answer = json.createObjectNode();
        ObjectNode namespaces = answer.putObject("namespaces");
        long total = 0;
        for (Map.Entry<String, TreeMap<String, JsonNode>> entry : state.namespaces.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                namespaces.putObject(entry.getKey()).put("vectorCount", entry.getValue().size());
                total += entry.getValue().size();
            }
        }
        answer.put("dimension", state.dimension);
        answer.put("indexFullness", 0.0);
        answer.put("totalVectorCount", total);
        answer.put("metric", state.metric);
        answer.put("vectorType", "dense");
        ex.reply(200, answer);
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    // ------------------------------------------------------------------ exchanges

    /** One request: read, validated, answered with a validated response (or a queued fault). */
    private final class Exchange {
        final HttpExchange exchange;
        final OpenApiInteractionValidator validator;
        final String method;
        final byte[] requestBody;
        final Request request;

        Exchange(HttpExchange exchange, OpenApiInteractionValidator validator) throws IOException {
            this.exchange = exchange;
            this.validator = validator;
            this.method = exchange.getRequestMethod();
            this.requestBody = exchange.getRequestBody().readAllBytes();
            this.request = toRequest();
            requests.add(method + " " + exchange.getRequestURI());
        }

        private Request toRequest() {
            URI uri = exchange.getRequestURI();
            SimpleRequest.Builder builder = new SimpleRequest.Builder(method, uri.getPath());
            exchange.getRequestHeaders().forEach((name, values) -> builder.withHeader(name, values));
            if (uri.getRawQuery() != null) {
                parseQuery(uri.getRawQuery()).forEach(builder::withQueryParam);
            }
            if (requestBody.length > 0) {
                builder.withBody(new String(requestBody, StandardCharsets.UTF_8));
            }
            return builder.build();
        }

        /** Validates the request; answers 400 and returns true when it does not conform, or applies a fault. */
        boolean rejected() throws IOException {
            ValidationReport report = validator.validateRequest(request);
            if (report.hasErrors()) {
                String message = describe(report);
                violations.add("request " + method + " " + exchange.getRequestURI() + ": " + message);
                error(400, "INVALID_ARGUMENT", "request does not conform to the 2026-04 API: " + message);
                return true;
            }
            Deque<Fault> queued = faults.get(exchange.getRequestURI().getPath());
            Fault fault = queued == null ? null : queued.poll();
            if (fault instanceof Fault.Status s) {
                if (s.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", s.retryAfter());
                }
                error(s.status(), s.status() == 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE", "injected fault");
                return true;
            }
            if (fault instanceof Fault.Reset) {
                // Closing before any response: the client sees the connection end mid-exchange.
                exchange.getResponseBody().close();
                exchange.close();
                return true;
            }
            if (fault instanceof Fault.Malformed) {
                byte[] body = "{\"matches\": [ {\"id\": \"a\", ".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
                return true;
            }
            return false;
        }

        JsonNode body() throws IOException {
            return json.readTree(requestBody);
        }

        List<String> query(String name) {
            String raw = exchange.getRequestURI().getRawQuery();
            return raw == null ? List.of() : parseQuery(raw).getOrDefault(name, List.of());
        }

        /** The control plane's ErrorResponse, or the data plane's rpcStatus (with a gRPC code), as each API describes. */
        void error(int status, String code, String message) throws IOException {
            ObjectNode body = json.createObjectNode();
            if (validator == data) {
                body.put("code", switch (status) {
                    case 400 -> 3;
                    case 401 -> 16;
                    case 403 -> 7;
                    case 404 -> 5;
                    case 429 -> 8;
                    default -> 14;
                });
                body.put("message", message);
                body.putArray("details");
            } else {
                body.put("status", status);
                ObjectNode error = body.putObject("error");
                error.put("code", code);
                error.put("message", message);
            }
            reply(status, body);
        }

        void reply(int status, JsonNode body) throws IOException {
            byte[] bytes = json.writeValueAsBytes(body);
            SimpleResponse response = SimpleResponse.Builder.status(status)
                    .withContentType("application/json").withBody(new String(bytes, StandardCharsets.UTF_8)).build();
            ValidationReport report = validator.validateResponse(request.getPath(), request.getMethod(), response);
            if (report.hasErrors()) {
                violations.add("response " + status + " to " + method + " " + exchange.getRequestURI() + ": "
                        + describe(report));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }

    static String describe(ValidationReport report) {
        StringBuilder out = new StringBuilder();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.append('[').append(m.getKey()).append("] ").append(m.getMessage()).append(' ');
            }
        }
        return out.toString().strip();
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** One index: its data-plane server and its records per namespace. */
    private final class IndexState {
        final String name;
        final int dimension;
        final String metric;
        final HttpServer server;
        final Map<String, TreeMap<String, JsonNode>> namespaces = new TreeMap<>();
        volatile JsonNode spec;
        volatile int readyAfterDescribes;

        IndexState(String name, int dimension, String metric, HttpServer server) {
            this.name = name;
            this.dimension = dimension;
            this.metric = metric;
            this.server = server;
        }

        JsonNode model() {
            ObjectNode model = json.createObjectNode();
            model.put("name", name);
            model.put("dimension", dimension);
            model.put("metric", metric);
            model.put("host", "http://127.0.0.1:" + server.getAddress().getPort());
            model.put("deletion_protection", "disabled");
            model.put("vector_type", "dense");
            ObjectNode spec = model.putObject("spec").putObject("serverless");
            spec.put("cloud", this.spec == null ? "aws" : this.spec.path("serverless").path("cloud").asText("aws"));
            spec.put("region", this.spec == null ? "us-east-1"
                    : this.spec.path("serverless").path("region").asText("us-east-1"));
            ObjectNode capacity = spec.putObject("read_capacity");
            capacity.put("mode", "OnDemand");
            capacity.putObject("status").put("state", "Ready");
            ObjectNode status = model.putObject("status");
            boolean ready = readyAfterDescribes <= 0;
            if (!ready) {
                readyAfterDescribes--;
            }
            status.put("ready", ready);
            status.put("state", ready ? "Ready" : "Initializing");
            return model;
        }
    }

    @Override
    public void close() {
        controlServer.stop(0);
        indexes.values().forEach(s -> s.server.stop(0));
        executor.shutdownNow();
    }
}
