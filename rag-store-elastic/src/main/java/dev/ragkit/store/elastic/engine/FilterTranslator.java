package dev.ragkit.store.elastic.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import java.math.BigDecimal;
import java.util.List;

/**
 * Translates a portable {@link Filter} into the query DSL that Elasticsearch and OpenSearch share, with
 * exactly the memory store's semantics ({@link Filter#test}).
 *
 * <p>Metadata is stored in one field per value type ({@link IndexFields}), so a condition only ever
 * compares values of its own type: a string never equals a number, and a key a chunk lacks matches no
 * {@code eq}, {@code in} or comparison, while {@code ne} and {@code notIn} are exactly their negations
 * ({@code must_not}) and so match it. Whole and decimal numbers live in a {@code long} and a {@code double}
 * field and compare numerically with each other, exactly: a bound that a double cannot hold is moved to
 * the nearest value on the right side instead of being rounded, as the reference compares exact decimal
 * values. Strings compare by the index's term order, which is Unicode code point order: the same as the
 * reference's UTF-16 order for every character outside the surrogate range.
 */
public final class FilterTranslator {
    private static final double TWO_POW_63 = 0x1p63;

    private FilterTranslator() {
    }

    /** The query for {@code filter}. */
    public static ObjectNode translate(Filter filter) {
        if (filter instanceof Filter.Eq f) {
            return equalTo(f.key(), f.value());
        }
        if (filter instanceof Filter.Ne f) {
            return not(equalTo(f.key(), f.value()));
        }
        if (filter instanceof Filter.In f) {
            return anyOf(f.key(), f.values());
        }
        if (filter instanceof Filter.NotIn f) {
            return not(anyOf(f.key(), f.values()));
        }
        if (filter instanceof Filter.Compare f) {
            return compare(f.key(), f.op(), f.value());
        }
        if (filter instanceof Filter.And f) {
            return bool("filter", f.operands().stream().map(FilterTranslator::translate).toList());
        }
        if (filter instanceof Filter.Or f) {
            ObjectNode or = bool("should", f.operands().stream().map(FilterTranslator::translate).toList());
            ((ObjectNode) or.get("bool")).put("minimum_should_match", 1);
            return or;
        }
        if (filter instanceof Filter.Not f) {
            return not(translate(f.operand()));
        }
        throw new InvalidInputException("filter operator " + (filter == null ? "null" : filter.getClass().getName())
                + " is not one of eq, ne, in, notIn, gt, gte, lt, lte, and, or, not");
    }

    private static boolean isDocumentId(String key) {
        return Metadata.DOCUMENT_ID_KEY.equals(key);
    }

    private static String field(String object, String key) {
        return object + "." + IndexFields.encodeKey(key);
    }

    private static String stringField(String key) {
        return isDocumentId(key) ? IndexFields.DOC_ID : field(IndexFields.META_STRING, key);
    }

    private static ObjectNode equalTo(String key, Object value) {
        if (value instanceof String s) {
            return term(stringField(key), s);
        }
        if (isDocumentId(key)) {
            return matchNone(); // document ids are strings
        }
        if (value instanceof Boolean b) {
            return Json.object("term", Json.object(field(IndexFields.META_BOOLEAN, key), Json.object().put("value", b)));
        }
        if (value instanceof Long l) {
            ObjectNode longTerm = Json.object("term", Json.object(field(IndexFields.META_LONG, key),
                    Json.object().put("value", l)));
            if (!exactDouble(l)) {
                return longTerm;
            }
            return or(longTerm, Json.object("term", Json.object(field(IndexFields.META_DOUBLE, key),
                    Json.object().put("value", (double) l))));
        }
        double d = (Double) value;
        ObjectNode doubleTerm = Json.object("term", Json.object(field(IndexFields.META_DOUBLE, key),
                Json.object().put("value", d)));
        if (!integralLong(d)) {
            return doubleTerm;
        }
        return or(doubleTerm, Json.object("term", Json.object(field(IndexFields.META_LONG, key),
                Json.object().put("value", (long) d))));
    }

