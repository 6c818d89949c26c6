package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the GraphQL the stub has to answer: an anonymous query of fields with aliases,
 * arguments (objects, lists, strings, numbers, booleans, enums) and selection sets. Enum values come
 * out as strings, so an argument reads like the JSON form of Weaviate's input types. A syntax error
 * fails with the position, as a GraphQL server would reject the query.
 */
final class GraphQlDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One field of a selection set. */
    record Field(String alias, String name, Map<String, JsonNode> arguments, List<Field> selection) {
        String key() {
            return alias == null ? name : alias;
        }

        Field child(String name) {
            return selection.stream().filter(f -> f.name.equals(name)).findFirst().orElse(null);
        }
    }

    private final String text;
    private int at;

    private GraphQlDocument(String text) {
        this.text = text;
    }

    static List<Field> parse(String query) {
        GraphQlDocument p = new GraphQlDocument(query);
        p.skip();
        if (p.peekWord("query")) {
            p.name();
            p.skip();
        }
        List<Field> fields = p.selectionSet();
        p.skip();
        if (p.at != p.text.length()) {
            throw p.error("unexpected text after the query");
        }
        return fields;
    }

    private List<Field> selectionSet() {
        expect('{');
        List<Field> fields = new ArrayList<>();
        skip();
        while (peek() != '}') {
            fields.add(field());
            skip();
        }
        expect('}');
        return fields;
    }

    private Field field() {
        String first = name();
        skip();
        String alias = null;
        String name = first;
        if (peek() == ':') {
            at++;
            skip();
            alias = first;
            name = name();
            skip();
        }
        Map<String, JsonNode> arguments = new LinkedHashMap<>();
        if (peek() == '(') {
            at++;
            skip();
            while (peek() != ')') {
                String arg = name();
                skip();
                expect(':');
                skip();
                arguments.put(arg, value());
                skip();
            }
            at++;
            skip();
        }
        List<Field> selection = peek() == '{' ? selectionSet() : List.of();
        return new Field(alias, name, arguments, selection);
    }

    private JsonNode value() {
        char c = peek();
        if (c == '{') {
            at++;
            ObjectNode object = JSON.createObjectNode();
            skip();
            while (peek() != '}') {
                String key = name();
                skip();
                expect(':');
                skip();
                object.set(key, value());
                skip();
            }
            at++;
            return object;
        }
        if (c == '[') {
            at++;
            ArrayNode array = JSON.createArrayNode();
            skip();
            while (peek() != ']') {
                array.add(value());
                skip();
            }
            at++;
            return array;
        }
        if (c == '"') {
            int start = at;
            at++;
            while (peek() != '"') {
                if (peek() == '\\') {
                    at++;
                }
                at++;
            }
            at++;
            try {
                return JSON.readTree(text.substring(start, at));
            } catch (Exception e) {
                throw error("bad string literal");
            }
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = at;
            at++;
            while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            return number.matches("-?\\d+") ? JSON.getNodeFactory().numberNode(Long.parseLong(number))
                    : JSON.getNodeFactory().numberNode(Double.parseDouble(number));
        }
        String word = name();
        return switch (word) {
            case "true" -> JSON.getNodeFactory().booleanNode(true);
            case "false" -> JSON.getNodeFactory().booleanNode(false);
            case "null" -> JSON.getNodeFactory().nullNode();
            default -> JSON.getNodeFactory().textNode(word); // an enum value
        };
    }

    private String name() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        if (start == at) {
            throw error("expected a name");
        }
        return text.substring(start, at);
    }

    private boolean peekWord(String word) {
        return text.startsWith(word, at) && (at + word.length() >= text.length()
                || !Character.isLetterOrDigit(text.charAt(at + word.length())));
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("unexpected end of the query");
        }
        return text.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    /** Skips white space and commas, which GraphQL ignores. */
    private void skip() {
        while (at < text.length() && (Character.isWhitespace(text.charAt(at)) || text.charAt(at) == ',')) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("GraphQL syntax error at " + at + ": " + what + " in "
                + text.substring(Math.max(0, at - 30), Math.min(text.length(), at + 30)));
    }
}
