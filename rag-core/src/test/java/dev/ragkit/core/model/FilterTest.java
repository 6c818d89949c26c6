package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Filter semantics exactly as {@link Filter}'s Javadoc states them, checked through {@link Filter#test}. */
class FilterTest {

    /** lang=fr, year=2021 (given as Integer), score=0.5 (given as Float), draft=false, title=Guide. */
    private static final Chunk CHUNK = Chunk.of("guide", 0, "Le guide de Ragkit.",
            Map.of("lang", "fr", "year", 2021, "score", 0.5f, "draft", false, "title", "Guide"));

    private static boolean matches(Filter filter) {
        return filter.test(CHUNK);
    }

    @Nested
    class Equality {
        @Test
        void eqMatchesStringsExactly() {
            assertThat(matches(Filter.eq("lang", "fr"))).isTrue();
            assertThat(matches(Filter.eq("lang", "FR"))).isFalse();
            assertThat(matches(Filter.eq("lang", "en"))).isFalse();
        }

        @Test
        void eqComparesWholeAndDecimalNumbersNumerically() {
            assertThat(matches(Filter.eq("year", 2021))).isTrue();
            assertThat(matches(Filter.eq("year", 2021L))).isTrue();
            assertThat(matches(Filter.eq("year", (short) 2021))).isTrue();
            assertThat(matches(Filter.eq("year", 2021.0))).isTrue();
            assertThat(matches(Filter.eq("year", 2021.0f))).isTrue();
            assertThat(matches(Filter.eq("year", 2021.5))).isFalse();
            assertThat(matches(Filter.eq("score", 0.5))).isTrue();
            assertThat(matches(Filter.eq("score", 0.5f))).isTrue();
            assertThat(matches(Filter.eq("score", 0))).isFalse();
        }

        @Test
        void eqComparesLargeLongsExactly() {
            long big = (1L << 53) + 1;   // not representable as a double
            Chunk c = Chunk.of("d", 0, "t", Map.of("n", big));
            assertThat(Filter.eq("n", big).test(c)).isTrue();
            assertThat(Filter.eq("n", big - 1).test(c)).isFalse();
            assertThat(Filter.gt("n", big - 1).test(c)).isTrue();
        }

        @Test
        void negativeZeroIsNumericallyZero() {
            Chunk c = Chunk.of("d", 0, "t", Map.of("x", -0.0));
            assertThat(Filter.eq("x", 0).test(c)).isTrue();
            assertThat(Filter.eq("x", 0.0).test(c)).isTrue();
            assertThat(Filter.lt("x", 0).test(c)).isFalse();
            assertThat(Filter.gte("x", 0.0).test(c)).isTrue();
        }

        @Test
        void wholeAndDecimalNumbersCompareExactlyBeyondDoublePrecision() {
            long big = (1L << 53) + 1;   // 9007199254740993; the nearest double is 9007199254740992.0
            Chunk c = Chunk.of("d", 0, "t", Map.of("n", big));
            assertThat(Filter.eq("n", 9007199254740992.0).test(c)).isFalse();
            assertThat(Filter.gt("n", 9007199254740992.0).test(c)).isTrue();
        }

        @Test
        void valuesOfAnotherTypeNeverMatch() {
            assertThat(matches(Filter.eq("year", "2021"))).isFalse();
            assertThat(matches(Filter.eq("lang", 1))).isFalse();
            assertThat(matches(Filter.eq("draft", "false"))).isFalse();
            assertThat(matches(Filter.eq("draft", 0))).isFalse();
            assertThat(matches(Filter.in("year", List.of("2021", true)))).isFalse();
        }

        @Test
        void booleansMatchByEquality() {
            assertThat(matches(Filter.eq("draft", false))).isTrue();
            assertThat(matches(Filter.eq("draft", true))).isFalse();
            assertThat(matches(Filter.ne("draft", true))).isTrue();
            assertThat(matches(Filter.in("draft", List.of(true, false)))).isTrue();
        }

        @Test
        void neIsNotEq() {
            assertThat(matches(Filter.ne("lang", "fr"))).isFalse();
            assertThat(matches(Filter.ne("lang", "en"))).isTrue();
            assertThat(matches(Filter.ne("year", 2021.0))).isFalse();
            assertThat(matches(Filter.ne("year", "2021"))).isTrue();
        }

