package dev.ragkit.store.pinecone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The translation of portable filters into Pinecone's filter language (what is sent, not what it selects). */
class PineconeFilterTest {
    private final ObjectMapper json = new ObjectMapper();

    private String sent(Filter filter) {
        PineconeFilter.Translation t = PineconeFilter.translate(filter, json, "pinecone");
        return t.matchesNothing() ? "NOTHING" : t.matchesEverything() ? "EVERYTHING" : t.expression().toString();
    }

    @Test
    void equalityAndRangesOnNumbersAreSentAsTheyAre() {
        assertThat(sent(Filter.eq("lang", "fr"))).isEqualTo("{\"lang\":{\"$eq\":\"fr\"}}");
        assertThat(sent(Filter.eq("published", true))).isEqualTo("{\"published\":{\"$eq\":true}}");
        assertThat(sent(Filter.gte("year", 2020))).isEqualTo("{\"year\":{\"$gte\":2020}}");
        assertThat(sent(Filter.lt("rating", 2.5))).isEqualTo("{\"rating\":{\"$lt\":2.5}}");
        assertThat(sent(Filter.eq("doc_id", "d1"))).isEqualTo("{\"doc_id\":{\"$eq\":\"d1\"}}");
    }

    @Test
    void negationsAlsoSelectRecordsWithoutTheKeyWhicheverWayPineconeReadsThem() {
        assertThat(sent(Filter.ne("lang", "fr")))
                .isEqualTo("{\"$or\":[{\"lang\":{\"$ne\":\"fr\"}},{\"lang\":{\"$exists\":false}}]}");
        assertThat(sent(Filter.notIn("lang", List.of("fr", "de"))))
                .isEqualTo("{\"$or\":[{\"lang\":{\"$nin\":[\"fr\",\"de\"]}},{\"lang\":{\"$exists\":false}}]}");
        assertThat(sent(Filter.not(Filter.eq("lang", "fr")))).isEqualTo(sent(Filter.ne("lang", "fr")));
        assertThat(sent(Filter.not(Filter.ne("lang", "fr")))).isEqualTo(sent(Filter.eq("lang", "fr")));
        assertThat(sent(Filter.not(Filter.not(Filter.in("lang", List.of("fr", "de"))))))
                .isEqualTo("{\"lang\":{\"$in\":[\"fr\",\"de\"]}}");
    }

    @Test
    void deMorganTurnsANegatedAndIntoAnOr() {
        assertThat(sent(Filter.not(Filter.and(Filter.eq("a", "x"), Filter.in("n", List.of(1, 2))))))
                .isEqualTo("{\"$or\":[{\"$or\":[{\"a\":{\"$ne\":\"x\"}},{\"a\":{\"$exists\":false}}]},"
                        + "{\"$or\":[{\"n\":{\"$nin\":[1,2]}},{\"n\":{\"$exists\":false}}]}]}");
        assertThat(sent(Filter.not(Filter.or(Filter.eq("a", "x"), Filter.eq("b", true)))))
                .isEqualTo("{\"$and\":[{\"$or\":[{\"a\":{\"$ne\":\"x\"}},{\"a\":{\"$exists\":false}}]},"
                        + "{\"$or\":[{\"b\":{\"$ne\":true}},{\"b\":{\"$exists\":false}}]}]}");
    }

    @Test
    void mixedTypesAndBooleansAreSplitIntoWhatPineconesInTakes() {
        assertThat(sent(Filter.in("year", List.of(2021, "2022", true))))
                .isEqualTo("{\"$or\":[{\"year\":{\"$eq\":\"2022\"}},{\"year\":{\"$eq\":2021}},{\"year\":{\"$eq\":true}}]}");
        assertThat(sent(Filter.in("year", List.of(2015, 2016.0))))
                .isEqualTo("{\"year\":{\"$in\":[2015,2016.0]}}");
        assertThat(sent(Filter.notIn("published", List.of(true, false))))
                .isEqualTo("{\"$or\":[{\"$and\":[{\"published\":{\"$ne\":true}},{\"published\":{\"$ne\":false}}]},"
                        + "{\"published\":{\"$exists\":false}}]}");
    }

    @Test
    void keysTheStoreKeepsForItselfAreAbsentFromEveryChunk() {
        assertThat(sent(Filter.eq("ragkit_text", "x"))).isEqualTo("NOTHING");
        assertThat(sent(Filter.ne("ragkit_text", "x"))).isEqualTo("EVERYTHING");
        assertThat(sent(Filter.and(Filter.eq("lang", "fr"), Filter.notIn("ragkit_hash", List.of("h")))))
                .isEqualTo("{\"lang\":{\"$eq\":\"fr\"}}");
        assertThat(sent(Filter.or(Filter.eq("lang", "fr"), Filter.gt("ragkit_index", 1))))
                .isEqualTo("{\"lang\":{\"$eq\":\"fr\"}}");
    }

    @Test
    void stringRangesAndNegatedRangesAreRefusedNamingThePart() {
        assertThat(PineconeFilter.SUPPORT.supports(FilterSupport.Operator.GT, FilterSupport.ValueType.STRING)).isFalse();
        assertThatThrownBy(() -> sent(Filter.and(Filter.eq("lang", "fr"), Filter.lte("title", "M"))))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("lte on 'title' with a STRING value")
                .hasMessageContaining("compare numbers only");
        assertThatThrownBy(() -> sent(Filter.not(Filter.gt("year", 2016))))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("not(gt) on 'year' with a NUMBER value");
        assertThatThrownBy(() -> sent(Filter.not(Filter.or(Filter.eq("lang", "fr"), Filter.lt("year", 2016)))))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("not(lt) on 'year' with a NUMBER value");
    }

    @Test
    void valuesPineconeCannotCompareExactlyAreBadInput() {
        assertThatThrownBy(() -> sent(Filter.eq("n", (1L << 53) + 1))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'n'").hasMessageContaining("2^53");
        assertThatThrownBy(() -> sent(Filter.gt("n", Long.MIN_VALUE))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sent(Filter.eq("$or", "x"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'$or'");
    }
}
