package dev.ragkit.store.elastic.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming reader of search answers: what the store uses is kept, everything else skipped. */
class SearchResponsesTest {
    private static EngineClient.SearchResult read(String json) throws IOException {
        return SearchResponses.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsIdsScoresSourcesAndSortValuesSkippingTheRest() throws IOException {
        EngineClient.SearchResult result = read("""
                {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"failures":[{"a":[1,{"b":2}]}]},
                 "hits":{"total":{"value":2,"relation":"eq"},"max_score":0.9,
                  "hits":[
                   {"_index":"docs","_id":"d#0","_score":0.9,"_ignored":["x"],
                    "_source":{"chunk_id":"d#0","text":"héllo","meta_l":{"n":9007199254740993}},
                    "sort":[0.9,"d#0"]},
                   {"_index":"docs","_id":"d#1","_score":null,"_source":{"chunk_id":"d#1"},"sort":[12,"d#1"],
                    "fields":{"x":[{"y":"z"}]}}]},
                 "pit_id":"pit-42","aggregations":{"a":{"buckets":[]}}}
                """);
        assertThat(result.pitId()).isEqualTo("pit-42");
        assertThat(result.hits()).hasSize(2);
        EngineClient.Hit first = result.hits().get(0);
        assertThat(first.id()).isEqualTo("d#0");
        assertThat(first.score()).isEqualTo(0.9);
        assertThat(first.source().path("text").asText()).isEqualTo("héllo");
        // Whole numbers above 2^53 keep every digit (metadata longs).
        assertThat(first.source().path("meta_l").path("n").asLong()).isEqualTo(9_007_199_254_740_993L);
        assertThat(first.sort()).extracting(Object::toString).containsExactly("0.9", "\"d#0\"");
        EngineClient.Hit second = result.hits().get(1);
        assertThat(second.score()).isNaN();
        assertThat(second.sort().get(0).isIntegralNumber()).isTrue();
        assertThat(second.sort().get(1).asText()).isEqualTo("d#1");
    }

    @Test
    void anAnswerWithoutHitsOrPointInTimeHasNeither() throws IOException {
        EngineClient.SearchResult empty = read("{\"hits\":{\"total\":{\"value\":0},\"hits\":[]}}");
        assertThat(empty.hits()).isEmpty();
        assertThat(empty.pitId()).isNull();
        EngineClient.Hit noSource = read("{\"hits\":{\"hits\":[{\"_id\":\"a#0\",\"_score\":1}]}}").hits().get(0);
        assertThat(noSource.source()).isNull();
        assertThat(noSource.sort()).isEmpty();
    }

    @Test
    void somethingElseThanAnObjectIsRefused() {
        assertThatThrownBy(() -> read("[1,2]")).isInstanceOf(IOException.class).hasMessageContaining("JSON object");
    }
}
