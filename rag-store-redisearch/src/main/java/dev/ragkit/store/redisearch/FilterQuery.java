package dev.ragkit.store.redisearch;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Translates a portable {@link Filter} into a RediSearch DIALECT 2 query with exactly the core's semantics
 * ({@link Filter#test}).
 *
 * <p>Each declared metadata key {@code k} has a TAG attribute {@code t_k} holding the value's typed form
 * ({@link TagValues}) and a NUMERIC attribute {@code n_k} present only when the value is a number. So:
 * equality and {@code in} are TAG matches of typed forms (a number never equals a string, whole 3 equals
 * decimal 3.0); {@code ne}/{@code notIn} are their negation, true for chunks without the key; numeric
 * comparisons are NUMERIC ranges, exact because the server compares doubles and every Long up to 2^53 and
 * every Double is a double. The comparisons the engine cannot make natively, on strings (UTF-16 order)
 * and on bounds beyond 2^53 in magnitude, are resolved exactly here: the field's distinct values
 * ({@code FT.TAGVALS}) are compared in Java and the matching ones become a TAG match.
 */
final class FilterQuery {
    /** Above this magnitude a double cannot tell apart neighbouring Longs, so NUMERIC ranges could err. */
    private static final BigDecimal EXACT_DOUBLE_LIMIT = BigDecimal.valueOf(1L << 53);

    private final Set<String> declared;
    private final String indexName;
    private final Function<String, Set<String>> tagValues;

    /**
     * @param declared the metadata keys the index has attributes for
     * @param indexName the index, named in errors
     * @param tagValues the distinct values of a TAG attribute (FT.TAGVALS), asked only for comparisons
     *     the engine cannot make
     */
    FilterQuery(Set<String> declared, String indexName, Function<String, Set<String>> tagValues) {
        this.declared = declared;
        this.indexName = indexName;
        this.tagValues = tagValues;
    }

    /** The attribute that holds a key's tag forms; {@code doc} for the document id. */
    static String tagAttribute(String key) {
        return Metadata.DOCUMENT_ID_KEY.equals(key) ? "doc" : "t_" + key;
    }

    /** The NUMERIC attribute of a declared key. */
    static String numericAttribute(String key) {
        return "n_" + key;
    }

    /**
     * Checks that every key of the filter is declared, before anything is sent.
     *
     * @throws InvalidInputException naming the first undeclared key and what to do
     */
    void requireDeclared(Filter filter) {
        for (String key : keys(filter, new TreeSet<>())) {
            if (!Metadata.DOCUMENT_ID_KEY.equals(key) && !declared.contains(key)) {
                throw new InvalidInputException("filter key '" + key + "' is not a declared field of RediSearch index '"
                        + indexName + "' (declared: " + new TreeSet<>(declared) + "): add it to rag.store.redisearch.fields"
                        + " (RediSearch filters only on attributes declared when the index is created, so a new field"
                        + " needs a new index version)");
            }
        }
    }

    private static Set<String> keys(Filter f, Set<String> out) {
        if (f instanceof Filter.Eq x) {
            out.add(x.key());
        } else if (f instanceof Filter.Ne x) {
            out.add(x.key());
        } else if (f instanceof Filter.In x) {
            out.add(x.key());
        } else if (f instanceof Filter.NotIn x) {
            out.add(x.key());
        } else if (f instanceof Filter.Compare x) {
            out.add(x.key());
        } else if (f instanceof Filter.And x) {
            x.operands().forEach(o -> keys(o, out));
        } else if (f instanceof Filter.Or x) {
            x.operands().forEach(o -> keys(o, out));
        } else if (f instanceof Filter.Not x) {
            keys(x.operand(), out);
        }
        return out;
    }

    /** A query's structure before rendering, simplified so that constant parts disappear. */
    sealed interface Node {
    }

    /** Matches everything. */
    record All() implements Node {
    }

    /** Matches nothing. */
    record None() implements Node {
    }

    /** One attribute condition in query syntax. */
    record Atom(String text) implements Node {
    }

    record And(List<Node> operands) implements Node {
    }

    record Or(List<Node> operands) implements Node {
    }

    record Not(Node operand) implements Node {
    }

    /** The query text for {@code filter} (null: every chunk), or null when it can match nothing. */
    String render(Filter filter) {
        if (filter == null) {
            return "*";
        }
        requireDeclared(filter);
        Node node = translate(filter);
        if (node instanceof None) {
            return null;
        }
        if (node instanceof All) {
            return "*";
        }
        return text(node);
    }

    Node translate(Filter f) {
        if (f instanceof Filter.Eq x) {
            return equalsAny(x.key(), List.of(x.value()));
        }
        if (f instanceof Filter.Ne x) {
            return not(equalsAny(x.key(), List.of(x.value())));
        }
        if (f instanceof Filter.In x) {
            return equalsAny(x.key(), x.values());
        }
        if (f instanceof Filter.NotIn x) {
            return not(equalsAny(x.key(), x.values()));
        }
        if (f instanceof Filter.Compare x) {
            return compare(x);
        }
        if (f instanceof Filter.And x) {
            List<Node> parts = new ArrayList<>();
            for (Filter o : x.operands()) {
                Node n = translate(o);
                if (n instanceof None) {
                    return n;
                }
                if (!(n instanceof All)) {
                    parts.add(n);
                }
            }
            return parts.isEmpty() ? new All() : parts.size() == 1 ? parts.get(0) : new And(parts);
        }
        if (f instanceof Filter.Or x) {
            List<Node> parts = new ArrayList<>();
            for (Filter o : x.operands()) {
                Node n = translate(o);
                if (n instanceof All) {
                    return n;
                }
                if (!(n instanceof None)) {
                    parts.add(n);
                }
            }
            return parts.isEmpty() ? new None() : parts.size() == 1 ? parts.get(0) : new Or(parts);
        }
        if (f instanceof Filter.Not x) {
            return not(translate(x.operand()));
        }
        throw new IllegalStateException("unknown filter " + f);
    }

    private static Node not(Node n) {
        if (n instanceof All) {
            return new None();
        }
        if (n instanceof None) {
            return new All();
        }
        if (n instanceof Not inner) {
            return inner.operand();
        }
        return new Not(n);
    }

    /** The key equals one of the values (typed: the document id only ever equals strings). */
    private Node equalsAny(String key, List<Object> values) {
        Set<String> tags = new TreeSet<>();
        for (Object v : values) {
            if (Metadata.DOCUMENT_ID_KEY.equals(key)) {
                if (v instanceof String s) {
                    tags.add(TagValues.percentEncode(s));
                }
            } else {
                tags.add(TagValues.encode(v));
            }
        }
        return tagMatch(key, tags);
    }

    private static Node tagMatch(String key, Set<String> tags) {
        if (tags.isEmpty()) {
            return new None();
        }
        StringBuilder q = new StringBuilder("@").append(tagAttribute(key)).append(":{");
        boolean first = true;
        for (String tag : tags) {
            if (!first) {
                q.append(" | ");
            }
            q.append(TagValues.escapeForQuery(tag));
            first = false;
        }
        return new Atom(q.append('}').toString());
    }

    private Node compare(Filter.Compare c) {
        boolean documentId = Metadata.DOCUMENT_ID_KEY.equals(c.key());
        if (c.value() instanceof String bound) {
            // Strings have no order in the query engine: compare the field's distinct strings here.
            Set<String> matching = new TreeSet<>();
            for (String tag : tagValues.apply(tagAttribute(c.key()))) {
                String s;
                if (documentId) {
                    s = TagValues.percentDecode(tag);
                } else if (tag.startsWith("s:")) {
                    s = (String) TagValues.decode(tag);
                } else {
                    continue;
                }
                if (holds(c.op(), Integer.signum(s.compareTo(bound)))) {
                    matching.add(tag);
                }
            }
            return tagMatch(c.key(), matching);
        }
        if (documentId) {
            return new None(); // a document id is a string: no order with a number
        }
        BigDecimal bound = TagValues.exact((Number) c.value());
        if (bound.abs().compareTo(EXACT_DOUBLE_LIMIT) >= 0) {
            Set<String> matching = new TreeSet<>();
            for (String tag : tagValues.apply(tagAttribute(c.key()))) {
                if (tag.startsWith("n:") && holds(c.op(), ((BigDecimal) TagValues.decode(tag)).compareTo(bound))) {
                    matching.add(tag);
                }
            }
            return tagMatch(c.key(), matching);
        }
        String v = TagValues.canonicalNumber((Number) c.value());
        String range = switch (c.op()) {
            case GT -> "[(" + v + " +inf]";
            case GTE -> "[" + v + " +inf]";
            case LT -> "[-inf (" + v + "]";
            case LTE -> "[-inf " + v + "]";
        };
        return new Atom("@" + numericAttribute(c.key()) + ":" + range);
    }

    private static boolean holds(Filter.Op op, int cmp) {
        return switch (op) {
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
        };
    }

    static String text(Node n) {
        if (n instanceof Atom a) {
            return a.text();
        }
        if (n instanceof Not x) {
            return "-(" + text(x.operand()) + ")";
        }
        if (n instanceof And x) {
            StringBuilder q = new StringBuilder("(");
            for (int i = 0; i < x.operands().size(); i++) {
                q.append(i == 0 ? "" : " ").append(text(x.operands().get(i)));
            }
            return q.append(')').toString();
        }
        if (n instanceof Or x) {
            StringBuilder q = new StringBuilder("(");
            for (int i = 0; i < x.operands().size(); i++) {
                q.append(i == 0 ? "" : " | ").append(text(x.operands().get(i)));
            }
            return q.append(')').toString();
        }
        if (n instanceof All) {
            return "*";
        }
        throw new IllegalStateException("a query that matches nothing has no text");
    }
}
