package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A chunk as a Pinecone record: the vector as {@code values}, and in {@code metadata} the chunk's own
 * metadata under its own keys plus the fields Ragkit needs to give the chunk back exactly: document id
 * ({@value Metadata#DOCUMENT_ID_KEY}), text, position and content hash, and which numbers were whole
 * (Pinecone keeps every number as a 64-bit float, so {@code 3L} would otherwise come back as {@code 3.0}).
 */
final class RecordCodec {
    /** Pinecone's limit on one record's metadata, in bytes of JSON. */
    static final int MAX_METADATA_BYTES = 40 * 1024;
    /** Pinecone's limit on a record id's length. */
    static final int MAX_ID_LENGTH = 512;
    static final String RESERVED_PREFIX = "ragkit_";
    private static final String TEXT = RESERVED_PREFIX + "text";
    private static final String INDEX = RESERVED_PREFIX + "index";
    private static final String HASH = RESERVED_PREFIX + "hash";
    private static final String WHOLE_NUMBERS = RESERVED_PREFIX + "whole";
    /** Larger whole numbers lose digits as 64-bit floats. */
    private static final long MAX_EXACT_WHOLE = 1L << 53;

    private final ObjectMapper json;

    RecordCodec(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The upsert form of a chunk, after checking everything Pinecone would refuse or change: reserved keys,
     * whole numbers beyond 2^53, the id's length, the 40 KB metadata limit.
     *
     * @throws InvalidInputException naming the chunk and what to change
     */
    ObjectNode encode(EmbeddedChunk embedded) {
        Chunk chunk = embedded.chunk();
        if (chunk.id().length() > MAX_ID_LENGTH) {
            throw new InvalidInputException("chunk id '" + chunk.id().substring(0, 40) + "...' is " + chunk.id().length()
                    + " characters long but Pinecone allows " + MAX_ID_LENGTH + ": use shorter document ids");
        }
        ObjectNode metadata = json.createObjectNode();
        ArrayNode whole = json.createArrayNode();
        for (Map.Entry<String, Object> entry : chunk.metadata().entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key.startsWith(RESERVED_PREFIX)) {
                throw new InvalidInputException("chunk '" + chunk.id() + "' metadata key '" + key + "' starts with '"
                        + RESERVED_PREFIX + "', which the Pinecone store reserves for the chunk's own fields: rename it");
            }
            if (value instanceof Long n) {
                if (Math.abs(n) > MAX_EXACT_WHOLE) {
                    throw new InvalidInputException("chunk '" + chunk.id() + "' metadata '" + key + "' was " + n
                            + " but Pinecone keeps numbers as 64-bit floats, exact only up to 2^53 in magnitude: "
                            + "store it as a string");
                }
                metadata.put(key, n);
                whole.add(key);
            } else if (value instanceof Double d) {
                metadata.put(key, d);
            } else if (value instanceof Boolean b) {
                metadata.put(key, b);
            } else {
                metadata.put(key, (String) value);
            }
        }
        metadata.put(Metadata.DOCUMENT_ID_KEY, chunk.documentId());
        metadata.put(INDEX, chunk.index());
        metadata.put(HASH, chunk.contentHash());
        if (!whole.isEmpty()) {
            metadata.set(WHOLE_NUMBERS, whole);
        }
        metadata.put(TEXT, chunk.text());
        int bytes = size(metadata);
        if (bytes > MAX_METADATA_BYTES) {
            int textBytes = chunk.text().getBytes(StandardCharsets.UTF_8).length;
            throw new InvalidInputException("chunk '" + chunk.id() + "' needs " + bytes + " bytes of Pinecone metadata ("
                    + textBytes + " of them its text, which the store keeps in metadata) but Pinecone allows "
                    + MAX_METADATA_BYTES + " per record: split its document into smaller chunks or drop large "
                    + "metadata values");
        }
        ObjectNode record = json.createObjectNode();
        record.put("id", chunk.id());
        ArrayNode values = record.putArray("values");
        for (float v : embedded.vector()) {
            values.add(v);
        }
        record.set("metadata", metadata);
        return record;
    }

    /** The chunk a fetched or queried record holds. */
    Chunk decodeChunk(String index, JsonNode record) {
        String id = record.path("id").asText(null);
        JsonNode metadata = record.path("metadata");
        try {
            if (id == null || !metadata.isObject() || !metadata.path(TEXT).isTextual()
                    || !metadata.path(Metadata.DOCUMENT_ID_KEY).isTextual() || !metadata.path(INDEX).isNumber()
                    || !metadata.path(HASH).isTextual()) {
                throw new IllegalArgumentException("it lacks the fields the Ragkit store writes (" + TEXT + ", "
                        + Metadata.DOCUMENT_ID_KEY + ", " + INDEX + ", " + HASH + ")");
            }
            Set<String> whole = new HashSet<>();
            metadata.path(WHOLE_NUMBERS).forEach(k -> whole.add(k.asText()));
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String key = field.getKey();
                if (key.startsWith(RESERVED_PREFIX) || key.equals(Metadata.DOCUMENT_ID_KEY)) {
                    continue;
                }
                values.put(key, value(key, field.getValue(), whole.contains(key)));
            }
            return new Chunk(id, metadata.path(Metadata.DOCUMENT_ID_KEY).asText(),
                    metadata.path(INDEX).asInt(), metadata.path(TEXT).asText(), metadata.path(HASH).asText(), values);
        } catch (RuntimeException e) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "record '" + id + "' of index '" + index
                    + "' is not a chunk written by Ragkit: " + e.getMessage()
                    + "; use a namespace that only Ragkit writes to", e);
        }
    }

    /** The record's vector, as written. */
    static float[] decodeVector(String index, JsonNode record) {
        JsonNode values = record.path("values");
        if (!values.isArray() || values.isEmpty()) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "record '" + record.path("id").asText()
                    + "' of index '" + index + "' came back without its values", null);
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) values.get(i).asDouble();
        }
        return vector;
    }

    private static Object value(String key, JsonNode node, boolean whole) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            if (whole) {
                double d = node.asDouble();
                if (d != Math.rint(d)) {
                    throw new IllegalArgumentException("whole-number metadata '" + key + "' came back as " + d);
                }
                return (long) d;
            }
            return node.asDouble();
        }
        throw new IllegalArgumentException("metadata '" + key + "' holds " + node.getNodeType()
                + ", which Ragkit never writes");
    }

    private int size(ObjectNode metadata) {
        try {
            return json.writeValueAsBytes(metadata).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise metadata", e);
        }
    }
}
