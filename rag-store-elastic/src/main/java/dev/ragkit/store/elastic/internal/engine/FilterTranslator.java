package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.Metadata;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Translates a portable {@link Filter} into the query DSL that Elasticsearch and OpenSearch share, with
 * exactly the memory store's semantics ({@link Filter#test}).
 *
 * <p>Metadata is stored in one field per value type ({@link IndexFields}), so a condition only ever
 * compares values of its own type: a string never equals a number, and a key a chunk lacks matches no
 * {@code eq}, {@code in} or comparison, while {@code ne} and {@code notIn} are exactly their negations
 * ({@code must_not}) and so match it. Whole and decimal numbers live in a {@code long} and a {@code double}
 * field and compare with each other as the reference does: two decimals by their binary value, two whole
 * numbers exactly, a whole number with a decimal by the decimal's shortest string form (so {@code -2^63}
 * as a long differs from {@code -9.223372036854776E18}); a bound that no value of the other type equals is
 * moved to the nearest value on the correct side instead of being rounded. Strings compare by the index's term order, which is Unicode code point order: the same as the
 * reference's UTF-16 order for every character outside the surrogate range.
 */
public final class FilterTranslator {
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

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
            double nearest = (double) l;
            if (decimal(nearest).compareTo(BigDecimal.valueOf(l)) != 0) {
                return longTerm; // no stored decimal equals it
            }
            return or(longTerm, Json.object("term", Json.object(field(IndexFields.META_DOUBLE, key),
                    Json.object().put("value", nearest))));
        }
        double d = (Double) value;
        ObjectNode doubleTerm = Json.object("term", Json.object(field(IndexFields.META_DOUBLE, key),
                Json.object().put("value", d)));
        BigDecimal exact = decimal(d);
        if (!fitsLong(exact) || exact.stripTrailingZeros().scale() > 0) {
            return doubleTerm;
        }
        return or(doubleTerm, Json.object("term", Json.object(field(IndexFields.META_LONG, key),
                Json.object().put("value", exact.longValueExact()))));
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

    /**
     * {@code field op v} on a double field. The reference compares a whole number with a decimal by the
     * decimal's shortest string form ({@link Double#toString}), an order-preserving map; so the bound is the
     * double nearest {@code v}, kept or moved one step by how its decimal form compares with {@code v}.
     */
    private static ObjectNode doubleRangeForLong(String field, Filter.Op op, long v) {
        double nearest = (double) v;
        int cmp = decimal(nearest).compareTo(BigDecimal.valueOf(v));
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

    /** {@code field op v} on a long field, for a decimal {@code v} compared by its decimal form. */
    private static ObjectNode longRangeForDouble(String field, Filter.Op op, double v) {
        BigDecimal exact = decimal(v);
        boolean above = op == Filter.Op.GT || op == Filter.Op.GTE;
        if (exact.compareTo(LONG_MAX) > 0) {
            return above ? matchNone() : exists(field);
        }
        if (exact.compareTo(LONG_MIN) < 0) {
            return above ? exists(field) : matchNone();
        }
        if (exact.stripTrailingZeros().scale() <= 0) {
            return range(field, op.name().toLowerCase(), exact.longValueExact());
        }
        return above ? range(field, "gte", exact.setScale(0, RoundingMode.CEILING).longValueExact())
                : range(field, "lte", exact.setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /** A decimal's value as the reference compares it with whole numbers: that of its shortest string form. */
    private static BigDecimal decimal(double d) {
        return new BigDecimal(Double.toString(d));
    }

    private static boolean fitsLong(BigDecimal value) {
        return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
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
