package dev.ragkit.core.spi;

import dev.ragkit.core.model.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which parts of the portable {@link Filter} a store's {@link VectorStore#search search} applies exactly;
 * the store refuses every other part with {@link UnsupportedCapabilityException}, never ignoring or
 * approximating it. A store that declares {@link StoreCapability#FILTER} supports a non-empty part; one
 * that does not supports nothing ({@link #none()}). Scans are not concerned: {@link VectorStore#scan}
 * applies every filter exactly under {@link StoreCapability#SCAN}.
 *
 * <p>A filter is judged on its negation normal form, which is how a store without a native {@code not}
 * expresses negation: {@code not(eq)} is {@code ne}, {@code not(in)} is {@code notIn} (and back),
 * {@code not(and)} is {@code or} of the negations, {@code not(or)} is {@code and} of them. What cannot be
 * pushed further is a negated range comparison, {@code not(gt(k, v))}: true also where {@code k} is
 * absent or holds another type, so a store needs its own support for it ({@link #negatedRanges()}).
 *
 * @param operators for each supported comparison, the value types it compares exactly (ranges never
 *     compare booleans); absent or empty: not supported
 * @param connectives the supported connectives; {@link Connective#NOT} means negation is pushed down as
 *     above, and any {@code not} is refused without it
 * @param negatedRanges the value types whose negated range comparisons are exact
 * @param limits why the rest is refused, for error messages; empty when nothing is
 */
public record FilterSupport(Map<Operator, Set<ValueType>> operators, Set<Connective> connectives,
                            Set<ValueType> negatedRanges, String limits) {

    /** A comparison of one key with one or more values. */
    public enum Operator {
        EQ, NE, IN, NOT_IN, GT, GTE, LT, LTE;

        /** Whether this operator orders values (only numbers and strings are ordered). */
        public boolean isRange() {
            return this == GT || this == GTE || this == LT || this == LTE;
        }

        /** The operator's name as in {@link Filter}'s factory methods, e.g. {@code notIn}. */
        public String filterName() {
            return this == NOT_IN ? "notIn" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** A boolean connective between filters. */
    public enum Connective { AND, OR, NOT }

    /** The type of a filter value, after {@link dev.ragkit.core.model.Metadata#normalise}. */
    public enum ValueType {
        STRING, NUMBER, BOOLEAN;

        /** The type of a normalised filter value. */
        public static ValueType of(Object value) {
            if (value instanceof String) {
                return STRING;
            }
            if (value instanceof Number) {
                return NUMBER;
            }
            if (value instanceof Boolean) {
                return BOOLEAN;
            }
            throw new IllegalArgumentException("not a filter value: " + value);
        }
    }

    private static final FilterSupport ALL;
    private static final FilterSupport NONE = new FilterSupport(Map.of(), Set.of(), Set.of(), "");

    static {
        Map<Operator, Set<ValueType>> every = new EnumMap<>(Operator.class);
        for (Operator op : Operator.values()) {
            every.put(op, op.isRange() ? EnumSet.of(ValueType.STRING, ValueType.NUMBER) : EnumSet.allOf(ValueType.class));
        }
        ALL = new FilterSupport(every, EnumSet.allOf(Connective.class), EnumSet.of(ValueType.STRING, ValueType.NUMBER), "");
    }

    public FilterSupport {
        Objects.requireNonNull(operators, "operators");
        Objects.requireNonNull(connectives, "connectives");
        Objects.requireNonNull(negatedRanges, "negatedRanges");
        Objects.requireNonNull(limits, "limits");
        Map<Operator, Set<ValueType>> copy = new EnumMap<>(Operator.class);
        operators.forEach((op, types) -> {
            Objects.requireNonNull(op, "operator");
            if (types != null && !types.isEmpty()) {
                if (op.isRange() && types.contains(ValueType.BOOLEAN)) {
                    throw new IllegalArgumentException(op.filterName() + " cannot support BOOLEAN: booleans are not ordered");
                }
                copy.put(op, Collections.unmodifiableSet(EnumSet.copyOf(types)));
            }
        });
        operators = Collections.unmodifiableMap(copy);
        connectives = Collections.unmodifiableSet(connectives.isEmpty() ? EnumSet.noneOf(Connective.class)
                : EnumSet.copyOf(connectives));
        negatedRanges = Collections.unmodifiableSet(negatedRanges.isEmpty() ? EnumSet.noneOf(ValueType.class)
                : EnumSet.copyOf(negatedRanges));
        if (negatedRanges.contains(ValueType.BOOLEAN)) {
            throw new IllegalArgumentException("negated ranges cannot support BOOLEAN: booleans are not ordered");
        }
        if (operators.isEmpty() && !(connectives.isEmpty() && negatedRanges.isEmpty())) {
            throw new IllegalArgumentException("connectives or negated ranges without any operator: use FilterSupport.none()");
        }
    }

    /** Every filter, exactly: what a store declaring FILTER supports unless it says otherwise. */
    public static FilterSupport all() {
        return ALL;
    }

    /** No filter at all: a store that does not declare FILTER. */
    public static FilterSupport none() {
        return NONE;
    }

    /** Whether no filter is supported. */
    public boolean isEmpty() {
        return operators.isEmpty();
    }

    /** Whether {@code operator} with a value of {@code type} is applied exactly. */
    public boolean supports(Operator operator, ValueType type) {
        return operators.getOrDefault(operator, Set.of()).contains(type);
    }

    /** Whether {@code connective} is supported. */
    public boolean supports(Connective connective) {
        return connectives.contains(connective);
    }

    /** What both supports apply exactly, e.g. for a store that writes to two stores and reads from either. */
    public FilterSupport intersection(FilterSupport other) {
        Map<Operator, Set<ValueType>> both = new EnumMap<>(Operator.class);
        operators.forEach((op, types) -> {
            Set<ValueType> common = EnumSet.copyOf(types);
            common.retainAll(other.operators.getOrDefault(op, Set.of()));
            both.put(op, common);
        });
        Set<Connective> conn = EnumSet.noneOf(Connective.class);
        conn.addAll(connectives);
        conn.retainAll(other.connectives);
        Set<ValueType> negated = EnumSet.noneOf(ValueType.class);
        negated.addAll(negatedRanges);
        negated.retainAll(other.negatedRanges);
        if (both.values().stream().allMatch(Set::isEmpty)) {
            return NONE;
        }
        String why = limits.equals(other.limits) || other.limits.isEmpty() ? limits
                : limits.isEmpty() ? other.limits : limits + "; " + other.limits;
        return new FilterSupport(both, conn, negated, why);
    }

    /**
     * The verdict on {@code filter}: empty when every part of it is applied exactly, otherwise the first
     * part that is not, naming the operator, the key and the value type, e.g.
     * {@code gt on 'title' with a STRING value}.
     */
    public Optional<String> refusal(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        return refusal(filter, false);
    }

    /**
     * Throws unless {@code filter} is applied exactly; stores call it before sending anything, and the core
     * before a search.
     *
     * @throws UnsupportedCapabilityException naming the refused part, what is supported and why not the rest
     */
    public void require(String store, Filter filter) {
        if (isEmpty()) {
            throw new UnsupportedCapabilityException(store, StoreCapability.FILTER);
        }
        Optional<String> refused = refusal(filter);
        if (refused.isPresent()) {
            throw new UnsupportedCapabilityException(store, StoreCapability.FILTER, "it cannot apply the filter part "
                    + refused.get() + " exactly, so the filter " + filter
                    + " was refused (never dropped or approximated). The store's FILTER support is: " + describe()
                    + (limits.isEmpty() ? "" : ". Why: " + limits)
                    + ". Rewrite the filter with supported parts, or check VectorStore.filterSupport() first");
        }
    }

    /** The support in words, e.g. {@code eq, ne on STRING, NUMBER, BOOLEAN; gt on NUMBER; and, or, not}. */
    public String describe() {
        if (isEmpty()) {
            return "none";
        }
        Map<Set<ValueType>, List<String>> byTypes = new LinkedHashMap<>();
        operators.forEach((op, types) -> byTypes.computeIfAbsent(types, t -> new ArrayList<>()).add(op.filterName()));
        List<String> parts = new ArrayList<>();
        byTypes.forEach((types, ops) -> parts.add(String.join(", ", ops) + " on " + joinTypes(types)));
        if (!connectives.isEmpty()) {
            parts.add(String.join(", ", connectives.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
        }
        if (connectives.contains(Connective.NOT)) {
            parts.add(negatedRanges.isEmpty() ? "no negated range (not(gt) ...)" : "negated ranges on "
                    + joinTypes(negatedRanges));
        }
        return String.join("; ", parts);
    }

    private static String joinTypes(Set<ValueType> types) {
        return String.join(", ", types.stream().map(ValueType::name).toList());
    }

    private Optional<String> refusal(Filter filter, boolean negated) {
        if (filter instanceof Filter.Eq f) {
            return leaf(negated ? Operator.NE : Operator.EQ, f.key(), List.of(f.value()));
        }
        if (filter instanceof Filter.Ne f) {
            return leaf(negated ? Operator.EQ : Operator.NE, f.key(), List.of(f.value()));
        }
        if (filter instanceof Filter.In f) {
            return leaf(negated ? Operator.NOT_IN : Operator.IN, f.key(), f.values());
        }
        if (filter instanceof Filter.NotIn f) {
            return leaf(negated ? Operator.IN : Operator.NOT_IN, f.key(), f.values());
        }
        if (filter instanceof Filter.Compare f) {
            Operator op = Operator.valueOf(f.op().name());
            ValueType type = ValueType.of(f.value());
            if (negated) {
                return negatedRanges.contains(type) ? Optional.empty()
                        : Optional.of("not(" + op.filterName() + ") on '" + f.key() + "' with a " + type + " value");
            }
            return supports(op, type) ? Optional.empty()
                    : Optional.of(op.filterName() + " on '" + f.key() + "' with a " + type + " value");
        }
        if (filter instanceof Filter.And f) {
            return connective(negated ? Connective.OR : Connective.AND, f.operands(), negated);
        }
        if (filter instanceof Filter.Or f) {
            return connective(negated ? Connective.AND : Connective.OR, f.operands(), negated);
        }
        if (filter instanceof Filter.Not f) {
            if (!connectives.contains(Connective.NOT)) {
                return Optional.of("not");
            }
            return refusal(f.operand(), !negated);
        }
        throw new IllegalStateException("unknown filter " + filter);
    }

    private Optional<String> leaf(Operator op, String key, List<Object> values) {
        for (Object value : values) {
            ValueType type = ValueType.of(value);
            if (!supports(op, type)) {
                return Optional.of(op.filterName() + " on '" + key + "' with a " + type + " value");
            }
        }
        return Optional.empty();
    }

    private Optional<String> connective(Connective connective, List<Filter> operands, boolean negated) {
        // A one-operand and/or is its operand: no connective is needed to express it.
        if (operands.size() > 1 && !connectives.contains(connective)) {
            return Optional.of(connective.name().toLowerCase(Locale.ROOT) + (negated ? " (from a negation)" : ""));
        }
        for (Filter operand : operands) {
            Optional<String> refused = refusal(operand, negated);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }
}
