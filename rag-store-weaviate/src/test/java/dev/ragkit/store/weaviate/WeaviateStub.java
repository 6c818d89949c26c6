package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful Weaviate for tests: JDK HttpServer on a free loopback port that keeps collections,
 * objects and aliases in memory and answers the REST calls and the GraphQL queries the store sends,
 * with exact scoring (cosine distance over every object, BM25 as Weaviate computes it, relative-score
 * hybrid fusion) and Weaviate's error shapes. Every request is checked against Weaviate's OpenAPI
 * description before it is served (a non-conforming request is answered 422 and recorded), and every
 * response before it is sent; {@link #violations()} lists every mismatch. Faults (statuses,
 * Retry-After, connection resets, malformed JSON) can be queued for the next requests.
 */
final class WeaviateStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /**
     * A fault served instead of a request whose path starts with {@code /v1 + pathPrefix}, after
     * {@code skip} such requests were served normally; {@code reset} closes the connection unanswered.
     */
    record Fault(String pathPrefix, int status, String retryAfter, String body, boolean reset, int skip) {
        Fault(String pathPrefix, int status, String retryAfter, String body, boolean reset) {
            this(pathPrefix, status, retryAfter, body, reset, 0);
        }
    }

    private int skipped;

    private static final class Collection {
        ObjectNode schema;
        final TreeMap<String, StoredObject> objects = new TreeMap<>();

        Collection(ObjectNode schema) {
            this.schema = schema;
        }

        JsonNode property(String name) {
            for (JsonNode p : schema.path("properties")) {
                if (p.path("name").asText().equals(name)) {
                    return p;
                }
            }
            return null;
        }
    }

    private record StoredObject(String id, float[] vector, ObjectNode properties) {
    }

    private final HttpServer server;
    private final WeaviateSpec spec = WeaviateSpec.load();
    private final Map<String, Collection> collections = new HashMap<>();
    private final Map<String, String> aliases = new TreeMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> seenAuthorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile String requiredKey;

    WeaviateStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the Weaviate stub", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request or response that did not match Weaviate's description. */
    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    int requests() {
        return requests.get();
    }

    /** The spec version exchanges are checked against. */
    String specVersion() {
        return spec.version();
    }

    /** Answers 401 unless requests carry {@code Authorization: Bearer key}. */
    void requireKey(String key) {
        this.requiredKey = key;
    }

    List<String> authorizations() {
        synchronized (seenAuthorizations) {
            return List.copyOf(seenAuthorizations);
        }
    }

    synchronized void fault(Fault fault) {
        faults.add(fault);
    }

    synchronized int collectionCount() {
        return collections.size();
    }

    synchronized Set<String> collectionNames() {
        return Set.copyOf(collections.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seenAuthorizations.add(auth == null ? "" : auth);
            Fault fault = nextFault(path);
            if (fault != null) {
                if (fault.reset()) {
                    return; // closing without an answer: the client sees the connection drop
                }
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                send(exchange, fault.status(), fault.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode body = null;
            if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException e) {
                    violations.add(method + " " + path + ": request body is not JSON");
                    respond(exchange, method, path, 400, error("body is not JSON"));
                    return;
                }
            }
            List<String> problems = spec.checkRequest(method, path, query, body);
            if (!problems.isEmpty()) {
                violations.addAll(problems);
                respond(exchange, method, path, 422, error(String.join("; ", problems)));
                return;
            }
            if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
                send(exchange, 401, new byte[0]);
                return;
            }
            Answer answer;
            synchronized (this) {
                answer = serve(method, path.substring(3), query, body);
            }
            respond(exchange, method, path, answer.status, answer.body);
        } catch (RuntimeException e) {
            violations.add("stub failure: " + e);
            throw e;
        }
    }

    private synchronized Fault nextFault(String path) {
        Fault f = faults.peek();
        if (f != null && path.startsWith("/v1" + f.pathPrefix())) {
            if (skipped < f.skip()) {
                skipped++;
                return null;
            }
            skipped = 0;
            return faults.poll();
        }
        return null;
    }

    private record Answer(int status, JsonNode body) {
    }

    private void respond(HttpExchange exchange, String method, String path, int status, JsonNode body) throws IOException {
        List<String> problems = spec.checkResponse(method, path, status, body);
        if (!problems.isEmpty()) {
            violations.addAll(problems.stream().map(p -> "stub response " + p).toList());
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, status, body == null ? new byte[0] : JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode e = JSON.createObjectNode();
        e.putArray("error").addObject().put("message", message);
        return e;
    }

    private Answer serve(String method, String path, String query, JsonNode body) {
        String[] parts = path.substring(1).split("/");
        switch (parts[0]) {
            case "schema":
                return schema(method, parts, body);
            case "batch":
                return "POST".equals(method) ? batchWrite(body) : batchDelete(body);
            case "objects":
                return listObjects(query);
            case "graphql":
                return new Answer(200, graphql(body.path("query").asText()));
            case "aliases":
                return aliases(method, parts, query, body);
            default:
                return new Answer(404, error("not served by the stub: " + path));
        }
    }

    // ------------------------------------------------------------------ schema

    private Answer schema(String method, String[] parts, JsonNode body) {
        if (parts.length == 1) {
            String name = body.path("class").asText();
            if (collections.containsKey(name) || aliases.containsKey(name)) {
                return new Answer(422, error("class name \"" + name + "\" already exists"));
            }
            ObjectNode cls = ((ObjectNode) body).deepCopy();
            collections.put(name, new Collection(cls));
            return new Answer(200, cls);
        }
        Collection c = collections.get(parts[1]);
        if (parts.length == 3 && parts[2].equals("properties")) {
            if (c == null) {
                return new Answer(404, error("class not found"));
            }
            if (c.property(body.path("name").asText()) != null) {
                return new Answer(422, error("property '" + body.path("name").asText() + "' already exists"));
            }
            ((ArrayNode) c.schema.withArray("properties")).add(body.deepCopy());
            return new Answer(200, body);
        }
        switch (method) {
            case "GET":
                return c == null ? new Answer(404, null) : new Answer(200, c.schema);
            case "PUT":
                if (c == null) {
                    return new Answer(404, error("class not found"));
                }
                // Only the description may change in this stub; the rest is immutable as in Weaviate.
                c.schema.put("description", body.path("description").asText());
                return new Answer(200, c.schema);
            case "DELETE":
                collections.remove(parts[1]);
                return new Answer(200, null);
            default:
                return new Answer(405, null);
        }
    }

    // ------------------------------------------------------------------ objects

    private Answer batchWrite(JsonNode body) {
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode o : body.path("objects")) {
            ObjectNode result = o.deepCopy();
            String problem = write(o);
            ObjectNode status = result.putObject("result");
            if (problem == null) {
                status.put("status", "SUCCESS");
            } else {
                status.put("status", "FAILED");
                status.set("errors", error(problem));
            }
            results.add(result);
        }
        return new Answer(200, results);
    }

    private String write(JsonNode o) {
        String name = resolve(o.path("class").asText());
        Collection c = collections.get(name);
        if (c == null) {
            return "class '" + o.path("class").asText() + "' not present in schema";
        }
        float[] vector = new float[o.path("vector").size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) o.path("vector").get(i).asDouble();
        }
        for (StoredObject other : c.objects.values()) {
            if (other.vector().length != vector.length) {
                return "new node has a vector with length " + vector.length + ". Existing nodes have vectors with length "
                        + other.vector().length;
            }
            break;
        }
        ObjectNode properties = (ObjectNode) o.path("properties");
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            JsonNode p = c.property(e.getKey());
            if (p == null) {
                return "no such prop with name '" + e.getKey() + "' found in class '" + name + "' in the schema";
            }
            String type = p.path("dataType").path(0).asText();
            JsonNode v = e.getValue();
            boolean ok = switch (type) {
                case "text" -> v.isTextual();
                case "int" -> v.isIntegralNumber();
                case "number" -> v.isNumber();
                case "boolean" -> v.isBoolean();
                default -> false;
            };
            if (!ok) {
                return "invalid " + type + " property '" + e.getKey() + "' on class '" + name + "': " + v;
            }
        }
        String id = o.path("id").asText();
        c.objects.put(id, new StoredObject(id, vector, properties.deepCopy()));
        return null;
    }

    private Answer batchDelete(JsonNode body) {
        String name = resolve(body.path("match").path("class").asText());
        Collection c = collections.get(name);
        if (c == null) {
            return new Answer(422, error("class " + name + " not found"));
        }
        List<String> matched = new ArrayList<>();
        for (StoredObject o : c.objects.values()) {
            if (matches(c, o, body.path("match").path("where"))) {
                matched.add(o.id());
            }
        }
        matched.forEach(c.objects::remove);
        ObjectNode answer = ((ObjectNode) body).deepCopy();
        answer.putObject("results").put("matches", matched.size()).put("limit", 10000)
                .put("successful", matched.size()).put("failed", 0);
        return new Answer(200, answer);
    }

    private Answer listObjects(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        Collection c = collections.get(resolve(params.getOrDefault("class", "")));
        if (c == null) {
            return new Answer(404, error("class not found"));
        }
        int limit = Integer.parseInt(params.getOrDefault("limit", "25"));
        String after = params.get("after");
        ArrayNode objects = JSON.createArrayNode();
        for (StoredObject o : (after == null ? c.objects : c.objects.tailMap(after, false)).values()) {
            if (objects.size() == limit) {
                break;
            }
            objects.add(JSON.createObjectNode().put("class", c.schema.path("class").asText()).put("id", o.id())
                    .set("properties", o.properties()));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("objects", objects);
        answer.put("totalResults", objects.size());
        return new Answer(200, answer);
    }

    // ------------------------------------------------------------------ aliases

    private Answer aliases(String method, String[] parts, String query, JsonNode body) {
        if (parts.length == 1) {
            if (method.equals("GET")) {
                ObjectNode answer = JSON.createObjectNode();
                ArrayNode list = answer.putArray("aliases");
                aliases.forEach((alias, cls) -> list.addObject().put("alias", alias).put("class", cls));
                return new Answer(200, answer);
            }
            String alias = body.path("alias").asText();
            String cls = body.path("class").asText();
            if (aliases.containsKey(alias) || collections.containsKey(alias)) {
                return new Answer(422, error("alias " + alias + " already exists"));
            }
            if (!collections.containsKey(cls)) {
                return new Answer(422, error("class " + cls + " does not exist"));
            }
            aliases.put(alias, cls);
            return new Answer(200, body);
        }
        String alias = parts[1];
        if (!aliases.containsKey(alias)) {
            return new Answer(404, error("alias " + alias + " not found"));
        }
        switch (method) {
            case "GET":
                return new Answer(200, JSON.createObjectNode().put("alias", alias).put("class", aliases.get(alias)));
            case "PUT":
                String cls = body.path("class").asText();
                if (!collections.containsKey(cls)) {
                    return new Answer(422, error("class " + cls + " does not exist"));
                }
                aliases.put(alias, cls);
                return new Answer(200, JSON.createObjectNode().put("alias", alias).put("class", cls));
            default:
                aliases.remove(alias);
                return new Answer(204, null);
        }
    }

    private String resolve(String name) {
        return aliases.getOrDefault(name, name);
    }

    // ------------------------------------------------------------------ GraphQL

    private JsonNode graphql(String query) {
        ObjectNode answer = JSON.createObjectNode();
        try {
            ObjectNode data = answer.putObject("data");
            for (GraphQlDocument.Field root : GraphQlDocument.parse(query)) {
                ObjectNode out = data.putObject(root.key());
                for (GraphQlDocument.Field classField : root.selection()) {
                    Collection c = collections.get(resolve(classField.name()));
                    if (c == null) {
                        throw new IllegalArgumentException("Cannot query field \"" + classField.name() + "\" on type \""
                                + (root.name().equals("Get") ? "GetObjectsObj" : "AggregateObjectsObj") + "\".");
                    }
                    if (root.name().equals("Get")) {
                        out.set(classField.key(), get(c, classField));
                    } else if (root.name().equals("Aggregate")) {
                        out.set(classField.key(), aggregate(c, classField));
                    } else {
                        throw new IllegalArgumentException("Cannot query field \"" + root.name() + "\" on type \"WeaviateObj\".");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            answer.remove("data");
            answer.set("data", JSON.createObjectNode());
            answer.putArray("errors").addObject().put("message", e.getMessage());
        }
        return answer;
    }

    private JsonNode aggregate(Collection c, GraphQlDocument.Field field) {
        JsonNode where = field.arguments().get("where");
        long count = c.objects.values().stream().filter(o -> where == null || matches(c, o, where)).count();
        ArrayNode out = JSON.createArrayNode();
        out.addObject().putObject("meta").put("count", count);
        return out;
    }

    private record Scored(StoredObject object, double value) {
    }

    private JsonNode get(Collection c, GraphQlDocument.Field field) {
        Map<String, JsonNode> args = field.arguments();
        JsonNode where = args.get("where");
        if (where != null) {
            List<String> problems = spec.checkDefinition("WhereFilter", where);
            if (!problems.isEmpty()) {
                violations.addAll(problems);
                throw new IllegalArgumentException("invalid where filter: " + problems);
            }
        }
        List<StoredObject> candidates = c.objects.values().stream()
                .filter(o -> where == null || matches(c, o, where)).toList();
        int limit = args.containsKey("limit") ? args.get("limit").asInt() : 100;
        List<Scored> ranked;
        String scoreField;
        if (args.containsKey("nearVector")) {
            JsonNode near = args.get("nearVector");
            float[] query = floats(near.path("vector"));
            double maxDistance = near.has("distance") ? near.path("distance").asDouble() : Double.POSITIVE_INFINITY;
            ranked = new ArrayList<>();
            for (StoredObject o : candidates) {
                double d = (float) cosineDistance(query, o.vector());
                if (d <= maxDistance) {
                    ranked.add(new Scored(o, d));
                }
            }
            ranked.sort(Comparator.comparingDouble(Scored::value).thenComparing(s -> s.object().id()));
            scoreField = "distance";
        } else if (args.containsKey("bm25")) {
            ranked = bm25(c, candidates, args.get("bm25").path("query").asText());
            scoreField = "score";
        } else if (args.containsKey("hybrid")) {
            ranked = hybrid(c, candidates, args.get("hybrid"));
            scoreField = "score";
        } else {
            ranked = new ArrayList<>(candidates.stream().map(o -> new Scored(o, 0)).toList());
            if (args.containsKey("sort")) {
                String by = args.get("sort").path(0).path("path").path(0).asText();
                ranked.sort(Comparator.comparing(s -> s.object().properties().path(by).asText()));
            }
            scoreField = null;
        }
        ArrayNode out = JSON.createArrayNode();
        for (Scored s : ranked.subList(0, Math.min(limit, ranked.size()))) {
            ObjectNode item = out.addObject();
            for (GraphQlDocument.Field selected : field.selection()) {
                if (selected.name().equals("_additional")) {
                    ObjectNode extra = item.putObject("_additional");
                    for (GraphQlDocument.Field a : selected.selection()) {
                        switch (a.name()) {
                            case "id" -> extra.put("id", s.object().id());
                            case "distance" -> extra.put("distance", (float) s.value());
                            // Weaviate sends BM25 and hybrid scores as strings.
                            case "score" -> extra.put("score", Float.toString((float) s.value()));
                            case "vector" -> {
                                ArrayNode v = extra.putArray("vector");
                                for (float x : s.object().vector()) {
                                    v.add(x);
                                }
                            }
                            default -> throw new IllegalArgumentException("Cannot query field \"" + a.name()
                                    + "\" on type \"AdditionalProperties\".");
                        }
                    }
                    if (scoreField == null && extra.has("score")) {
                        throw new IllegalArgumentException("score is only available with a bm25 or hybrid search");
                    }
                } else {
                    if (c.property(selected.name()) == null) {
                        throw new IllegalArgumentException("Cannot query field \"" + selected.name() + "\" on type \""
                                + c.schema.path("class").asText() + "\".");
                    }
                    JsonNode v = s.object().properties().get(selected.name());
                    item.set(selected.name(), v == null ? JSON.nullNode() : v);
                }
            }
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static double cosineDistance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector search: query vector length " + a.length
                    + " does not match the indexed length " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return 1 - dot / Math.sqrt(na * nb);
    }

    static List<String> tokens(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        List<String> out = new ArrayList<>();
        for (String t : folded.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** BM25 over the {@code text} property, idf and average length over the whole collection. */
    private List<Scored> bm25(Collection c, List<StoredObject> candidates, String query) {
        Set<String> terms = new LinkedHashSet<>(tokens(query));
        Map<String, List<String>> tokensById = new HashMap<>();
        long total = 0;
        for (StoredObject o : c.objects.values()) {
            List<String> t = tokens(o.properties().path("text").asText());
            tokensById.put(o.id(), t);
            total += t.size();
        }
        double n = c.objects.size();
        double avg = n == 0 ? 1 : Math.max(1e-9, total / n);
        Map<String, Double> idf = new HashMap<>();
        for (String term : terms) {
            long df = tokensById.values().stream().filter(t -> t.contains(term)).count();
            idf.put(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
        }
        List<Scored> out = new ArrayList<>();
        for (StoredObject o : candidates) {
            List<String> t = tokensById.get(o.id());
            double score = 0;
            for (String term : terms) {
                long tf = t.stream().filter(term::equals).count();
                if (tf > 0) {
                    score += idf.get(term) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * t.size() / avg));
                }
            }
            if (score > 0) {
                out.add(new Scored(o, score));
            }
        }
        out.sort(Comparator.comparingDouble(Scored::value).reversed().thenComparing(s -> s.object().id()));
        return out;
    }

    /** Relative score fusion: each side scaled to [0, 1] by its min and max, then weighted by alpha. */
    private List<Scored> hybrid(Collection c, List<StoredObject> candidates, JsonNode hybrid) {
        double alpha = hybrid.path("alpha").asDouble(0.75);
        float[] vector = floats(hybrid.path("vector"));
        Map<String, Double> fused = new LinkedHashMap<>();
        Map<String, StoredObject> byId = new HashMap<>();
        List<Scored> keyword = bm25(c, candidates, hybrid.path("query").asText());
        List<Scored> dense = candidates.stream().map(o -> new Scored(o, 1 - cosineDistance(vector, o.vector()))).toList();
        for (List<Scored> side : List.of(dense, keyword)) {
            double weight = side == dense ? alpha : 1 - alpha;
            double min = side.stream().mapToDouble(Scored::value).min().orElse(0);
            double max = side.stream().mapToDouble(Scored::value).max().orElse(0);
            for (Scored s : side) {
                double scaled = max == min ? 1 : (s.value() - min) / (max - min);
                fused.merge(s.object().id(), weight * scaled, Double::sum);
                byId.put(s.object().id(), s.object());
            }
        }
        List<Scored> out = new ArrayList<>();
        fused.forEach((id, score) -> out.add(new Scored(byId.get(id), score)));
        out.sort(Comparator.comparingDouble(Scored::value).reversed().thenComparing(s -> s.object().id()));
        return out;
    }

    // ------------------------------------------------------------------ where

    private boolean matches(Collection c, StoredObject o, JsonNode where) {
        String operator = where.path("operator").asText();
        switch (operator) {
            case "And":
                for (JsonNode operand : where.path("operands")) {
                    if (!matches(c, o, operand)) {
                        return false;
                    }
                }
                return true;
            case "Or":
                for (JsonNode operand : where.path("operands")) {
                    if (matches(c, o, operand)) {
                        return true;
                    }
                }
                return false;
            case "Not":
                if (where.path("operands").size() != 1) {
                    throw new IllegalArgumentException("operator Not needs exactly one operand");
                }
                return !matches(c, o, where.path("operands").get(0));
            default:
                return leaf(c, o, where, operator);
        }
    }

    private boolean leaf(Collection c, StoredObject o, JsonNode where, String operator) {
        String property = where.path("path").path(0).asText();
        if (property.equals("id")) {
            if (!operator.equals("ContainsAny") && !operator.equals("Equal")) {
                throw new IllegalArgumentException("the stub filters ids with Equal or ContainsAny only");
            }
            for (JsonNode v : where.has("valueTextArray") ? where.path("valueTextArray") : JSON.createArrayNode().add(where.path("valueText"))) {
                if (v.asText().equals(o.id())) {
                    return true;
                }
            }
            return false;
        }
        JsonNode p = c.property(property);
        if (p == null) {
            throw new IllegalArgumentException("no such prop with name '" + property + "' found in class '"
                    + c.schema.path("class").asText() + "' in the schema. Check your schema files for which properties in this class are available");
        }
        if (!p.path("indexFilterable").asBoolean(true)) {
            throw new IllegalArgumentException("Filtering by property '" + property + "' requires inverted index. "
                    + "Is `indexFilterable` option of property '" + property + "' enabled?");
        }
        String type = p.path("dataType").path(0).asText();
        String valueField = switch (type) {
            case "text" -> "valueText";
            case "int" -> "valueInt";
            case "number" -> "valueNumber";
            case "boolean" -> "valueBoolean";
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
        if (!where.has(valueField)) {
            throw new IllegalArgumentException("data type filter cannot use " + where.fieldNames().next()
                    + " on property '" + property + "' of type " + type + "; use " + valueField);
        }
        JsonNode value = where.path(valueField);
        JsonNode stored = o.properties().get(property);
        if (stored == null || stored.isNull()) {
            return operator.equals("NotEqual");
        }
        if (type.equals("text") && "word".equals(p.path("tokenization").asText())) {
            if (!operator.equals("Equal")) {
                throw new IllegalArgumentException("the stub supports Equal only on word-tokenized text");
            }
            return tokens(stored.asText()).containsAll(tokens(value.asText()));
        }
        int order = switch (type) {
            case "text" -> Integer.signum(stored.asText().trim().compareTo(value.asText().trim()));
            case "int" -> Long.compare(stored.asLong(), value.asLong());
            case "number" -> Double.compare(stored.asDouble(), value.asDouble());
            default -> {
                if (!operator.equals("Equal") && !operator.equals("NotEqual")) {
                    throw new IllegalArgumentException("operator " + operator + " not supported on booleans");
                }
                yield stored.asBoolean() == value.asBoolean() ? 0 : 1;
            }
        };
        return switch (operator) {
            case "Equal" -> order == 0;
            case "NotEqual" -> order != 0;
            case "GreaterThan" -> order > 0;
            case "GreaterThanEqual" -> order >= 0;
            case "LessThan" -> order < 0;
            case "LessThanEqual" -> order <= 0;
            default -> throw new IllegalArgumentException("operator " + operator + " is not supported by the stub");
        };
    }
}
