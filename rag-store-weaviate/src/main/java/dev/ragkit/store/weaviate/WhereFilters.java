package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.store.weaviate.PropertyNames.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Translates a portable {@link Filter} into a Weaviate {@code where} filter with the same meaning:
 * <ul>
 *   <li>a comparison becomes an {@code Or} over the key's typed properties that can hold a value of
 *       the compared type (a whole number compares with the {@code int} and the {@code number}
 *       property of its key); a comparison no stored property can satisfy is constant false, which is
 *       simplified away, so no request names a property that does not exist;</li>
 *   <li>a decimal against an {@code int} property is rounded in the direction that keeps the
 *       comparison exact ({@code x > 2.5} is {@code x > 2}), and a whole number beyond 2^53 against a
 *       {@code number} property likewise;</li>
 *   <li>{@code ne}, {@code notIn} and {@code not} become Weaviate's {@code Not}, so a chunk without
 *       the key matches them, as the contract says.</li>
 * </ul>
 */
final class WhereFilters {
    /** A translated filter: always true, always false, or a {@code where} node. */
    sealed interface Where {
    }

    record Always(boolean value) implements Where {
    }

    record Node(ObjectNode where) implements Where {
    }

    static final Where TRUE = new Always(true);
    static final Where FALSE = new Always(false);

    private final Function<String, Set<Kind>> kindsOfKey;

    /** @param kindsOfKey the typed properties that exist for a metadata key */
    WhereFilters(Function<String, Set<Kind>> kindsOfKey) {
        this.kindsOfKey = kindsOfKey;
    }

    Where translate(Filter filter) {
        if (filter instanceof Filter.Eq eq) {
            return equal(eq.key(), eq.value());
        }
        if (filter instanceof Filter.Ne ne) {
            return not(equal(ne.key(), ne.value()));
        }
        if (filter instanceof Filter.In in) {
            return or(in.values().stream().map(v -> equal(in.key(), v)).toList());
        }
        if (filter instanceof Filter.NotIn notIn) {
            return not(or(notIn.values().stream().map(v -> equal(notIn.key(), v)).toList()));
        }
        if (filter instanceof Filter.Compare compare) {
            return compare(compare.key(), compare.op(), compare.value());
        }
        if (filter instanceof Filter.And and) {
            return and(and.operands().stream().map(this::translate).toList());
        }
        if (filter instanceof Filter.Or or) {
            return or(or.operands().stream().map(this::translate).toList());
        }
        if (filter instanceof Filter.Not not) {
            return not(translate(not.operand()));
        }
        throw new IllegalArgumentException("unknown filter operator " + filter.getClass().getName()
                + ": this Weaviate store translates eq, ne, in, notIn, gt, gte, lt, lte, and, or, not");
    }

    private Where equal(String key, Object value) {
        if (Metadata.DOCUMENT_ID_KEY.equals(key)) {
            return value instanceof String s ? leaf(PropertyNames.DOC_KEY, "Equal", "valueText", PropertyNames.encodeText(s))
                    : FALSE;
        }
        Set<Kind> kinds = kindsOfKey.apply(key);
        List<Where> options = new ArrayList<>();
        if (value instanceof String s && kinds.contains(Kind.TEXT)) {
            options.add(leaf(PropertyNames.metadata(key, Kind.TEXT), "Equal", "valueText", PropertyNames.encodeText(s)));
        } else if (value instanceof Boolean b && kinds.contains(Kind.BOOLEAN)) {
            options.add(leaf(PropertyNames.metadata(key, Kind.BOOLEAN), "Equal", "valueBoolean", b));
        } else if (value instanceof Long l) {
            if (kinds.contains(Kind.INT)) {
                options.add(leaf(PropertyNames.metadata(key, Kind.INT), "Equal", "valueInt", l));
            }
            if (kinds.contains(Kind.NUMBER) && (long) (double) l == l && (double) l != 0x1p63) {
                options.add(leaf(PropertyNames.metadata(key, Kind.NUMBER), "Equal", "valueNumber", (double) l));
            }
        } else if (value instanceof Double d) {
            if (kinds.contains(Kind.NUMBER)) {
                options.add(leaf(PropertyNames.metadata(key, Kind.NUMBER), "Equal", "valueNumber", d));
            }
            if (kinds.contains(Kind.INT) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                options.add(leaf(PropertyNames.metadata(key, Kind.INT), "Equal", "valueInt", (long) (double) d));
            }
        }
        // Otherwise a value of a type no property of this key holds: equal to nothing.
        return or(options);
    }