    private static ObjectNode term(String field, String value) {
        return Json.object("term", Json.object(field, Json.object().put("value", value)));
    }

    private static ObjectNode anyOf(String key, List<Object> values) {
        if (values.size() == 1) {
            return equalTo(key, values.get(0));
        }
        ObjectNode or = bool("should", values.stream().map(v -> equalTo(key, v)).toList());
        ((ObjectNode) or.get("bool")).put("minimum_should_match", 1);
        return or;
    }

    private static ObjectNode compare(String key, Filter.Op op, Object value) {
        String name = op.name().toLowerCase();
        if (value instanceof String s) {
            return range(stringField(key), name, s);
        }
        if (isDocumentId(key) || !(value instanceof Long || value instanceof Double)) {
            return matchNone();
        }
        String longField = field(IndexFields.META_LONG, key);
        String doubleField = field(IndexFields.META_DOUBLE, key);
        if (value instanceof Long l) {
            return or(range(longField, name, l), doubleRangeForLong(doubleField, op, l));
        }
        double d = (Double) value;
        return or(range(doubleField, name, d), longRangeForDouble(longField, op, d));
    }

    /** {@code field op v} on a double field, exact even when no double equals {@code v}. */
    private static ObjectNode doubleRangeForLong(String field, Filter.Op op, long v) {
        double nearest = (double) v;
        int cmp = new BigDecimal(nearest).compareTo(BigDecimal.valueOf(v));
        if (cmp == 0) {
            return range(field, op.name().toLowerCase(), nearest);
        }
        double below = cmp > 0 ? Math.nextDown(nearest) : nearest;
        double above = cmp > 0 ? nearest : Math.nextUp(nearest);
        return switch (op) {
            case GT, GTE -> range(field, "gte", above);
            case LT, LTE -> range(field, "lte", below);
        };
    }

    /** {@code field op v} on a long field, for a decimal {@code v}. */
    private static ObjectNode longRangeForDouble(String field, Filter.Op op, double v) {
        if (integralLong(v)) {
            return range(field, op.name().toLowerCase(), (long) v);
        }
        boolean above = op == Filter.Op.GT || op == Filter.Op.GTE;
        if (v >= TWO_POW_63) {
            return above ? matchNone() : exists(field);
        }
        if (v < -TWO_POW_63) {
            return above ? exists(field) : matchNone();
        }
        return above ? range(field, "gte", (long) Math.ceil(v)) : range(field, "lte", (long) Math.floor(v));
    }

    private static boolean exactDouble(long v) {
        return new BigDecimal((double) v).compareTo(BigDecimal.valueOf(v)) == 0;
    }

    private static boolean integralLong(double d) {
        return d >= -TWO_POW_63 && d < TWO_POW_63 && d == Math.rint(d);
    }

    private static ObjectNode range(String field, String op, String value) {
        return Json.object("range", Json.object(field, Json.object().put(op, value)));
    }

    private static ObjectNode range(String field, String op, long value) {
        return Json.object("range", Json.object(field, Json.object().put(op, value)));
    }

    private static ObjectNode range(String field, String op, double value) {
        return Json.object("range", Json.object(field, Json.object().put(op, value)));
    }

    private static ObjectNode exists(String field) {
        return Json.object("exists", Json.object().put("field", field));
    }

    /** A query that matches no document. */
    public static ObjectNode matchNone() {
        return Json.object("match_none", Json.object());
    }

    private static ObjectNode not(ObjectNode query) {
        return bool("must_not", List.of(query));
    }

    private static ObjectNode or(ObjectNode a, ObjectNode b) {
        ObjectNode or = bool("should", List.of(a, b));
        ((ObjectNode) or.get("bool")).put("minimum_should_match", 1);
        return or;
    }

    private static ObjectNode bool(String occur, List<ObjectNode> clauses) {
        ArrayNode array = Json.array();
        clauses.forEach(array::add);
        ObjectNode bool = Json.object();
        bool.set(occur, array);
        return Json.object("bool", bool);
    }
}
