package dev.ragkit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Filter;
import dev.ragkit.core.spi.FilterSupport.Connective;
import dev.ragkit.core.spi.FilterSupport.Operator;
import dev.ragkit.core.spi.FilterSupport.ValueType;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterSupportTest {
    /** Ranges on numbers only, no negated ranges: what a store like Pinecone can do. */
    private static final FilterSupport NUMERIC_RANGES = support(EnumSet.allOf(Connective.class), "strings are not ordered");

    private static FilterSupport support(Set<Connective> connectives, String limits) {
        Map<Operator, Set<ValueType>> ops = new EnumMap<>(Operator.class);
        for (Operator op : Operator.values()) {
            ops.put(op, op.isRange() ? EnumSet.of(ValueType.NUMBER) : EnumSet.allOf(ValueType.class));
        }
        return new FilterSupport(ops, connectives, Set.of(), limits);
    }

    @Test
    void allAndNoneAreWhatTheFilterCapabilityAlwaysMeant() {
        Filter every = Filter.and(Filter.lte("title", "M"), Filter.not(Filter.gt("year", 3)),
                Filter.or(Filter.in("a", List.of(true, "x", 1)), Filter.notIn("b", List.of(2.5))));
        assertThat(FilterSupport.all().refusal(every)).isEmpty();
        assertThat(FilterSupport.all().isEmpty()).isFalse();
        assertThat(FilterSupport.none().isEmpty()).isTrue();
        assertThatThrownBy(() -> FilterSupport.none().require("s", Filter.eq("a", 1)))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("does not declare FILTER");
    }

    @Test
    void theRefusalNamesOperatorKeyAndValueType() {
        assertThat(NUMERIC_RANGES.refusal(Filter.gt("year", 2020))).isEmpty();
        assertThat(NUMERIC_RANGES.refusal(Filter.gt("title", "M"))).contains("gt on 'title' with a STRING value");
        assertThat(NUMERIC_RANGES.refusal(Filter.and(Filter.eq("a", true), Filter.lte("doc_id", "d"))))
                .contains("lte on 'doc_id' with a STRING value");
        assertThatThrownBy(() -> NUMERIC_RANGES.require("pinecone", Filter.or(Filter.eq("a", 1), Filter.lt("t", "x"))))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("store 'pinecone' declares FILTER only in part")
                .hasMessageContaining("lt on 't' with a STRING value")
                .hasMessageContaining("never dropped or approximated")
                .hasMessageContaining("strings are not ordered");
    }

    @Test
    void negationIsJudgedAfterPushingItDownToTheComparisons() {
        assertThat(NUMERIC_RANGES.refusal(Filter.not(Filter.and(Filter.eq("a", "x"), Filter.in("b", List.of(1))))))
                .isEmpty();
        assertThat(NUMERIC_RANGES.refusal(Filter.not(Filter.gt("year", 3)))).contains("not(gt) on 'year' with a NUMBER value");
        // Two negations cancel: the range is positive again.
        assertThat(NUMERIC_RANGES.refusal(Filter.not(Filter.not(Filter.gt("year", 3))))).isEmpty();
        assertThat(NUMERIC_RANGES.refusal(Filter.not(Filter.or(Filter.eq("a", 1), Filter.lt("n", 2)))))
                .contains("not(lt) on 'n' with a NUMBER value");
    }

    @Test
    void connectivesAreChecked() {
        FilterSupport andOnly = support(EnumSet.of(Connective.AND), "");
        assertThat(andOnly.refusal(Filter.and(Filter.eq("a", 1), Filter.eq("b", 2)))).isEmpty();
        assertThat(andOnly.refusal(Filter.or(Filter.eq("a", 1)))).isEmpty();
        assertThat(andOnly.refusal(Filter.or(Filter.eq("a", 1), Filter.eq("b", 2)))).contains("or");
        assertThat(andOnly.refusal(Filter.not(Filter.eq("a", 1)))).contains("not");
        // not(and) needs an or once the negation is pushed down.
        FilterSupport andNot = support(EnumSet.of(Connective.AND, Connective.NOT), "");
        assertThat(andNot.refusal(Filter.not(Filter.and(Filter.eq("a", 1), Filter.eq("b", 2)))))
                .contains("or (from a negation)");
    }

    @Test
    void valueTypesAreCheckedForEveryValueOfInAndNotIn() {
        Map<Operator, Set<ValueType>> ops = new EnumMap<>(Operator.class);
        ops.put(Operator.IN, EnumSet.of(ValueType.STRING, ValueType.NUMBER));
        FilterSupport noBooleans = new FilterSupport(ops, Set.of(), Set.of(), "");
        assertThat(noBooleans.refusal(Filter.in("k", List.of("a", 1)))).isEmpty();
        assertThat(noBooleans.refusal(Filter.in("k", List.of("a", true)))).contains("in on 'k' with a BOOLEAN value");
        assertThat(noBooleans.refusal(Filter.notIn("k", List.of("a")))).contains("notIn on 'k' with a STRING value");
    }

    @Test
    void impossibleSupportsAreRejected() {
        assertThatThrownBy(() -> new FilterSupport(Map.of(Operator.GT, Set.of(ValueType.BOOLEAN)), Set.of(), Set.of(), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("booleans are not ordered");
        assertThatThrownBy(() -> new FilterSupport(Map.of(), Set.of(Connective.AND), Set.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new FilterSupport(Map.of(Operator.EQ, Set.of()), Set.of(), Set.of(), "").isEmpty()).isTrue();
    }

    @Test
    void theIntersectionSupportsWhatBothDo() {
        FilterSupport both = FilterSupport.all().intersection(NUMERIC_RANGES);
        assertThat(both.supports(Operator.GT, ValueType.NUMBER)).isTrue();
        assertThat(both.supports(Operator.GT, ValueType.STRING)).isFalse();
        assertThat(both.refusal(Filter.not(Filter.gt("n", 1)))).isPresent();
        assertThat(both.limits()).isEqualTo("strings are not ordered");
        assertThat(FilterSupport.all().intersection(FilterSupport.none())).isEqualTo(FilterSupport.none());
        assertThat(FilterSupport.all().intersection(FilterSupport.all())).isEqualTo(FilterSupport.all());
    }

    @Test
    void storesDeriveTheirSupportFromFilterUnlessTheyNarrowIt() {
        VectorStore memory = MemoryVectorStore.builder().dimension(2).build();
        assertThat(memory.filterSupport()).isEqualTo(FilterSupport.all());
        VectorStore withoutFilter = new ForwardingVectorStore(memory) {
            @Override
            public Set<StoreCapability> capabilities() {
                return EnumSet.of(StoreCapability.DELETE);
            }
        };
        assertThat(withoutFilter.filterSupport().isEmpty()).isTrue();
        VectorStore narrowed = new ForwardingVectorStore(memory) {
            @Override
            public FilterSupport filterSupport() {
                return NUMERIC_RANGES;
            }
        };
        // A wrapper of a narrowed store passes the narrowing on.
        assertThat(new ForwardingVectorStore(narrowed).filterSupport()).isEqualTo(NUMERIC_RANGES);
        assertThat(NUMERIC_RANGES.describe()).contains("gt, gte, lt, lte on NUMBER").contains("no negated range");
    }
}
