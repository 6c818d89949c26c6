package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Chunks as index documents and back, metadata types included ({@link IndexFields}). */
public final class ChunkDocuments {
    private ChunkDocuments() {
    }

    /** The document of an embedded chunk, written into index version {@code version} (0 when unversioned). */
    public static ObjectNode toDocument(EmbeddedChunk embedded, int version) {
        Chunk chunk = embedded.chunk();
        ObjectNode doc = Json.object();
        doc.put(IndexFields.CHUNK_ID, chunk.id());
        doc.put(IndexFields.DOC_ID, chunk.documentId());
        doc.put(IndexFields.CHUNK_INDEX, chunk.index());
        doc.put(IndexFields.TEXT, chunk.text());
        doc.put(IndexFields.TEXT_SEARCH, TextAnalyzer.fold(chunk.text()));
        doc.put(IndexFields.CONTENT_HASH, chunk.contentHash());
        doc.put(IndexFields.INDEX_VERSION, version);
        doc.set(IndexFields.VECTOR, Json.vector(embedded.vector()));
        ObjectNode strings = Json.object();
        ObjectNode longs = Json.object();
        ObjectNode doubles = Json.object();
        ObjectNode booleans = Json.object();
        for (Map.Entry<String, Object> e : chunk.metadata().entrySet()) {
            String field = IndexFields.encodeKey(e.getKey());
            Object v = e.getValue();
            if (v instanceof String s) {
                strings.put(field, s);
            } else if (v instanceof Long l) {
                longs.put(field, l);
            } else if (v instanceof Double d) {
                doubles.put(field, d);
            } else {
                booleans.put(field, (Boolean) v);
            }
        }
        putIfAny(doc, IndexFields.META_STRING, strings);
        putIfAny(doc, IndexFields.META_LONG, longs);
        putIfAny(doc, IndexFields.META_DOUBLE, doubles);
        putIfAny(doc, IndexFields.META_BOOLEAN, booleans);
        return doc;
    }

    private static void putIfAny(ObjectNode doc, String field, ObjectNode values) {
        if (!values.isEmpty()) {
            doc.set(field, values);
        }
    }

    /** The chunk a document holds. */
    public static Chunk toChunk(JsonNode doc) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        read(doc.path(IndexFields.META_STRING), metadata, JsonNode::asText);
        read(doc.path(IndexFields.META_LONG), metadata, JsonNode::asLong);
        read(doc.path(IndexFields.META_DOUBLE), metadata, JsonNode::asDouble);
        read(doc.path(IndexFields.META_BOOLEAN), metadata, JsonNode::asBoolean);
        return new Chunk(doc.path(IndexFields.CHUNK_ID).asText(), doc.path(IndexFields.DOC_ID).asText(),
                doc.path(IndexFields.CHUNK_INDEX).asInt(), doc.path(IndexFields.TEXT).asText(),
                doc.path(IndexFields.CONTENT_HASH).asText(), metadata);
    }

    /** The chunk and vector a document holds. */
    public static EmbeddedChunk toEmbedded(JsonNode doc) {
        return new EmbeddedChunk(toChunk(doc), Json.toVector(doc.path(IndexFields.VECTOR)));
    }

    private static void read(JsonNode object, Map<String, Object> into, java.util.function.Function<JsonNode, Object> value) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.put(IndexFields.decodeKey(e.getKey()), value.apply(e.getValue()));
        }
    }
}