        @Test
        void inAndNotIn() {
            assertThat(matches(Filter.in("lang", List.of("en", "fr")))).isTrue();
            assertThat(matches(Filter.in("lang", List.of("en", "de")))).isFalse();
            assertThat(matches(Filter.in("year", List.of(1999, 2021.0)))).isTrue();
            assertThat(matches(Filter.notIn("lang", List.of("en", "fr")))).isFalse();
            assertThat(matches(Filter.notIn("lang", List.of("en", "de")))).isTrue();
            assertThat(matches(Filter.notIn("year", List.of(2021L)))).isFalse();
        }
    }

    @Nested
    class Ordering {
        @Test
        void numbersCompareAcrossIntLongAndDouble() {
            assertThat(matches(Filter.gt("year", 2020))).isTrue();
            assertThat(matches(Filter.gt("year", 2020.9))).isTrue();
            assertThat(matches(Filter.gt("year", 2021L))).isFalse();
            assertThat(matches(Filter.gte("year", 2021))).isTrue();
            assertThat(matches(Filter.gte("year", 2021.01))).isFalse();
            assertThat(matches(Filter.lt("year", 2022L))).isTrue();
            assertThat(matches(Filter.lt("year", 2021))).isFalse();
            assertThat(matches(Filter.lte("year", 2021.0))).isTrue();
            assertThat(matches(Filter.lte("year", 2020.99))).isFalse();
            assertThat(matches(Filter.gt("score", 0))).isTrue();
            assertThat(matches(Filter.lt("score", 1))).isTrue();
            assertThat(matches(Filter.lte("score", 0.5f))).isTrue();
            assertThat(matches(Filter.lt("score", 0.5))).isFalse();
        }

        @Test
        void stringsCompareLexicographicallyByUtf16CodeUnit() {
            assertThat(matches(Filter.gt("lang", "en"))).isTrue();
            assertThat(matches(Filter.gte("lang", "fr"))).isTrue();
            assertThat(matches(Filter.lt("lang", "fr"))).isFalse();
            assertThat(matches(Filter.lte("lang", "fr"))).isTrue();
            assertThat(matches(Filter.lt("lang", "fra"))).isTrue();
            // 'G' (0x47) sorts before 'g' (0x67) and 'é' (0xE9) after 'z': no locale collation.
            assertThat(matches(Filter.lt("title", "guide"))).isTrue();
            assertThat(matches(Filter.gt("title", "Zebra"))).isFalse();
            Chunk accented = Chunk.of("d", 0, "t", Map.of("w", "école"));
            assertThat(Filter.gt("w", "zoo").test(accented)).isTrue();
        }

        @Test
        void mixedTypesHaveNoOrder() {
            assertThat(matches(Filter.gt("lang", 1))).isFalse();
            assertThat(matches(Filter.lt("lang", 1))).isFalse();
            assertThat(matches(Filter.gt("year", "1"))).isFalse();
            assertThat(matches(Filter.lte("year", "9999"))).isFalse();
            assertThat(matches(Filter.gte("draft", 0))).isFalse();
            assertThat(matches(Filter.lte("draft", "z"))).isFalse();
        }

