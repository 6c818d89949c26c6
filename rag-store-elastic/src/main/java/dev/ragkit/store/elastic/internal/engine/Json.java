package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The one Jackson mapper of the module and small helpers for building request trees. */
public final class Json {
    /** Thread-safe once configured; shared by both providers' clients. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** {@code {key: value}}. */
    public static ObjectNode object(String key, JsonNode value) {
        ObjectNode node = object();
        node.set(key, value);
        return node;
    }

    /** The vector as a JSON array of floats, each written in its shortest exact form. */
    public static ArrayNode vector(float[] vector) {
        ArrayNode array = array();
        for (float v : vector) {
            array.add(v);
        }
        return array;
    }

    /** A vector read back from {@link #vector(float[])}'s form. */
    public static float[] toVector(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
