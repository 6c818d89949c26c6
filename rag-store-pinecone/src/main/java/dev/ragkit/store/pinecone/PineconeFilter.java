package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.FilterSupport.Connective;
import dev.ragkit.core.spi.FilterSupport.Operator;
import dev.ragkit.core.spi.FilterSupport.ValueType;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The portable {@link Filter} in Pinecone's metadata filter language, exactly, as documented at
 * docs.pinecone.io/guides/search/filter-by-metadata: {@code $eq}/{@code $ne} compare strings, numbers and
 * booleans; {@code $in}/{@code $nin} strings and numbers; {@code $gt}/{@code $gte}/{@code $lt}/{@code $lte}
 * numbers only; {@code $exists}; {@code $and}/{@code $or}.
 *
 * <p>How each part stays exact:
 * <ul>
 *   <li>{@code ne} and {@code notIn} are true where the key is absent. Pinecone's documentation does not
 *       say whether {@code $ne}/{@code $nin} match a record without the field, so they are sent as
 *       {@code {"$or": [{k: {"$ne": v}}, {k: {"$exists": false}}]}}, which is right either way.</li>
 *   <li>{@code not} is pushed down to the comparisons ({@code not(eq)} is {@code ne}, {@code not(and)} an
 *       {@code $or} of negations...), since Pinecone has no {@code $not} in that language.</li>
 *   <li>Booleans in {@code in}/{@code notIn} (which Pinecone's {@code $in} does not take) become
 *       {@code $eq}/{@code $ne} per value; strings and numbers go in separate {@code $in} lists.</li>
 *   <li>A key starting {@code ragkit_} names a field the store keeps for itself, which no chunk's metadata
 *       has: conditions on it are constants (absent key), folded away before sending.</li>
 * </ul>
 * Not supported, and refused: ranges on strings (Pinecone orders numbers only) and negated ranges
 * ({@code not(gt(k, 5))} is also true where {@code k} holds a string, which no Pinecone operator can
 * select). Whole numbers beyond 2^53 cannot be compared exactly as 64-bit floats and are refused as bad input.
 */
final class PineconeFilter {
    /** What {@link #translate} expresses exactly. */
    static final FilterSupport SUPPORT;

    static {
        Map<Operator, Set<ValueType>> operators = new EnumMap<>(Operator.class);
        for (Operator op : Operator.values()) {
            operators.put(op, op.isRange() ? EnumSet.of(ValueType.NUMBER) : EnumSet.allOf(ValueType.class));
        }
        SUPPORT = new FilterSupport(operators, EnumSet.allOf(Connective.class), Set.of(),
                "Pinecone's $gt/$gte/$lt/$lte compare numbers only, so strings cannot be ordered, and no Pinecone "
                        + "operator selects the records holding a non-number, which a negated range (not(gt(k, 5))) "
                        + "also matches");
    }

    private static final long MAX_EXACT_WHOLE = 1L << 53;
    /** Identity sentinels for the constants true and false, folded away before anything is sent. */
    private static final ObjectNode EVERYTHING = JsonNodeFactory.instance.objectNode();
    private static final ObjectNode NOTHING = JsonNodeFactory.instance.objectNode();

    private final ObjectMapper json;
    private final String store;

    private PineconeFilter(ObjectMapper json, String store) {
        this.json = json;
        this.store = store;
    }

    /** A translated filter: everything (send no filter), nothing (send no query), or a Pinecone expression. */
    record Translation(ObjectNode expression, boolean matchesNothing) {
        boolean matchesEverything() {
            return expression == null && !matchesNothing;
        }
    }

    /**
     * The Pinecone filter selecting exactly the records whose chunks satisfy {@code filter}.
     *
     * @throws UnsupportedCapabilityException for a part outside {@link #SUPPORT}
     * @throws InvalidInputException for a key starting {@code $} or a whole number beyond 2^53
     */
    static Translation translate(Filter filter, ObjectMapper json, String store) {
        SUPPORT.require(store, filter);
        ObjectNode expression = new PineconeFilter(json, store).translate(filter, false);
        if (expression == NOTHING) {
            return new Translation(null, true);
        }
        return new Translation(expression == EVERYTHING ? null : expression, false);
    }

    private ObjectNode translate(Filter filter, boolean negated) {
        if (filter instanceof Filter.Eq f) {
            return equality(negated, f.key(), List.of(f.value()));
        }
        if (filter instanceof Filter.Ne f) {
            return equality(!negated, f.key(), List.of(f.value()));
        }
        if (filter instanceof Filter.In f) {
            return equality(negated, f.key(), f.values());
        }
        if (filter instanceof Filter.NotIn f) {
            return equality(!negated, f.key(), f.values());
        }
        if (filter instanceof Filter.Compare f) {
            return range(f, negated);
        }
        if (filter instanceof Filter.And f) {
            List<ObjectNode> parts = f.operands().stream().map(o -> translate(o, negated)).toList();
            return negated ? or(parts) : and(parts);
        }
        if (filter instanceof Filter.Or f) {
            List<ObjectNode> parts = f.operands().stream().map(o -> translate(o, negated)).toList();
            return negated ? and(parts) : or(parts);
        }
        if (filter instanceof Filter.Not f) {
            return translate(f.operand(), !negated);
        }
        throw new IllegalStateException("unknown filter " + filter);
    }

    /** {@code in(key, values)}, or with {@code negated} {@code notIn(key, values)} (true where key is absent). */
    private ObjectNode equality(boolean negated, String key, List<Object> values) {
        if (isStoreField(key)) {
            return negated ? EVERYTHING : NOTHING;
        }
        List<Object> strings = new ArrayList<>();
        List<Object> numbers = new ArrayList<>();
        Set<Boolean> booleans = new LinkedHashSet<>();
        for (Object value : values) {
            if (value instanceof Boolean b) {
                booleans.add(b);
            } else if (value instanceof Number n) {
                numbers.add(exactNumber(key, n));
            } else {
                strings.add(value);
            }
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (List<Object> group : List.of(strings, numbers)) {
            if (group.size() == 1) {
                parts.add(condition(key, negated ? "$ne" : "$eq", group.get(0)));
            } else if (!group.isEmpty()) {
                ObjectNode part = json.createObjectNode();
                ArrayNode list = part.putObject(key).putArray(negated ? "$nin" : "$in");
                group.forEach(v -> list.add(json.valueToTree(v)));
                parts.add(part);
            }
        }
        for (Boolean b : booleans) {
            parts.add(condition(key, negated ? "$ne" : "$eq", b));
        }
        if (!negated) {
            return or(parts);
        }
        return or(List.of(and(parts), condition(key, "$exists", false)));
    }

    private ObjectNode range(Filter.Compare f, boolean negated) {
        if (negated || !(f.value() instanceof Number n)) {
            // SUPPORT.require refused these already; kept so that no path can send an approximation.
            throw new UnsupportedCapabilityException(store, StoreCapability.FILTER, "Pinecone cannot express "
                    + (negated ? "not(" + f.op().name().toLowerCase(Locale.ROOT) + ")"
                            : f.op().name().toLowerCase(Locale.ROOT) + " on a string")
                    + " on '" + f.key() + "' exactly");
        }
        if (isStoreField(f.key())) {
            return NOTHING;
        }
        String op = switch (f.op()) {
            case GT -> "$gt";
            case GTE -> "$gte";
            case LT -> "$lt";
            case LTE -> "$lte";
        };
        return condition(f.key(), op, exactNumber(f.key(), n));
    }

    private ObjectNode condition(String key, String op, Object value) {
        ObjectNode node = json.createObjectNode();
        node.putObject(key).set(op, json.valueToTree(value));
        return node;
    }

    private static ObjectNode and(List<ObjectNode> parts) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode part : parts) {
            if (part == NOTHING) {
                return NOTHING;
            }
            if (part != EVERYTHING) {
                kept.add(part);
            }
        }
        return combine("$and", kept, EVERYTHING);
    }

    private static ObjectNode or(List<ObjectNode> parts) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode part : parts) {
            if (part == EVERYTHING) {
                return EVERYTHING;
            }
            if (part != NOTHING) {
                kept.add(part);
            }
        }
        return combine("$or", kept, NOTHING);
    }

    private static ObjectNode combine(String op, List<ObjectNode> parts, ObjectNode whenEmpty) {
        if (parts.isEmpty()) {
            return whenEmpty;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode list = node.putArray(op);
        parts.forEach(list::add);
        return node;
    }

    /** Fields the store writes for itself: no chunk has them in its metadata, so a condition sees them absent. */
    private static boolean isStoreField(String key) {
        if (key.startsWith("$")) {
            throw new InvalidInputException("filter key '" + key + "' starts with '$', which Pinecone's filter language "
                    + "reads as an operator, and Pinecone keeps no metadata under such keys: rename the key");
        }
        return key.startsWith(RecordCodec.RESERVED_PREFIX);
    }

    private static Number exactNumber(String key, Number n) {
        if (n instanceof Long whole && (whole > MAX_EXACT_WHOLE || whole < -MAX_EXACT_WHOLE)) {
            throw new InvalidInputException("filter value " + whole + " on '" + key + "' cannot be compared exactly: "
                    + "Pinecone keeps numbers as 64-bit floats, exact for whole numbers only up to 2^53 in magnitude "
                    + "(the store refuses to write larger ones too)");
        }
        return n;
    }
}
