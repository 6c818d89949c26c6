package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A portable condition on chunk metadata, with one meaning in every store.
 *
 * <p>Semantics, which every {@link dev.ragkit.core.spi.VectorStore} declaring
 * {@link dev.ragkit.core.spi.StoreCapability#FILTER} honours exactly:
 * <ul>
 *   <li>A key names a metadata entry; the reserved key {@value Metadata#DOCUMENT_ID_KEY} names the
 *       chunk's document id.</li>
 *   <li>Values are compared by type: numbers (whole or decimal) compare numerically with each other,
 *       strings compare lexicographically by UTF-16 code unit, booleans only by equality. A value of
 *       another type never matches {@code eq}, {@code in}, {@code gt}, {@code gte}, {@code lt},
 *       {@code lte}.</li>
 *   <li>A condition on a key the chunk does not have is false, except {@code ne} and {@code notIn},
 *       which are exactly {@code not(eq)} and {@code not(in)} and so are true.</li>
 *   <li>{@code and}, {@code or} and {@code not} are the usual boolean connectives.</li>
 * </ul>
 * A store that cannot express a filter must say so (by not declaring FILTER, or by leaving the part out
 * of {@link dev.ragkit.core.spi.VectorStore#filterSupport()}) and refuse it, never ignore it.
 */
public sealed interface Filter {

    /** The key equals the value. */
    record Eq(String key, Object value) implements Filter {
        public Eq {
            key = requireKey(key);
            value = Metadata.normalise(key, value);
        }
    }

    /** The key is absent or differs from the value; exactly {@code not(eq(key, value))}. */
    record Ne(String key, Object value) implements Filter {
        public Ne {
            key = requireKey(key);
            value = Metadata.normalise(key, value);
        }
    }

    /** The key equals one of the values. */
    record In(String key, List<Object> values) implements Filter {
        public In {
            key = requireKey(key);
            values = normaliseAll(key, values);
        }
    }

    /** The key is absent or equals none of the values; exactly {@code not(in(key, values))}. */
    record NotIn(String key, List<Object> values) implements Filter {
        public NotIn {
            key = requireKey(key);
            values = normaliseAll(key, values);
        }
    }

    /** The comparison operators of {@link Compare}. */
    enum Op { GT, GTE, LT, LTE }

    /** The key compares to the value by {@code op}; numbers with numbers, strings with strings. */
    record Compare(String key, Op op, Object value) implements Filter {
        public Compare {
            key = requireKey(key);
            Objects.requireNonNull(op, "op");
            value = Metadata.normalise(key, value);
            if (value instanceof Boolean) {
                throw new InvalidInputException("filter " + op.name().toLowerCase() + " on '" + key
                        + "' was given a Boolean; only numbers and strings are ordered");
            }
        }
    }

    /** Every operand holds. */
    record And(List<Filter> operands) implements Filter {
        public And {
            operands = requireOperands("and", operands);
        }
    }

    /** At least one operand holds. */
    record Or(List<Filter> operands) implements Filter {
        public Or {
            operands = requireOperands("or", operands);
        }
    }

    /** The operand does not hold. */
    record Not(Filter operand) implements Filter {
        public Not {
            Objects.requireNonNull(operand, "not: operand");
        }
    }

    static Filter eq(String key, Object value) {
        return new Eq(key, value);
    }

    static Filter ne(String key, Object value) {
        return new Ne(key, value);
    }

    static Filter in(String key, List<?> values) {
        return new In(key, values == null ? null : new ArrayList<Object>(values));
    }

    static Filter notIn(String key, List<?> values) {
        return new NotIn(key, values == null ? null : new ArrayList<Object>(values));
    }

    static Filter gt(String key, Object value) {
        return new Compare(key, Op.GT, value);
    }

    static Filter gte(String key, Object value) {
        return new Compare(key, Op.GTE, value);
    }

    static Filter lt(String key, Object value) {
        return new Compare(key, Op.LT, value);
    }

    static Filter lte(String key, Object value) {
        return new Compare(key, Op.LTE, value);
    }

    static Filter and(Filter... operands) {
        return new And(List.of(operands));
    }

    static Filter or(Filter... operands) {
        return new Or(List.of(operands));
    }

    static Filter not(Filter operand) {
        return new Not(operand);
    }

    /** Whether a chunk with this document id and metadata satisfies this filter. */
    default boolean test(String documentId, Map<String, Object> metadata) {
        return FilterEvaluation.test(this, documentId, metadata);
    }

    /** Whether the chunk satisfies this filter. */
    default boolean test(Chunk chunk) {
        return test(chunk.documentId(), chunk.metadata());
    }

    private static String requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("filter key was '" + key + "' but it must be non-blank");
        }
        return key;
    }

    private static List<Object> normaliseAll(String key, List<?> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException("filter in/notIn on '" + key + "' needs at least one value");
        }
        return values.stream().map(v -> Metadata.normalise(key, v)).toList();
    }

    private static List<Filter> requireOperands(String op, List<Filter> operands) {
        if (operands == null || operands.isEmpty()) {
            throw new InvalidInputException("filter " + op + " needs at least one operand");
        }
        for (Filter f : operands) {
            Objects.requireNonNull(f, op + ": operand");
        }
        return List.copyOf(operands);
    }
}
