package dev.ragkit.store.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Filters at the edges the conformance kit's random data does not reach, against a real node, each compared
 * with the reference ({@link Filter#test}): whole numbers beyond 2^53 that no double holds, decimals beyond
 * the long range, negative zero, keys with dots and stars, one key holding values of every type across
 * chunks, and strings compared across accents and case. Checked through both search and scan.
 */
@UsesSearchNodes(SearchNodeKind.ELASTICSEARCH)
class ElasticFilterEdgeCasesIT {
    private static final String INDEX = "filter-edges";
    private static VectorStore store;
    private static final List<Chunk> CHUNKS = new ArrayList<>();

    @BeforeAll
    static void write() {
        TestCluster.deleteIndices(INDEX);
        store = ElasticVectorStore.builder().connection(TestCluster.connection()).index(INDEX).dimension(2).build();
        Object[] values = {1L << 53, (1L << 53) + 1, (double) (1L << 53), Long.MAX_VALUE, Long.MIN_VALUE,
                9.223372036854775807E18, -9.3e18, 1e300, -0.5, 0.5, 0L, -1L, 0.0, 2.5, 3L, 3.0, "3", "été", "Ete",
                "ete", "zebra", "😀", true, false};
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("v", values[i]);
            if (i % 2 == 0) {
                metadata.put("a.b", "dotted-" + (i % 3));
            }
            if (i % 3 == 0) {
                metadata.put("star*", (long) i);
            }
            Chunk chunk = Chunk.of("c" + i, 0, "chunk " + i, metadata);
            CHUNKS.add(chunk);
            batch.add(new EmbeddedChunk(chunk, new float[] {1, i + 1}));
        }
        store.upsert(batch);
    }

    @AfterAll
    static void delete() {
        if (store != null) {
            store.close();
        }
        TestCluster.deleteIndices(INDEX);
    }

    @Test
    void everyEdgeMatchesTheReference() {
        List<Filter> filters = new ArrayList<>();
        Object[] bounds = {(1L << 53) + 1, 1L << 53, (double) (1L << 53), 9.007199254740993E15, Long.MAX_VALUE,
                Long.MIN_VALUE, 9.223372036854775807E18, -9.223372036854775808E18, -9.3e18, 1e300, -0.0, 0.0, 0L,
                -0.5, 0.5, 2.5, 3L, 3.0, "3", "été", "ete", "Ete", "f", "😀"};
        for (Object bound : bounds) {
            filters.add(Filter.eq("v", bound));
            filters.add(Filter.ne("v", bound));
            if (!(bound instanceof Boolean)) {
                filters.add(Filter.gt("v", bound));
                filters.add(Filter.gte("v", bound));
                filters.add(Filter.lt("v", bound));
                filters.add(Filter.lte("v", bound));
            }
        }
        filters.add(Filter.eq("v", true));
        filters.add(Filter.ne("v", false));
        filters.add(Filter.in("v", List.of(3L, "3", true)));
        filters.add(Filter.notIn("v", List.of(3.0, "été")));
        filters.add(Filter.eq("a.b", "dotted-0"));
        filters.add(Filter.ne("a.b", "dotted-1"));
        filters.add(Filter.gte("star*", 6L));
        filters.add(Filter.not(Filter.gte("star*", 6.5)));
        filters.add(Filter.eq("doc_id", "c3"));
        filters.add(Filter.eq("doc_id", 3L));
        filters.add(Filter.gt("doc_id", "c2"));

        SoftAssertions softly = new SoftAssertions();
        for (Filter filter : filters) {
            TreeSet<String> expected = new TreeSet<>();
            CHUNKS.stream().filter(filter::test).forEach(c -> expected.add(c.id()));
            TreeSet<String> searched = new TreeSet<>();
            store.search(SearchRequest.dense(new float[] {1, 1}, CHUNKS.size()).withFilter(filter))
                    .forEach(h -> searched.add(h.id()));
            softly.assertThat(searched).as("search with %s", filter).isEqualTo(expected);
            TreeSet<String> scanned = new TreeSet<>();
            String cursor = null;
            do {
                ScanPage page = store.scan(filter, cursor, 5);
                page.chunks().forEach(c -> scanned.add(c.id()));
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
            softly.assertThat(scanned).as("scan with %s", filter).isEqualTo(expected);
        }
        softly.assertAll();
    }
}
