package dev.ragkit.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance kit does not reach: exact edges of the filter translation, settings, read-only following. */
class LuceneVectorStoreTest {
    @TempDir
    Path directory;

    private final Random random = new Random(11);

    private float[] vector() {
        float[] v = new float[4];
        for (int i = 0; i < 4; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private List<EmbeddedChunk> chunks(List<Map<String, Object>> metadata) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            chunks.add(new EmbeddedChunk(Chunk.of("d" + i, 0, "text " + i, metadata.get(i)), vector()));
        }
        return chunks;
    }

    private static TreeSet<String> expected(List<EmbeddedChunk> chunks, Filter filter) {
        TreeSet<String> ids = new TreeSet<>();
        chunks.stream().filter(c -> filter.test(c.chunk())).forEach(c -> ids.add(c.id()));
        return ids;
    }

    private static TreeSet<String> actual(LuceneVectorStore store, Filter filter) {
        TreeSet<String> ids = new TreeSet<>();
        store.scan(filter, null, 1000).chunks().forEach(c -> ids.add(c.id()));
        return ids;
    }

    /** Compaction leaves one segment, answers as before (same hits, same scores), persists, and refuses read-only. */
    @Test
    void compactMergesIntoOneSegmentWithoutChangingAnswers() {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            chunks.add(new EmbeddedChunk(Chunk.of("d" + i, 0, "text " + i, Map.of()), vector()));
        }
        List<float[]> queries = List.of(vector(), vector(), vector());
        List<List<SearchHit>> before = new ArrayList<>();
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).efSearch(200).directory(directory).build()) {
            for (int i = 0; i < 90; i += 30) {
                store.upsert(chunks.subList(i, i + 30)); // one segment per write
            }
            assertThat(store.segmentCount()).isEqualTo(3);
            store.delete(List.of("d5#0"));
            for (float[] q : queries) {
                before.add(store.search(SearchRequest.dense(q, 20)));
            }
            store.compact();
            assertThat(store.segmentCount()).isEqualTo(1);
            assertThat(store.count()).isEqualTo(89);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(store.search(SearchRequest.dense(queries.get(i), 20))).isEqualTo(before.get(i));
            }
        }
        try (LuceneVectorStore reopened = LuceneVectorStore.builder().dimension(4).efSearch(200).directory(directory)
                .readOnly(true).build()) {
            assertThat(reopened.segmentCount()).isEqualTo(1);
            assertThat(reopened.search(SearchRequest.dense(queries.get(0), 20))).isEqualTo(before.get(0));
            assertThatThrownBy(reopened::compact).isInstanceOf(RagException.class).hasMessageContaining("read-only");
        }
    }

    /** With compactOnFlush, flush leaves one segment; without it, flush leaves the segments as they are. */
    @Test
    void flushCompactsOnlyWhenAsked() {
        for (boolean compact : new boolean[] {false, true}) {
            try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).compactOnFlush(compact).build()) {
                for (int i = 0; i < 3; i++) {
                    store.upsert(List.of(new EmbeddedChunk(Chunk.of("d" + i, 0, "text", Map.of()), vector())));
                }
                store.flush();
                assertThat(store.segmentCount()).as("compactOnFlush %s", compact).isEqualTo(compact ? 1 : 3);
                assertThat(store.count()).isEqualTo(3);
            }
        }
    }

    @Test
    void numbersCompareExactlyAcrossWholeAndDecimalBeyondTwoToThe53() {
        long big = (1L << 53) + 1; // not a double: (double) big == 2^53
        List<Map<String, Object>> metadata = List.of(Map.of("n", big), Map.of("n", (double) (1L << 53)),
                Map.of("n", 1L << 53), Map.of("n", Long.MAX_VALUE), Map.of("n", 9.3e18), Map.of("n", -0.5),
                Map.of("n", 0L), Map.of("n", 0.0), Map.of("n", "2"), Map.of("other", 1L), Map.of("n", 2.5), Map.of("n", 2L));
        List<EmbeddedChunk> chunks = chunks(metadata);
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).build()) {
            store.upsert(chunks);
            List<Filter> filters = List.of(Filter.eq("n", big), Filter.eq("n", (double) (1L << 53)),
                    Filter.gt("n", (double) (1L << 53)), Filter.gte("n", big), Filter.lt("n", big),
                    Filter.lte("n", (double) (1L << 53)), Filter.gt("n", 9.3e18), Filter.gt("n", Long.MAX_VALUE),
                    Filter.lt("n", 0), Filter.lte("n", -0.0), Filter.eq("n", 0), Filter.gt("n", 2),
                    Filter.gte("n", 2.0), Filter.lt("n", 2.5), Filter.in("n", List.of(2, 2.5, "2")),
                    Filter.notIn("n", List.of(0L, 2.0)), Filter.ne("n", 0.0), Filter.gt("n", -1e300),
                    Filter.lt("n", 1e300));
            for (Filter f : filters) {
                assertThat(actual(store, f)).as("scan(%s)", f).isEqualTo(expected(chunks, f));
            }
        }
    }

    @Test
    void stringsCompareByUtf16CodeUnitsNotCodePoints() {
        // U+1F600 is a surrogate pair (D83D DE00): below U+FFFD in UTF-16 order, above it by code point.
        List<String> values = List.of("\uD83D\uDE00", "\uFFFD", "e", "é", "E", "", "ab", "a", "\uD83D\uDE00x");
        List<Map<String, Object>> metadata = new ArrayList<>();
        values.forEach(v -> metadata.add(Map.of("s", v)));
        List<EmbeddedChunk> chunks = chunks(metadata);
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).build()) {
            store.upsert(chunks);
            for (String bound : values) {
                for (Filter f : List.of(Filter.lt("s", bound), Filter.lte("s", bound), Filter.gt("s", bound),
                        Filter.gte("s", bound), Filter.eq("s", bound), Filter.ne("s", bound))) {
                    assertThat(actual(store, f)).as("scan(%s)", f).isEqualTo(expected(chunks, f));
                }
            }
            Filter docId = Filter.and(Filter.gte("doc_id", "d1"), Filter.lt("doc_id", "d4"));
            assertThat(actual(store, docId)).isEqualTo(expected(chunks, docId));
        }
    }

    @Test
    void booleansMatchOnlyBooleans() {
        List<Map<String, Object>> metadata = List.of(Map.of("b", true), Map.of("b", "true"), Map.of("b", 1L),
                Map.of("b", false), Map.of());
        List<EmbeddedChunk> chunks = chunks(metadata);
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).build()) {
            store.upsert(chunks);
            for (Filter f : List.of(Filter.eq("b", true), Filter.ne("b", true), Filter.in("b", List.of(false, "true")),
                    Filter.not(Filter.eq("b", false)), Filter.or(Filter.eq("b", 1), Filter.eq("b", true)))) {
                assertThat(actual(store, f)).as("scan(%s)", f).isEqualTo(expected(chunks, f));
            }
        }
    }

    @Test
    void reopeningWithOtherSettingsIsRefusedNamingThem() {
        Path dir = directory.resolve("index");
        LuceneVectorStore.builder().dimension(4).directory(dir).analysis(TextAnalysis.ENGLISH).build().close();
        assertThatThrownBy(() -> LuceneVectorStore.builder().dimension(5).directory(dir).analysis(TextAnalysis.FRENCH)
                .build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContainingAll("dimension is 4 on disk but 5", "analyzer is english on disk but french");
    }

    @Test
    void readOnlyStoreFollowsTheWritersCommitsAndRefusesWrites() throws Exception {
        Path dir = directory.resolve("index");
        try (LuceneVectorStore writer = LuceneVectorStore.builder().dimension(4).directory(dir).build()) {
            writer.upsert(chunks(List.of(Map.of(), Map.of())));
            try (LuceneVectorStore reader = LuceneVectorStore.builder().dimension(4).directory(dir).readOnly(true)
                    .build()) {
                assertThat(reader.count()).isEqualTo(2);
                writer.upsert(List.of(new EmbeddedChunk(Chunk.of("late", 0, "written later", Map.of()), vector())));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (reader.count() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(reader.count()).as("the read-only store sees the writer's later commit").isEqualTo(3);
                assertThatThrownBy(() -> reader.delete(List.of("late#0"))).isInstanceOf(RagException.class)
                        .hasMessageContaining("read-only");
            }
        }
    }

    @Test
    void searchesRunBesideAWriterAndSeeWholeBatches() throws Exception {
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).build()) {
            float[] query = vector();
            Thread writer = new Thread(() -> {
                for (int b = 0; b < 20; b++) {
                    List<EmbeddedChunk> batch = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        batch.add(new EmbeddedChunk(Chunk.of("b" + b + "-" + i, 0, "x", Map.of()), vector()));
                    }
                    store.upsert(batch);
                }
            });
            writer.start();
            while (writer.isAlive()) {
                long count = store.count();
                assertThat(count % 25).as("count %d seen during writes is a whole number of batches", count).isZero();
                List<SearchHit> hits = store.search(SearchRequest.dense(query, 5));
                assertThat(hits.size()).isLessThanOrEqualTo(5);
            }
            writer.join();
            assertThat(store.count()).isEqualTo(500);
        }
    }

    @Test
    void keywordScoresAreBm25OverTheMaximumAttainable() {
        Map<String, Object> none = new LinkedHashMap<>();
        List<EmbeddedChunk> chunks = List.of(
                new EmbeddedChunk(Chunk.of("a", 0, "quokka quokka quokka quokka quokka quokka", none), vector()),
                new EmbeddedChunk(Chunk.of("b", 0, "a quokka among many other words here", none), vector()),
                new EmbeddedChunk(Chunk.of("c", 0, "nothing relevant", none), vector()));
        try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(4).build()) {
            store.upsert(chunks);
            List<SearchHit> hits = store.search(SearchRequest.keyword("quokka", 10));
            assertThat(hits).extracting(SearchHit::id).containsExactly("a#0", "b#0");
            assertThat(hits.get(0).score()).isLessThan(1.0).isGreaterThan(hits.get(1).score());
            assertThat(store.search(SearchRequest.keyword("quokka", 10).withMinScore(hits.get(0).score())))
                    .extracting(SearchHit::id).containsExactly("a#0");
        }
    }
}
