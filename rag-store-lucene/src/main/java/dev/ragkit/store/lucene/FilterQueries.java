package dev.ragkit.store.lucene;

import dev.ragkit.core.model.Filter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Indexes metadata as typed Lucene fields and translates a portable {@link Filter} into a query over
 * them with exactly {@link Filter#test}'s meaning.
 *
 * <p>Each value type has a field family of its own, so a condition never matches a value of another
 * type: strings in {@code s:<key>} as UTF-16 code units (two big-endian bytes each, so that Lucene's
 * byte order is {@link String#compareTo}'s order, which UTF-8 bytes are not beyond the BMP), whole
 * numbers in {@code l:<key>} ({@link LongPoint}), decimals in {@code d:<key>} ({@link DoublePoint}),
 * booleans in {@code b:<key>}. A numeric condition reads both number families, converting its bound
 * exactly (a long beyond 2^53 is not rounded to the nearest double), which is how the reference compares
 * whole and decimal numbers. {@code ne} and {@code notIn} are "everything but", so chunks without the
 * key match them, as specified.
 */
final class FilterQueries {
    static final String STRING_PREFIX = "s:";
    static final String LONG_PREFIX = "l:";
    static final String DOUBLE_PREFIX = "d:";
    static final String BOOLEAN_PREFIX = "b:";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private FilterQueries() {
    }

    /** The indexed (not stored) fields of one metadata entry, added to {@code fields}. */
    static void addFields(List<Field> fields, String key, Object value) {
        if (value instanceof String s) {
            fields.add(new StringField(STRING_PREFIX + key, utf16(s), Field.Store.NO));
        } else if (value instanceof Long l) {
            fields.add(new LongPoint(LONG_PREFIX + key, l));
        } else if (value instanceof Double d) {
            fields.add(new DoublePoint(DOUBLE_PREFIX + key, d));
        } else if (value instanceof Boolean b) {
            fields.add(new StringField(BOOLEAN_PREFIX + key, b.toString(), Field.Store.NO));
        } else {
            throw new IllegalArgumentException("metadata '" + key + "' has unsupported type " + value.getClass());
        }
    }

    /** The query matching exactly the documents whose chunk satisfies {@code filter}. */
    static Query toQuery(Filter filter) {
        if (filter instanceof Filter.Eq f) {
            return equalTo(f.key(), List.of(f.value()));
        }
        if (filter instanceof Filter.Ne f) {
            return not(equalTo(f.key(), List.of(f.value())));
        }
        if (filter instanceof Filter.In f) {
            return equalTo(f.key(), f.values());
        }
        if (filter instanceof Filter.NotIn f) {
            return not(equalTo(f.key(), f.values()));
        }
        if (filter instanceof Filter.Compare f) {
            return compare(f.key(), f.op(), f.value());
        }
        if (filter instanceof Filter.And f) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            f.operands().forEach(o -> b.add(toQuery(o), Occur.FILTER));
            return b.build();
        }
        if (filter instanceof Filter.Or f) {
            BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
            f.operands().forEach(o -> b.add(toQuery(o), Occur.SHOULD));
            return b.build();
        }
        if (filter instanceof Filter.Not f) {
            return not(toQuery(f.operand()));
        }
        throw new IllegalStateException("unknown filter " + filter);
    }

    private static Query not(Query query) {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER).add(query, Occur.MUST_NOT).build();
    }

    /** Documents whose value for {@code key} equals one of {@code values}, numbers compared exactly across types. */
    private static Query equalTo(String key, List<Object> values) {
        List<BytesRef> strings = new ArrayList<>();
        List<BytesRef> booleans = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof String s) {
                strings.add(utf16(s));
            } else if (v instanceof Boolean b) {
                booleans.add(new BytesRef(b.toString()));
            } else if (v instanceof Long l) {
                longs.add(l);
                double d = (double) l;
                if (new BigDecimal(d).compareTo(BigDecimal.valueOf(l)) == 0) {
                    doubles.add(d);
                }
            } else if (v instanceof Double d) {
                doubles.add(d);
                BigDecimal exact = new BigDecimal(d);
                if (exact.stripTrailingZeros().scale() <= 0 && exact.compareTo(LONG_MIN) >= 0
                        && exact.compareTo(LONG_MAX) <= 0) {
                    longs.add(exact.longValueExact());
                }
            }
        }
        List<Query> parts = new ArrayList<>();
        if (!strings.isEmpty()) {
            parts.add(strings.size() == 1 ? new TermQuery(new Term(STRING_PREFIX + key, strings.get(0)))
                    : new TermInSetQuery(STRING_PREFIX + key, strings));
        }
        if (!booleans.isEmpty()) {
            parts.add(new TermInSetQuery(BOOLEAN_PREFIX + key, booleans));
        }
        if (!longs.isEmpty()) {
            parts.add(LongPoint.newSetQuery(LONG_PREFIX + key, longs));
        }
        if (!doubles.isEmpty()) {
            parts.add(DoublePoint.newSetQuery(DOUBLE_PREFIX + key, doubles));
        }
        return any(parts);
    }

    private static Query compare(String key, Filter.Op op, Object bound) {
        if (bound instanceof String s) {
            BytesRef b = utf16(s);
            return switch (op) {
                case GT -> new TermRangeQuery(STRING_PREFIX + key, b, null, false, false);
                case GTE -> new TermRangeQuery(STRING_PREFIX + key, b, null, true, false);
                case LT -> new TermRangeQuery(STRING_PREFIX + key, null, b, false, false);
                case LTE -> new TermRangeQuery(STRING_PREFIX + key, null, b, false, true);
            };
        }
        BigDecimal exact = bound instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) bound);
        List<Query> parts = new ArrayList<>();
        long[] longs = longRange(op, exact);
        if (longs != null) {
            parts.add(LongPoint.newRangeQuery(LONG_PREFIX + key, longs[0], longs[1]));
        }
        double[] doubles = doubleRange(op, bound, exact);
        parts.add(DoublePoint.newRangeQuery(DOUBLE_PREFIX + key, doubles[0], doubles[1]));
        return any(parts);
    }

    /** The inclusive range of longs {@code l} with {@code l op bound}, or null when there is none. */
    static long[] longRange(Filter.Op op, BigDecimal bound) {
        BigDecimal lo;
        BigDecimal hi;
        switch (op) {
            case GT -> { lo = bound.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE); hi = LONG_MAX; }
            case GTE -> { lo = bound.setScale(0, RoundingMode.CEILING); hi = LONG_MAX; }
            case LT -> { lo = LONG_MIN; hi = bound.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE); }
            case LTE -> { lo = LONG_MIN; hi = bound.setScale(0, RoundingMode.FLOOR); }
            default -> throw new IllegalStateException(op.toString());
        }
        lo = lo.max(LONG_MIN);
        hi = hi.min(LONG_MAX);
        if (lo.compareTo(hi) > 0) {
            return null;
        }
        return new long[] {lo.longValueExact(), hi.longValueExact()};
    }

    /** The inclusive range of doubles {@code d} with {@code d op bound}, compared exactly. */
    static double[] doubleRange(Filter.Op op, Object bound, BigDecimal exact) {
        double nearest = bound instanceof Double d ? d : (double) (Long) bound;
        int cmp = new BigDecimal(nearest).compareTo(exact); // > 0: the double is above the exact bound
        return switch (op) {
            case GT -> new double[] {cmp > 0 ? nearest : Math.nextUp(nearest), Double.POSITIVE_INFINITY};
            case GTE -> new double[] {cmp >= 0 ? nearest : Math.nextUp(nearest), Double.POSITIVE_INFINITY};
            case LT -> new double[] {Double.NEGATIVE_INFINITY, cmp < 0 ? nearest : Math.nextDown(nearest)};
            case LTE -> new double[] {Double.NEGATIVE_INFINITY, cmp <= 0 ? nearest : Math.nextDown(nearest)};
        };
    }

    private static Query any(List<Query> parts) {
        if (parts.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        parts.forEach(p -> b.add(p, Occur.SHOULD));
        return b.build();
    }

    /** A string as its UTF-16 code units, two big-endian bytes each: byte order is code-unit order. */
    static BytesRef utf16(String s) {
        byte[] bytes = new byte[s.length() * 2];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes[2 * i] = (byte) (c >>> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return new BytesRef(bytes);
    }

    /** Every metadata entry's fields plus the document id's, which filters reach by the key {@code doc_id}. */
    static List<Field> fieldsOf(String documentId, Map<String, Object> metadata, String documentIdKey) {
        List<Field> fields = new ArrayList<>();
        addFields(fields, documentIdKey, documentId);
        metadata.forEach((k, v) -> addFields(fields, k, v));
        return fields;
    }
}
