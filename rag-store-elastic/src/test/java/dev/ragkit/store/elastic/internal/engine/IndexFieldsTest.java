package dev.ragkit.store.elastic.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexFieldsTest {
    @Test
    void keysWithDotsStarsAndPercentRoundTripToFieldNamesWithoutThem() {
        for (String key : new String[] {"plain", "a.b", "x*", "100%", "%2E", "a.b.c%*", "été"}) {
            String field = IndexFields.encodeKey(key);
            assertThat(field).doesNotContain(".", "*");
            assertThat(IndexFields.decodeKey(field)).isEqualTo(key);
        }
        assertThat(IndexFields.encodeKey("a.b")).isNotEqualTo(IndexFields.encodeKey("a%2Eb"));
    }
}
