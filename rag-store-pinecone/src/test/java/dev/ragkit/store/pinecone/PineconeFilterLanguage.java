package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The stub's evaluator of Pinecone metadata filters, as Pinecone documents them
 * (docs.pinecone.io/guides/search/filter-by-metadata; the OpenAPI description types {@code filter} as a free
 * object and links there): a filter object's entries all hold (implicit AND); an entry is {@code $and} or
 * {@code $or} with a non-empty array of filters, or a field with a value (shorthand for {@code $eq}) or an
 * object of operators that all hold. Operators and the value types the documentation allows:
 * {@code $eq}, {@code $ne} (string, number, boolean); {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte}
 * (number); {@code $in}, {@code $nin} (a non-empty array of strings or of numbers); {@code $exists} (boolean).
 * Numbers are 64-bit floats. A field holding a list of strings matches {@code $eq}/{@code $in} when an
 * element does, and {@code $ne}/{@code $nin} when none does. Anything else is not in the documented
 * language and is refused ({@link IllegalArgumentException}), so the adapter cannot rely on it.
 *
 * <p>The documentation leaves one thing open: whether {@code $ne}/{@code $nin} match a record that lacks
 * the field. {@code negationsMatchMissing} picks one reading; the adapter must be exact under both.
 */
final class PineconeFilterLanguage {
    private final boolean negationsMatchMissing;

    PineconeFilterLanguage(boolean negationsMatchMissing) {
        this.negationsMatchMissing = negationsMatchMissing;
    }

    /**
     * Whether a record with this metadata (null: none) matches {@code filter}. Every part is evaluated, none
     * skipped, so that any call checks the whole filter against the language.
     */
    boolean matches(JsonNode filter, JsonNode metadata) {
        if (!filter.isObject() || filter.isEmpty()) {
            throw new IllegalArgumentException("a filter must be a non-empty object, was " + filter);
        }
        boolean all = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            all &= entry(entry.getKey(), entry.getValue(), metadata);
        }
        return all;
    }

    private boolean entry(String key, JsonNode value, JsonNode metadata) {
        if (key.equals("$and") || key.equals("$or")) {
            if (!value.isArray() || value.isEmpty()) {
                throw new IllegalArgumentException(key + " needs a non-empty array of filters, was " + value);
            }
            boolean and = key.equals("$and");
            boolean all = true;
            boolean any = false;
            for (JsonNode operand : value) {
                boolean holds = matches(operand, metadata);
                all &= holds;
                any |= holds;
            }
            return and ? all : any;
        }
        if (key.startsWith("$")) {
            throw new IllegalArgumentException("operator " + key + " is not in Pinecone's filter language at the top level");
        }
        JsonNode actual = metadata == null ? null : metadata.get(key);
        if (!value.isObject()) {
            return operator(key, "$eq", value, actual);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("field '" + key + "' has an empty operator object");
        }
        boolean all = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            all &= operator(key, op.getKey(), op.getValue(), actual);
        }
        return all;
    }

    private boolean operator(String key, String op, JsonNode operand, JsonNode actual) {
        switch (op) {
            case "$eq", "$ne" -> {
                if (!(operand.isTextual() || operand.isNumber() || operand.isBoolean())) {
                    throw new IllegalArgumentException(op + " on '" + key + "' takes a string, number or boolean, was " + operand);
                }
                if (actual == null) {
                    return op.equals("$ne") && negationsMatchMissing;
                }
                boolean any = anyEqual(actual, operand);
                return op.equals("$eq") == any;
            }
            case "$gt", "$gte", "$lt", "$lte" -> {
                if (!operand.isNumber()) {
                    throw new IllegalArgumentException(op + " on '" + key + "' takes a number, was " + operand);
                }
                if (actual == null || !actual.isNumber()) {
                    return false;
                }
                int cmp = Double.compare(actual.asDouble(), operand.asDouble());
                return switch (op) {
                    case "$gt" -> cmp > 0;
                    case "$gte" -> cmp >= 0;
                    case "$lt" -> cmp < 0;
                    default -> cmp <= 0;
                };
            }
            case "$in", "$nin" -> {
                if (!operand.isArray() || operand.isEmpty()) {
                    throw new IllegalArgumentException(op + " on '" + key + "' takes a non-empty array, was " + operand);
                }
                boolean strings = operand.get(0).isTextual();
                for (JsonNode v : operand) {
                    if (!(strings ? v.isTextual() : v.isNumber())) {
                        throw new IllegalArgumentException(op + " on '" + key + "' takes an array of strings or of "
                                + "numbers, was " + operand);
                    }
                }
                if (actual == null) {
                    return op.equals("$nin") && negationsMatchMissing;
                }
                boolean any = false;
                for (JsonNode v : operand) {
                    any |= anyEqual(actual, v);
                }
                return op.equals("$in") == any;
            }
            case "$exists" -> {
                if (!operand.isBoolean()) {
                    throw new IllegalArgumentException("$exists on '" + key + "' takes a boolean, was " + operand);
                }
                return (actual != null) == operand.asBoolean();
            }
            default -> throw new IllegalArgumentException("operator " + op + " on '" + key
                    + "' is not in Pinecone's filter language");
        }
    }

    /** Whether the field's value, or one element of a list of strings, equals {@code operand}. */
    private static boolean anyEqual(JsonNode actual, JsonNode operand) {
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (scalarEqual(element, operand)) {
                    return true;
                }
            }
            return false;
        }
        return scalarEqual(actual, operand);
    }

    private static boolean scalarEqual(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        if (a.isTextual() && b.isTextual()) {
            return a.asText().equals(b.asText());
        }
        return a.isBoolean() && b.isBoolean() && a.asBoolean() == b.asBoolean();
    }
}