        @Test
        void orderingOnABooleanIsRejected() {
            assertThatThrownBy(() -> Filter.gt("draft", true)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'draft'").hasMessageContaining("gt");
            assertThatThrownBy(() -> Filter.gte("draft", true)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'draft'").hasMessageContaining("gte");
            assertThatThrownBy(() -> Filter.lt("draft", false)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'draft'").hasMessageContaining("lt");
            assertThatThrownBy(() -> Filter.lte("draft", false)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'draft'").hasMessageContaining("lte");
        }
    }

    @Nested
    class MissingKeys {
        @Test
        void everyPositiveConditionOnAMissingKeyIsFalse() {
            assertThat(matches(Filter.eq("missing", "x"))).isFalse();
            assertThat(matches(Filter.in("missing", List.of("x", 1)))).isFalse();
            assertThat(matches(Filter.gt("missing", 0))).isFalse();
            assertThat(matches(Filter.gte("missing", "a"))).isFalse();
            assertThat(matches(Filter.lt("missing", 0))).isFalse();
            assertThat(matches(Filter.lte("missing", "a"))).isFalse();
        }

        @Test
        void neAndNotInOnAMissingKeyAreTrue() {
            assertThat(matches(Filter.ne("missing", "x"))).isTrue();
            assertThat(matches(Filter.notIn("missing", List.of("x", 1)))).isTrue();
            assertThat(matches(Filter.not(Filter.eq("missing", "x")))).isTrue();
            assertThat(matches(Filter.not(Filter.gt("missing", 0)))).isTrue();
        }

        @Test
        void emptyMetadata() {
            Chunk bare = Chunk.of("bare", 0, "text", Map.of());
            assertThat(Filter.eq("lang", "fr").test(bare)).isFalse();
            assertThat(Filter.ne("lang", "fr").test(bare)).isTrue();
            assertThat(Filter.notIn("lang", List.of("fr")).test(bare)).isTrue();
        }
    }

    @Nested
    class Connectives {
        @Test
        void andOrNot() {
            Filter fr = Filter.eq("lang", "fr");
            Filter en = Filter.eq("lang", "en");
            Filter recent = Filter.gte("year", 2020);
            assertThat(matches(Filter.and(fr, recent))).isTrue();
            assertThat(matches(Filter.and(fr, Filter.not(recent)))).isFalse();
            assertThat(matches(Filter.or(en, recent))).isTrue();
            assertThat(matches(Filter.or(en, Filter.not(recent)))).isFalse();
            assertThat(matches(Filter.not(Filter.not(fr)))).isTrue();
            assertThat(matches(Filter.and(fr))).isTrue();
            assertThat(matches(Filter.or(en))).isFalse();
        }

        @Test
        void deepNesting() {
            Filter f = Filter.and(
                    Filter.or(Filter.eq("lang", "en"), Filter.and(Filter.eq("lang", "fr"), Filter.eq("draft", false))),
                    Filter.not(Filter.or(Filter.lt("year", 2000), Filter.eq("missing", 1))),
                    Filter.notIn("doc_id", List.of("other")));
            assertThat(matches(f)).isTrue();
            assertThat(matches(Filter.not(f))).isFalse();
        }

        @Test
        void booleanLawsHoldOnRandomMetadata() {
            long seed = 20261123L;
            Random random = new Random(seed);
            List<Filter> atoms = List.of(Filter.eq("a", 1), Filter.eq("a", "x"), Filter.gt("a", 0.5), Filter.lte("b", "m"),
                    Filter.in("b", List.of("a", "z", 3)), Filter.eq("c", true), Filter.gte("c", 2), Filter.eq("doc_id", "d1"));
            for (int round = 0; round < 300; round++) {
                Map<String, Object> meta = new HashMap<>();
                Object[] pool = {1, 2L, 0.25, "x", "a", "q", "z", true, false, 3};
                for (String key : List.of("a", "b", "c")) {
                    if (random.nextInt(3) > 0) {
                        meta.put(key, pool[random.nextInt(pool.length)]);
                    }
                }
                Chunk c = Chunk.of(random.nextBoolean() ? "d1" : "d2", 0, "t", meta);
                Filter p = atoms.get(random.nextInt(atoms.size()));
                Filter q = atoms.get(random.nextInt(atoms.size()));
                String why = "seed " + seed + " round " + round + " meta " + meta + " p=" + p + " q=" + q;
                assertThat(Filter.not(Filter.and(p, q)).test(c)).as(why)
                        .isEqualTo(Filter.or(Filter.not(p), Filter.not(q)).test(c));
                assertThat(Filter.and(p, q).test(c)).as(why).isEqualTo(p.test(c) && q.test(c));
                assertThat(Filter.or(p, q).test(c)).as(why).isEqualTo(p.test(c) || q.test(c));
                assertThat(Filter.not(p).test(c)).as(why).isEqualTo(!p.test(c));
                for (String key : List.of("a", "b", "c", "zz")) {
                    Object v = pool[random.nextInt(pool.length)];
                    assertThat(Filter.ne(key, v).test(c)).as(why + " key " + key + " v " + v)
                            .isEqualTo(!Filter.eq(key, v).test(c));
                    List<Object> vs = List.of(v, pool[random.nextInt(pool.length)]);
                    assertThat(Filter.notIn(key, vs).test(c)).as(why + " key " + key + " vs " + vs)
                            .isEqualTo(!Filter.in(key, vs).test(c));
                    assertThat(Filter.in(key, vs).test(c)).as(why + " key " + key + " vs " + vs)
                            .isEqualTo(Filter.eq(key, vs.get(0)).test(c) || Filter.eq(key, vs.get(1)).test(c));
                }
            }
        }
    }

    @Nested
    class DocumentIdKey {
        @Test
        void docIdNamesTheChunksDocument() {
            assertThat(matches(Filter.eq(Metadata.DOCUMENT_ID_KEY, "guide"))).isTrue();
            assertThat(matches(Filter.eq("doc_id", "other"))).isFalse();
            assertThat(matches(Filter.ne("doc_id", "guide"))).isFalse();
            assertThat(matches(Filter.in("doc_id", List.of("a", "guide")))).isTrue();
            assertThat(matches(Filter.notIn("doc_id", List.of("a", "b")))).isTrue();
            assertThat(matches(Filter.gt("doc_id", "a"))).isTrue();
            assertThat(matches(Filter.lt("doc_id", "a"))).isFalse();
        }

        @Test
        void testWithExplicitDocumentIdAndMetadata() {
            assertThat(Filter.eq("doc_id", "x").test("x", Map.of())).isTrue();
            assertThat(Filter.eq("lang", "en").test("x", Map.of("lang", "en"))).isTrue();
        }

        @Test
        void docIdCannotBeAMetadataKey() {
            assertThatThrownBy(() -> Chunk.of("d", 0, "t", Map.of("doc_id", "x")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("doc_id").hasMessageContaining("reserved");
        }
    }

    @Nested
    class InvalidInput {
        @Test
        void blankOrNullKeys() {
            assertThatThrownBy(() -> Filter.eq(null, "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> Filter.eq(" ", "x")).isInstanceOf(InvalidInputException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> Filter.gt("", 1)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> Filter.in("", List.of(1))).isInstanceOf(InvalidInputException.class);
        }

        @Test
        void nullAndUnsupportedValuesNameTheKey() {
            assertThatThrownBy(() -> Filter.eq("lang", null)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'lang'").hasMessageContaining("null");
            assertThatThrownBy(() -> Filter.ne("when", LocalDate.of(2024, 1, 1))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'when'").hasMessageContaining("a date or time 2024-01-01");
            assertThatThrownBy(() -> Filter.gt("price", new BigDecimal("1.5"))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'price'");
            assertThatThrownBy(() -> Filter.lt("x", Double.NaN)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'x'").hasMessageContaining("finite");
            assertThatThrownBy(() -> Filter.eq("x", Float.POSITIVE_INFINITY)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("finite");
        }

        @Test
        void inNeedsAtLeastOneValue() {
            assertThatThrownBy(() -> Filter.in("lang", List.of())).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'lang'");
            assertThatThrownBy(() -> Filter.notIn("lang", List.of())).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'lang'");
        }

        @Test
        void inWithANullValueIsAClearInvalidInput() {
            assertThatThrownBy(() -> Filter.in("lang", Arrays.asList("fr", null)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'lang'");
            assertThatThrownBy(() -> Filter.notIn("lang", Arrays.asList(null, "fr")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'lang'");
        }

        @Test
        void inValuesAreNormalisedAndCopied() {
            List<Object> values = new ArrayList<>(List.of(1, "a"));
            Filter.In in = (Filter.In) Filter.in("k", values);
            values.add("b");
            assertThat(in.values()).containsExactly(1L, "a");
            assertThatThrownBy(() -> in.values().add("c")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void connectivesNeedOperands() {
            assertThatThrownBy(Filter::and).isInstanceOf(InvalidInputException.class).hasMessageContaining("and");
            assertThatThrownBy(Filter::or).isInstanceOf(InvalidInputException.class).hasMessageContaining("or");
            assertThatThrownBy(() -> Filter.not(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("not");
            assertThatThrownBy(() -> new Filter.And(null)).isInstanceOf(InvalidInputException.class);
        }

        @Test
        void compareNeedsAnOperator() {
            assertThatThrownBy(() -> new Filter.Compare("k", null, 1)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("op");
        }
    }

    @Test
    void filtersAreValuesWithNormalisedEquality() {
        assertThat(Filter.eq("year", 2021)).isEqualTo(Filter.eq("year", 2021L));
        assertThat(Filter.eq("year", 2021).hashCode()).isEqualTo(Filter.eq("year", 2021L).hashCode());
        assertThat(Filter.gt("s", 0.5f)).isEqualTo(new Filter.Compare("s", Filter.Op.GT, 0.5));
        assertThat(Filter.and(Filter.eq("a", 1), Filter.not(Filter.eq("b", "x"))))
                .isEqualTo(Filter.and(Filter.eq("a", 1L), Filter.not(Filter.eq("b", "x"))));
        assertThat(((Filter.Eq) Filter.eq("n", (byte) 3)).value()).isEqualTo(3L);
    }
}
