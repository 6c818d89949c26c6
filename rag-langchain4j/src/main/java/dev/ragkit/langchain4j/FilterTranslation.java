package dev.ragkit.langchain4j;

import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Translates LangChain4j's metadata {@link dev.langchain4j.store.embedding.filter.Filter} into Ragkit's
 * portable {@link Filter}, exactly or not at all.
 *
 * <p>Every LangChain4j filter type of this version is handled: the comparisons (equal, not equal, greater,
 * greater or equal, less, less or equal, in, not in) and the logical and/or/not map one to one, with the
 * same meaning for absent keys (equal, in and the orderings are false; not equal and not in are true) and
 * numbers compared by value across Integer, Long, Float and Double. What Ragkit cannot evaluate the same
 * way fails, before any request reaches the store, with an {@link InvalidInputException} naming the filter
 * and what to do (a filter is never dropped or approximated):
 * {@code ContainsString} (Ragkit's portable filter has no substring match), an ordering on a UUID
 * (LangChain4j orders UUIDs by their signed bits, Ragkit holds them as strings), an in/not-in list mixing
 * value types (LangChain4j checks only the first value's type), an in/not-in list of Float values
 * (LangChain4j compares those by the float's binary value but equality by its decimal text), and filter
 * classes other than LangChain4j's own.
 */
public final class FilterTranslation {
    private FilterTranslation() {
    }

    /** The Ragkit filter that selects exactly what {@code filter} selects; null for null. */
    public static Filter toRagkit(dev.langchain4j.store.embedding.filter.Filter filter) {
        if (filter == null) {
            return null;
        }
        if (filter instanceof IsEqualTo f) {
            return Filter.eq(f.key(), value(f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsNotEqualTo f) {
            return Filter.ne(f.key(), value(f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsGreaterThan f) {
            return Filter.gt(f.key(), ordered(filter, f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsGreaterThanOrEqualTo f) {
            return Filter.gte(f.key(), ordered(filter, f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsLessThan f) {
            return Filter.lt(f.key(), ordered(filter, f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsLessThanOrEqualTo f) {
            return Filter.lte(f.key(), ordered(filter, f.key(), f.comparisonValue()));
        }
        if (filter instanceof IsIn f) {
            return Filter.in(f.key(), values(filter, f.key(), f.comparisonValues()));
        }
        if (filter instanceof IsNotIn f) {
            return Filter.notIn(f.key(), values(filter, f.key(), f.comparisonValues()));
        }
        if (filter instanceof And f) {
            return Filter.and(toRagkit(f.left()), toRagkit(f.right()));
        }
        if (filter instanceof Or f) {
            return Filter.or(toRagkit(f.left()), toRagkit(f.right()));
        }
        if (filter instanceof Not f) {
            return Filter.not(toRagkit(f.expression()));
        }
        if (filter instanceof ContainsString f) {
            throw untranslatable(filter, "Ragkit's portable filter has no substring match on '"
                    + f.key() + "'; filter on exact values (isEqualTo, isIn) or check the matches' text yourself");
        }
        throw untranslatable(filter, "it is a " + filter.getClass().getName()
                + ", not one of LangChain4j's filter types (IsEqualTo, IsNotEqualTo, IsGreaterThan, IsGreaterThanOrEqualTo,"
                + " IsLessThan, IsLessThanOrEqualTo, IsIn, IsNotIn, And, Or, Not)");
    }

    private static InvalidInputException untranslatable(dev.langchain4j.store.embedding.filter.Filter filter,
                                                        String why) {
        return new InvalidInputException("LangChain4j filter " + filter
                + " cannot be translated exactly to a Ragkit filter: " + why);
    }

    private static Object value(String key, Object value) {
        return MetadataMapping.toRagkitValue(key, value);
    }

    private static Object ordered(dev.langchain4j.store.embedding.filter.Filter filter, String key, Object value) {
        if (value instanceof UUID) {
            throw untranslatable(filter, "LangChain4j orders UUIDs on '" + key
                    + "' by their signed 64-bit halves while Ragkit stores UUIDs as strings, so the order would differ;"
                    + " compare UUIDs with isEqualTo/isIn only");
        }
        if (value instanceof Boolean) {
            throw untranslatable(filter, "booleans on '" + key + "' have no order");
        }
        return value(key, value);
    }

    private static List<Object> values(dev.langchain4j.store.embedding.filter.Filter filter, String key,
                                       Collection<?> values) {
        List<Object> out = new ArrayList<>(values.size());
        String kind = null;
        for (Object v : values) {
            String k = kindOf(v);
            if (kind != null && !kind.equals(k)) {
                throw untranslatable(filter, "its values for '" + key + "' mix " + kind + " and " + k
                        + ", and LangChain4j checks only the first value's type (in an unordered set); use one type");
            }
            kind = k;
            if (v instanceof Float) {
                throw untranslatable(filter, "LangChain4j compares Float values in in/not-in lists by the float's binary"
                        + " value (0.1f as 0.10000000149011612) but everywhere else by its decimal text (0.1);"
                        + " give the values of '" + key + "' as Double");
            }
            out.add(value(key, v));
        }
        return out;
    }

    /** The comparison family of a value: numbers compare with numbers, UUIDs with strings by their text. */
    private static String kindOf(Object v) {
        if (v instanceof Number) {
            return "numbers";
        }
        if (v instanceof UUID) {
            return "UUIDs";
        }
        return v == null ? "null" : v.getClass().getSimpleName() + "s";
    }
}
