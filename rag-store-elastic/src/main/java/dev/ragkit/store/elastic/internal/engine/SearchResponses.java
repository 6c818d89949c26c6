package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code _search} answer as it streams in, keeping only what the store uses: each hit's id, score,
 * {@code _source} and sort values, and the point-in-time id. Everything else ({@code took}, {@code _shards},
 * {@code hits.total}, a hit's {@code _index}...) is skipped without building a tree. Elasticsearch and
 * OpenSearch answer searches in the same shape.
 */
public final class SearchResponses {
    private SearchResponses() {
    }

    /** The hits and point-in-time id of a search answer. */
    public static EngineClient.SearchResult read(InputStream in) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a search answer is a JSON object, not " + parser.currentToken());
            }
            List<EngineClient.Hit> hits = List.of();
            String pitId = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("pit_id") && value == JsonToken.VALUE_STRING) {
                    pitId = parser.getText();
                } else if (field.equals("hits") && value == JsonToken.START_OBJECT) {
                    hits = readHitsObject(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return new EngineClient.SearchResult(hits, pitId);
        }
    }

    /** {@code hits: {total, max_score, hits: [...]}}: the inner array. */
    private static List<EngineClient.Hit> readHitsObject(JsonParser parser) throws IOException {
        List<EngineClient.Hit> hits = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("hits") && value == JsonToken.START_ARRAY) {
                hits = new ArrayList<>();
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    hits.add(readHit(parser));
                }
            } else {
                parser.skipChildren();
            }
        }
        return hits;
    }

    private static EngineClient.Hit readHit(JsonParser parser) throws IOException {
        String id = null;
        double score = Double.NaN;
        ObjectNode source = null;
        List<JsonNode> sort = List.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "_id" -> id = parser.getText();
                case "_score" -> score = value.isNumeric() ? parser.getDoubleValue() : Double.NaN;
                case "_source" -> {
                    JsonNode tree = parser.readValueAsTree();
                    source = tree instanceof ObjectNode object ? object : null;
                }
                case "sort" -> {
                    sort = new ArrayList<>();
                    if (value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            sort.add(parser.readValueAsTree());
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return new EngineClient.Hit(id, score, source, sort);
    }
}
