package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.TestAbortedException;

/**
 * Weaviate's published REST description (Swagger 2.0, {@code openapi-specs/schema.json} at v1.39.0),
 * turned into checks of single exchanges: the operation must exist (method and path template), query
 * parameters must be declared with the declared type or enum, the body must match the operation's
 * body schema and the response the schema of its status code. Schemas are checked as JSON Schema
 * draft 4 (what Swagger 2.0 schemas are) by networknt's validator, with {@code x-nullable} read as
 * "null allowed". Requests are checked strictly: an object schema that lists its properties accepts no
 * other property, so a misspelt field fails here even though the spec itself leaves objects open.
 */
final class WeaviateSpec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

    private final JsonNode spec;
    private final ObjectNode strictDefinitions;
    private final ObjectNode lenientDefinitions;
    private final Map<String, JsonSchema> cache = new ConcurrentHashMap<>();

    private WeaviateSpec(JsonNode spec) {
        this.spec = spec;
        this.lenientDefinitions = (ObjectNode) nullable(spec.path("definitions").deepCopy());
        this.strictDefinitions = (ObjectNode) strict(lenientDefinitions.deepCopy(), false);
    }

    /**
     * The spec the build points at ({@code -Dragkit.weaviate.spec}, set by the module's pom to the shared
     * layout beside the project), else {@code $RAGKIT_SHARED_DATA/../specs/weaviate/schema.json}. Without it
     * the stub cannot vouch for its fidelity, so the tests that need it report themselves not run, with the
     * reason, rather than pass unvalidated.
     */
    /** Why the stub's tests are not run when the spec is missing (JUnit reports it as the skip reason). */
    static final String NOT_FOUND = "not run: Weaviate's OpenAPI description (REST 1.39) is missing; the stub validates "
            + "every exchange against it: put ../shared/specs beside the project, set RAGKIT_SHARED_DATA, or pass "
            + "-Dragkit.weaviate.spec=FILE. Looked at ";

    /** For {@code @EnabledIf}: the tests that run through the stub need the spec. */
    static boolean available() {
        return Files.isRegularFile(location());
    }

    private static Path location() {
        Path path = Path.of(System.getProperty("ragkit.weaviate.spec", "../../shared/specs/weaviate/schema.json"));
        String shared = System.getenv("RAGKIT_SHARED_DATA");
        if (!Files.isRegularFile(path) && shared != null) {
            path = Path.of(shared).resolve("../specs/weaviate/schema.json");
        }
        return path;
    }

    static WeaviateSpec load() {
        Path path = location();
        if (!Files.isRegularFile(path)) {
            throw new TestAbortedException(NOT_FOUND + path.toAbsolutePath());
        }
        try {
            return new WeaviateSpec(JSON.readTree(Files.readString(path)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Weaviate's OpenAPI description at " + path.toAbsolutePath(), e);
        }
    }

    String version() {
        return spec.path("info").path("version").asText();
    }

    /** Problems of one request; empty when it conforms. {@code path} starts with {@code /v1}. */
    List<String> checkRequest(String method, String path, String query, JsonNode body) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = operation(method, path, problems);
        if (operation == null) {
            return problems;
        }
        String where = method + " " + path;
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        JsonNode bodyParameter = null;
        for (JsonNode p : parameters(operation, path)) {
            if ("query".equals(p.path("in").asText())) {
                declared.put(p.path("name").asText(), p);
            } else if ("body".equals(p.path("in").asText())) {
                bodyParameter = p;
            }
        }
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                String value = pair.contains("=") ? URLDecoder.decode(pair.split("=", 2)[1], StandardCharsets.UTF_8) : "";
                JsonNode p = declared.get(name);
                if (p == null) {
                    problems.add(where + ": query parameter '" + name + "' is not declared (declared: " + declared.keySet() + ")");
                } else if ("integer".equals(p.path("type").asText()) && !value.matches("-?\\d+")) {
                    problems.add(where + ": query parameter '" + name + "' was '" + value + "' but must be an integer");
                } else if (p.has("enum") && !contains(p.path("enum"), value)) {
                    problems.add(where + ": query parameter '" + name + "' was '" + value + "' but must be one of " + p.path("enum"));
                }
            }
        }
        if (bodyParameter == null) {
            if (body != null) {
                problems.add(where + ": sends a body but the operation takes none");
            }
        } else if (body == null) {
            if (bodyParameter.path("required").asBoolean()) {
                problems.add(where + ": the operation requires a body");
            }
        } else {
            validate(where + " request body", bodyParameter.path("schema"), body, true, problems);
        }
        return problems;
    }

    /** Problems of one response to a request that {@link #checkRequest} accepted. */
    List<String> checkResponse(String method, String path, int status, JsonNode body) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = operation(method, path, problems);
        if (operation == null) {
            return problems;
        }
        String where = method + " " + path + " -> " + status;
        JsonNode response = operation.path("responses").path(Integer.toString(status));
        if (response.isMissingNode()) {
            response = operation.path("responses").path("default");
        }
        if (response.isMissingNode()) {
            problems.add(where + ": status " + status + " is not a declared response (declared: "
                    + fieldNames(operation.path("responses")) + ")");
        } else if (response.has("schema")) {
            if (body == null) {
                problems.add(where + ": the response declares a body but none was sent");
            } else {
                validate(where + " response body", response.path("schema"), body, false, problems);
            }
        }
        return problems;
    }

    /** Problems of a value against a named definition, e.g. {@code WhereFilter}. */
    List<String> checkDefinition(String definition, JsonNode value) {
        List<String> problems = new ArrayList<>();
        validate(definition, JSON.createObjectNode().put("$ref", "#/definitions/" + definition), value, true, problems);
        return problems;
    }

    private void validate(String where, JsonNode schema, JsonNode value, boolean strict, List<String> problems) {
        String key = (strict ? "strict:" : "lenient:") + schema;
        JsonSchema compiled = cache.computeIfAbsent(key, k -> {
            ObjectNode root = strict ? (ObjectNode) strict(nullable(schema.deepCopy()), false) : (ObjectNode) nullable(schema.deepCopy());
            root.set("definitions", strict ? strictDefinitions : lenientDefinitions);
            return FACTORY.getSchema(root);
        });
        Set<ValidationMessage> messages = compiled.validate(value);
        for (ValidationMessage m : messages) {
            problems.add(where + ": " + m.getMessage());
        }
    }

    private JsonNode operation(String method, String path, List<String> problems) {
        String relative = path.startsWith("/v1") ? path.substring(3) : path;
        JsonNode paths = spec.path("paths");
        String best = null;
        int bestLiterals = -1;
        Iterator<String> names = paths.fieldNames();
        while (names.hasNext()) {
            String template = names.next();
            int literals = matches(template, relative);
            if (literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        if (best == null) {
            problems.add(method + " " + path + ": no such path in Weaviate's REST API " + version());
            return null;
        }
        JsonNode operation = paths.path(best).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            problems.add(method + " " + path + ": path " + best + " has no " + method + " operation (it has "
                    + fieldNames(paths.path(best)) + ")");
            return null;
        }
        return operation;
    }

    /** The number of literal segments when {@code path} fits {@code template}, else -1. */
    private static int matches(String template, String path) {
        String[] t = template.split("/");
        String[] p = path.split("/");
        if (t.length != p.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
            } else if (t[i].equals(p[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private List<JsonNode> parameters(JsonNode operation, String path) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : operation.path("parameters")) {
            if (p.has("$ref")) {
                String name = p.path("$ref").asText().substring("#/parameters/".length());
                out.add(spec.path("parameters").path(name));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Rewrites {@code x-nullable: true} as JSON Schema's "null allowed". */
    private static JsonNode nullable(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            object.fields().forEachRemaining(e -> nullable(e.getValue()));
            if (object.path("x-nullable").asBoolean(false)) {
                if (object.path("type").isTextual()) {
                    ArrayNode types = JSON.createArrayNode().add(object.path("type").asText()).add("null");
                    object.set("type", types);
                } else if (object.has("$ref")) {
                    ObjectNode ref = JSON.createObjectNode().put("$ref", object.path("$ref").asText());
                    object.remove("$ref");
                    object.putArray("anyOf").add(ref).add(JSON.createObjectNode().put("type", "null"));
                }
            }
        } else if (node.isArray()) {
            node.forEach(WeaviateSpec::nullable);
        }
        return node;
    }

    /** Closes every object schema that lists its properties, except the members of an allOf. */
    private static JsonNode strict(JsonNode node, boolean inAllOf) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (e.getKey().equals("properties")) {
                    e.getValue().fields().forEachRemaining(p -> strict(p.getValue(), false));
                } else {
                    strict(e.getValue(), e.getKey().equals("allOf"));
                }
            }
            if (!inAllOf && object.has("properties") && !object.has("additionalProperties") && !object.has("allOf")) {
                object.put("additionalProperties", false);
            }
        } else if (node.isArray()) {
            node.forEach(n -> strict(n, inAllOf));
        }
        return node;
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
