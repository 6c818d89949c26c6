package dev.ragkit.core.model;

import java.math.BigDecimal;
import java.util.Map;

/** The reference implementation of {@link Filter}'s semantics, used by in-process stores. */
final class FilterEvaluation {
    private FilterEvaluation() {
    }

    static boolean test(Filter filter, String documentId, Map<String, Object> metadata) {
        if (filter instanceof Filter.Eq f) {
            return valueEquals(lookup(f.key(), documentId, metadata), f.value());
        }
        if (filter instanceof Filter.Ne f) {
            return !valueEquals(lookup(f.key(), documentId, metadata), f.value());
        }
        if (filter instanceof Filter.In f) {
            Object actual = lookup(f.key(), documentId, metadata);
            return f.values().stream().anyMatch(v -> valueEquals(actual, v));
        }
        if (filter instanceof Filter.NotIn f) {
            Object actual = lookup(f.key(), documentId, metadata);
            return f.values().stream().noneMatch(v -> valueEquals(actual, v));
        }
        if (filter instanceof Filter.Compare f) {
            Object actual = lookup(f.key(), documentId, metadata);
            Integer cmp = compare(actual, f.value());
            if (cmp == null) {
                return false;
            }
            return switch (f.op()) {
                case GT -> cmp > 0;
                case GTE -> cmp >= 0;
                case LT -> cmp < 0;
                case LTE -> cmp <= 0;
            };
        }
        if (filter instanceof Filter.And f) {
            return f.operands().stream().allMatch(o -> test(o, documentId, metadata));
        }
        if (filter instanceof Filter.Or f) {
            return f.operands().stream().anyMatch(o -> test(o, documentId, metadata));
        }
        if (filter instanceof Filter.Not f) {
            return !test(f.operand(), documentId, metadata);
        }
        throw new IllegalStateException("unknown filter " + filter);
    }

    private static Object lookup(String key, String documentId, Map<String, Object> metadata) {
        return Metadata.DOCUMENT_ID_KEY.equals(key) ? documentId : metadata.get(key);
    }

    private static boolean valueEquals(Object actual, Object expected) {
        if (actual == null) {
            return false;
        }
        if (actual instanceof Number a && expected instanceof Number e) {
            return compareNumbers(a, e) == 0;
        }
        return actual.equals(expected);
    }

    /** Null when the two values have no order (absent, or different types). */
    private static Integer compare(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number e) {
            return compareNumbers(a, e);
        }
        if (actual instanceof String a && expected instanceof String e) {
            return Integer.signum(a.compareTo(e));
        }
        return null;
    }

    private static int compareNumbers(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Long || b instanceof Long) {
            // A double cannot hold every long exactly (beyond 2^53); compare exact decimal values.
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
        }
        return Double.compare(a.doubleValue(), b.doubleValue());
    }
}