    private Where compare(String key, Filter.Op op, Object value) {
        if (Metadata.DOCUMENT_ID_KEY.equals(key)) {
            return value instanceof String s ? leaf(PropertyNames.DOC_KEY, operator(op), "valueText", PropertyNames.encodeText(s))
                    : FALSE;
        }
        Set<Kind> kinds = kindsOfKey.apply(key);
        List<Where> options = new ArrayList<>();
        if (value instanceof String s) {
            if (kinds.contains(Kind.TEXT)) {
                options.add(leaf(PropertyNames.metadata(key, Kind.TEXT), operator(op), "valueText", PropertyNames.encodeText(s)));
            }
            return or(options);
        }
        double asDouble = ((Number) value).doubleValue();
        if (kinds.contains(Kind.INT)) {
            options.add(value instanceof Long l ? leaf(PropertyNames.metadata(key, Kind.INT), operator(op), "valueInt", l)
                    : intCompare(PropertyNames.metadata(key, Kind.INT), op, asDouble));
        }
        if (kinds.contains(Kind.NUMBER)) {
            options.add(value instanceof Long l ? numberCompare(PropertyNames.metadata(key, Kind.NUMBER), op, l)
                    : leaf(PropertyNames.metadata(key, Kind.NUMBER), operator(op), "valueNumber", asDouble));
        }
        return or(options);
    }

    /** {@code x op w} for whole {@code x}: rounds {@code w} so that the comparison stays exact. */
    private static Where intCompare(String property, Filter.Op op, double w) {
        double bound = switch (op) {
            case GT, LTE -> Math.floor(w); // x > 2.5 <=> x > 2; x <= 2.5 <=> x <= 2
            case GTE, LT -> Math.ceil(w); // x >= 2.5 <=> x >= 3; x < 2.5 <=> x < 3
        };
        if (bound >= 0x1p63) {
            return op == Filter.Op.GT || op == Filter.Op.GTE ? FALSE
                    : leaf(property, "GreaterThanEqual", "valueInt", Long.MIN_VALUE);
        }
        if (bound < -0x1p63) {
            return op == Filter.Op.LT || op == Filter.Op.LTE ? FALSE
                    : leaf(property, "GreaterThanEqual", "valueInt", Long.MIN_VALUE);
        }
        return leaf(property, operator(op), "valueInt", (long) bound);
    }

    /**
     * {@code x op v} for decimal {@code x} and a whole {@code v} that a double may not hold exactly: the
     * nearest double {@code d} is then the closest one above or below {@code v}, and no double lies
     * between them.
     */
    private static Where numberCompare(String property, Filter.Op op, long v) {
        double d = v;
        if ((long) d == v && d != 0x1p63) {
            return leaf(property, operator(op), "valueNumber", d);
        }
        // Compared as longs: d > v in Java would turn v into the same double d and say false.
        boolean above = d >= 0x1p63 || (long) d > v;
        String operator = switch (op) {
            case GT, GTE -> above ? "GreaterThanEqual" : "GreaterThan";
            case LT, LTE -> above ? "LessThan" : "LessThanEqual";
        };
        return leaf(property, operator, "valueNumber", d);
    }

    private static String operator(Filter.Op op) {
        return switch (op) {
            case GT -> "GreaterThan";
            case GTE -> "GreaterThanEqual";
            case LT -> "LessThan";
            case LTE -> "LessThanEqual";
        };
    }

    private static Where leaf(String property, String operator, String valueField, Object value) {
        ObjectNode node = WeaviateRest.JSON.createObjectNode();
        node.putArray("path").add(property);
        node.put("operator", operator);
        if (value instanceof String s) {
            node.put(valueField, s);
        } else if (value instanceof Long l) {
            node.put(valueField, l);
        } else if (value instanceof Double d) {
            node.put(valueField, d);
        } else {
            node.put(valueField, (Boolean) value);
        }
        return new Node(node);
    }

    static Where and(List<Where> operands) {
        return combine("And", operands, false);
    }

    static Where or(List<Where> operands) {
        return combine("Or", operands, true);
    }

    /** And/Or with constants folded: a dominating constant decides, a neutral one drops out. */
    private static Where combine(String operator, List<Where> operands, boolean dominating) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (Where w : operands) {
            if (w instanceof Always a) {
                if (a.value() == dominating) {
                    return a;
                }
            } else {
                nodes.add(((Node) w).where());
            }
        }
        if (nodes.isEmpty()) {
            return new Always(!dominating);
        }
        if (nodes.size() == 1) {
            return new Node(nodes.get(0));
        }
        ObjectNode node = WeaviateRest.JSON.createObjectNode().put("operator", operator);
        ArrayNode array = node.putArray("operands");
        nodes.forEach(array::add);
        return new Node(node);
    }

    static Where not(Where operand) {
        if (operand instanceof Always a) {
            return new Always(!a.value());
        }
        ObjectNode node = WeaviateRest.JSON.createObjectNode().put("operator", "Not");
        node.putArray("operands").add(((Node) operand).where());
        return new Node(node);
    }
}
