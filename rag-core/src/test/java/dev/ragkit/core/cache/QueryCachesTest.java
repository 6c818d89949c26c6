package dev.ragkit.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.testing.WordHashEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueryCachesTest {
    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SwitchableBackend backend = new SwitchableBackend();
    private final QueryCaches caches = QueryCaches.builder(backend).retryAfter(Duration.ofSeconds(5))
            .meterRegistry(meters).nanoClock(now::get).build();
    private final AtomicInteger searches = new AtomicInteger();

    private static final List<SearchHit> HITS = List.of(
            new SearchHit(Chunk.of("doc-1", 0, "FAISS searches dense vectors.", Map.of("year", 2017L, "lang", "en")), 0.9),
            new SearchHit(Chunk.of("doc-2", 3, "Redis too.", Map.of("score", 0.5, "draft", true)), 0.4));

    private List<SearchHit> search(String query, Filter filter) {
        return caches.searchResults("memory", "v1", "words", query, 5, 0.0, filter, () -> {
            searches.incrementAndGet();
            return HITS;
        });
    }

    private double meter(String name, String cache) {
        return meters.get(name).tag("cache", cache).tag("backend", "switchable").functionCounter().count();
    }

    @Test
    void aRepeatedSearchIsServedFromTheCacheWithEqualHitsAndCounted() {
        assertThat(search("dense vectors", null)).isEqualTo(HITS);
        assertThat(search("dense vectors", null)).isEqualTo(HITS);
        assertThat(searches).hasValue(1);
        assertThat(meter("rag.cache.hits", "results")).isEqualTo(1);
        assertThat(meter("rag.cache.misses", "results")).isEqualTo(1);
        assertThat(meters.get("rag.cache.hit.ratio").tag("cache", "results").gauge().value()).isEqualTo(0.5);
        assertThat(meters.get("rag.cache.available").gauge().value()).isEqualTo(1);
    }

    @Test
    void everyPartOfTheRequestIsInTheKeyFiltersWithTheirValueTypes() {
        search("q", new Filter.Eq("year", 2017L));
        search("q", new Filter.Eq("year", "2017"));
        search("q", null);
        search("Q", null);
        caches.searchResults("memory", "v2", "words", "q", 5, 0.0, null, () -> HITS);
        caches.searchResults("memory", "v1", null, "q", 5, 0.0, null, () -> HITS);
        caches.searchResults("memory", "v1", "words", "q", 6, 0.0, null, () -> HITS);
        caches.searchResults("memory", "v1", "words", "q", 5, 0.1, null, () -> HITS);
        caches.searchResults("faiss", "v1", "words", "q", 5, 0.0, null, () -> HITS);
        assertThat(caches.hits(CacheRegion.RESULTS)).isZero();
        assertThat(caches.misses(CacheRegion.RESULTS)).isEqualTo(9);
        search("q", new Filter.Eq("year", 2017L));
        assertThat(caches.hits(CacheRegion.RESULTS)).isEqualTo(1);
    }

    @Test
    void queryVectorsAreKeyedByTheEmbedderAndComeBackEqual() {
        WordHashEmbedder words = new WordHashEmbedder(16);
        WordHashEmbedder other = new WordHashEmbedder(16, "other-model");
        float[] v = words.embedQuery("dense vectors");
        assertThat(caches.queryEmbedding(words, "dense vectors", () -> v)).containsExactly(v);
        assertThat(caches.queryEmbedding(words, "dense vectors", () -> new float[16])).containsExactly(v);
        assertThat(caches.queryEmbedding(other, "dense vectors", () -> new float[16])).containsOnly(0f);
        assertThat(caches.hits(CacheRegion.EMBEDDINGS)).isEqualTo(1);
    }

    @Test
    void aFailingBackendNeverFailsTheQuestionIsLeftAloneForTheRetryDelayAndSaysSoInMetrics() {
        search("q", null);
        backend.down = true;
        assertThat(search("q", null)).as("computed without the cache").isEqualTo(HITS);
        int callsAtFailure = backend.calls.get();
        assertThat(search("q", null)).isEqualTo(HITS);
        assertThat(backend.calls).as("not asked again within the retry delay").hasValue(callsAtFailure);
        assertThat(caches.available()).isFalse();
        assertThat(meters.get("rag.cache.available").gauge().value()).isZero();
        assertThat(meters.get("rag.cache.errors").tag("operation", "get").functionCounter().count()).isEqualTo(1);
        assertThat(meter("rag.cache.misses", "results")).as("answered without the cache: misses").isEqualTo(3);

        backend.down = false;
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(search("q", null)).isEqualTo(HITS);
        assertThat(caches.available()).isTrue();
        assertThat(meter("rag.cache.hits", "results")).as("the entry written before the outage").isEqualTo(1);
        assertThat(searches).hasValue(3);
    }

    @Test
    void anInvalidationMissedDuringAnOutageIsReplayedBeforeTheBackendIsUsedAgain() {
        search("q", null);
        backend.down = true;
        caches.invalidate(); // an ingest finished while the backend was unreachable
        assertThat(caches.available()).isFalse();
        backend.down = false;
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        search("q", null);
        assertThat(searches).as("the entry from before the ingest is not served").hasValue(2);
        assertThat(backend.local.get(CacheRegion.RESULTS, "x").generation()).isEqualTo(1);
    }

    @Test
    void anUnreadableEntryIsAMissAndIsOverwritten() {
        String key = new CacheKeys().add("results").add("memory").add("v1").add("dense").add("words").add("q").add(5)
                .add(0.0).add((Filter) null).digest();
        backend.local.put(CacheRegion.RESULTS, key, new byte[] {9, 9, 9}, 0);
        assertThat(search("q", null)).isEqualTo(HITS);
        assertThat(searches).hasValue(1);
        assertThat(search("q", null)).isEqualTo(HITS);
        assertThat(searches).hasValue(1);
        assertThat(meters.get("rag.cache.errors").tag("operation", "decode").functionCounter().count()).isEqualTo(1);
    }

    /** A local backend that throws like an unreachable server while {@code down}. */
    static final class SwitchableBackend implements CacheBackend {
        final LocalCacheBackend local = new LocalCacheBackend(CacheLimits.DEFAULTS);
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        private void call() {
            calls.incrementAndGet();
            if (down) {
                throw RagBackendException.retriable("switchable", "connection refused", null);
            }
        }

        @Override
        public String name() {
            return "switchable";
        }

        @Override
        public CacheLookup get(CacheRegion region, String key) {
            call();
            return local.get(region, key);
        }

        @Override
        public void put(CacheRegion region, String key, byte[] value, long generation) {
            call();
            local.put(region, key, value, generation);
        }

        @Override
        public void advanceGeneration() {
            call();
            local.advanceGeneration();
        }

        @Override
        public void close() {
            local.close();
        }
    }
}
