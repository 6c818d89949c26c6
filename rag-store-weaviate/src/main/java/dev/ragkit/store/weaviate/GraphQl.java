package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Writes JSON values as GraphQL input literals (Weaviate's {@code where}, {@code nearVector}, ...). */
final class GraphQl {
    /** Fields whose string values are GraphQL enum values, written without quotes. */
    private static final Set<String> ENUM_FIELDS = Set.of("operator", "order", "fusionType");

    private GraphQl() {
    }

    static String literal(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, null, out);
        return out.toString();
    }

    private static void write(JsonNode node, String field, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.append(first ? "" : ", ").append(e.getKey()).append(": ");
                write(e.getValue(), e.getKey(), out);
                first = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                write(node.get(i), field, out);
            }
            out.append(']');
        } else if (node.isTextual() && ENUM_FIELDS.contains(field)) {
            out.append(node.asText());
        } else {
            // JSON's string escapes, numbers and booleans are valid GraphQL literals.
            out.append(node.toString());
        }
    }

    /** A GraphQL string literal. */
    static String string(String value) {
        return WeaviateRest.JSON.getNodeFactory().textNode(value).toString();
    }
}
