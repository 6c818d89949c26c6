package dev.ragkit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetadataTest {

    @Test
    void wholeNumbersBecomeLongAndDecimalsBecomeDouble() {
        assertThat(Metadata.normalise("k", 7)).isEqualTo(7L);
        assertThat(Metadata.normalise("k", (short) 7)).isEqualTo(7L);
        assertThat(Metadata.normalise("k", (byte) -7)).isEqualTo(-7L);
        assertThat(Metadata.normalise("k", 7L)).isEqualTo(7L);
        assertThat(Metadata.normalise("k", 0.25f)).isEqualTo(0.25d);
        assertThat(Metadata.normalise("k", 0.1d)).isEqualTo(0.1d);
        assertThat(Metadata.normalise("k", "v")).isEqualTo("v");
        assertThat(Metadata.normalise("k", Boolean.TRUE)).isEqualTo(true);
    }

    @Test
    void nonFiniteDecimalsAreRejectedNamingTheKey() {
        for (Object bad : List.of(Double.NaN, Double.NEGATIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY)) {
            assertThatThrownBy(() -> Metadata.normalise("weight", bad)).as("%s", bad)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'weight'").hasMessageContaining("finite");
        }
    }

    @Test
    void unsupportedTypesAndNullAreRejectedNamingTheKey() {
        Map<Object, String> described = new LinkedHashMap<>();
        described.put(new BigInteger("5"), "a number 5");
        described.put(new AtomicInteger(5), "a number 5");
        described.put('c', "a character c");
        described.put(List.of("fr"), "a list [fr]");
        described.put(Map.of("x", 1), "a map {x=1}");
        described.put(new Object(), "an object of type java.lang.Object");
        described.forEach((bad, words) -> assertThatThrownBy(() -> Metadata.normalise("tags", bad)).as("%s", bad)
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'tags' was " + words)
                .hasMessageNotContaining("List12").hasMessageNotContaining("Map1"));
        assertThatThrownBy(() -> Metadata.normalise("tags", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'tags'").hasMessageContaining("null");
    }

    @Test
    void copyIsSortedImmutableAndDetached() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("zeta", 1);
        source.put("alpha", 2.5f);
        source.put("mid", "x");
        Map<String, Object> copy = Metadata.copyOf(source);
        source.put("late", true);
        assertThat(copy).containsExactly(Map.entry("alpha", 2.5d), Map.entry("mid", "x"), Map.entry("zeta", 1L));
        assertThatThrownBy(() -> copy.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyAndNullGiveAnEmptyMap() {
        assertThat(Metadata.copyOf(null)).isEmpty();
        assertThat(Metadata.copyOf(Map.of())).isEmpty();
    }

    @Test
    void keysMustBeNonBlankAndNotReserved() {
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThatThrownBy(() -> Metadata.copyOf(nullKey)).isInstanceOf(InvalidInputException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> Metadata.copyOf(Map.of("  ", "v"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> Metadata.copyOf(Map.of(Metadata.DOCUMENT_ID_KEY, "v")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'doc_id'");
    }

    @Test
    void nullValueInAMapIsRejectedNamingTheKey() {
        Map<String, Object> m = new HashMap<>();
        m.put("author", null);
        assertThatThrownBy(() -> Metadata.copyOf(m)).isInstanceOf(InvalidInputException.class).hasMessageContaining("'author'");
    }

    @Test
    void normalisedMapsCompareEqualWhateverTheSourceNumberTypes() {
        assertThat(Metadata.copyOf(Map.of("n", 3, "d", 0.5f))).isEqualTo(Metadata.copyOf(Map.of("n", 3L, "d", 0.5d)));
    }
}
