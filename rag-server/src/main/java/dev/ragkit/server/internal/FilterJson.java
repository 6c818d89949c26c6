package dev.ragkit.server.internal;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Reads a metadata filter from JSON. Forms: a condition {@code {"key": "lang", "op": "eq", "value": "en"}}
 * (ops eq, ne, in, nin, gt, gte, lt, lte; {@code in} and {@code nin} take an array), and the connectives
 * {@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": {...}}}. Anything else is a 400
 * {@code invalid-filter} naming the part that is wrong.
 */
public final class FilterJson {
    private FilterJson() {
    }

    /** The filter of {@code node}, or null when the node is absent or JSON null. */
    public static Filter parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return read(node, "filter");
        } catch (InvalidInputException e) {
            throw invalid(e.getMessage());
        }
    }

    private static Filter read(JsonNode node, String where) {
        if (!node.isObject()) {
            throw invalid(where + " must be a JSON object");
        }
        List<String> names = List.copyOf(node.propertyNames());
        if (names.size() == 1 && List.of("and", "or", "not").contains(names.get(0))) {
            String op = names.get(0);
            JsonNode operand = node.get(op);
            if (op.equals("not")) {
                return Filter.not(read(operand, where + ".not"));
            }
            if (!operand.isArray() || operand.isEmpty()) {
                throw invalid(where + "." + op + " must be a non-empty array of filters");
            }
            List<Filter> operands = new ArrayList<>();
            int i = 0;
            for (JsonNode child : operand.values()) {
                operands.add(read(child, where + "." + op + "[" + i++ + "]"));
            }
            return op.equals("and") ? new Filter.And(operands) : new Filter.Or(operands);
        }
        if (!node.has("key") || !node.get("key").isString() || !node.has("op") || !node.get("op").isString()
                || !node.has("value") || names.size() != 3) {
            throw invalid(where + " must be {\"key\": ..., \"op\": ..., \"value\": ...} or one of and/or/not, but had "
                    + names);
        }
        String key = node.get("key").stringValue();
        String op = node.get("op").stringValue();
        JsonNode value = node.get("value");
        return switch (op) {
            case "eq" -> Filter.eq(key, scalar(value, where));
            case "ne" -> Filter.ne(key, scalar(value, where));
            case "in" -> Filter.in(key, list(value, where));
            case "nin" -> Filter.notIn(key, list(value, where));
            case "gt" -> Filter.gt(key, scalar(value, where));
            case "gte" -> Filter.gte(key, scalar(value, where));
            case "lt" -> Filter.lt(key, scalar(value, where));
            case "lte" -> Filter.lte(key, scalar(value, where));
            default -> throw invalid(where + ".op was '" + op + "' but ops are [eq, ne, in, nin, gt, gte, lt, lte]");
        };
    }

    private static Object scalar(JsonNode value, String where) {
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        throw invalid(where + ".value must be a string, number or boolean");
    }

    private static List<Object> list(JsonNode value, String where) {
        if (!value.isArray()) {
            throw invalid(where + ".value must be an array for in and nin");
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode v : value.values()) {
            values.add(scalar(v, where));
        }
        return values;
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-filter", detail, Map.of(), new org.springframework.http.HttpHeaders());
    }
}
