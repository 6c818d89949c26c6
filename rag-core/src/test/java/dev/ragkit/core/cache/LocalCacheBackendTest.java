package dev.ragkit.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalCacheBackendTest {
    private final AtomicLong now = new AtomicLong();
    private final LocalCacheBackend backend = new LocalCacheBackend(new CacheLimits(
            new RegionLimits(2, Duration.ofSeconds(10)), new RegionLimits(3, Duration.ofSeconds(1))), now::get);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String read(CacheRegion region, String key) {
        CacheLookup lookup = backend.get(region, key);
        return lookup.isHit() ? new String(lookup.value(), StandardCharsets.UTF_8) : null;
    }

    @Test
    void keepsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
        backend.put(CacheRegion.EMBEDDINGS, "a", bytes("A"), 0);
        backend.put(CacheRegion.EMBEDDINGS, "b", bytes("B"), 0);
        assertThat(read(CacheRegion.EMBEDDINGS, "a")).isEqualTo("A"); // a is now more recent than b
        backend.put(CacheRegion.EMBEDDINGS, "c", bytes("C"), 0);

        assertThat(backend.size(CacheRegion.EMBEDDINGS)).isEqualTo(2);
        assertThat(read(CacheRegion.EMBEDDINGS, "b")).isNull();
        assertThat(read(CacheRegion.EMBEDDINGS, "a")).isEqualTo("A");
        assertThat(read(CacheRegion.EMBEDDINGS, "c")).isEqualTo("C");
        assertThat(backend.size(CacheRegion.RESULTS)).as("regions are apart").isZero();
    }

    @Test
    void entriesExpireTheirRegionsTimeToLiveAfterTheyWereWritten() {
        backend.put(CacheRegion.RESULTS, "k", bytes("hits"), 0);
        backend.put(CacheRegion.EMBEDDINGS, "k", bytes("vector"), 0);
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(read(CacheRegion.RESULTS, "k")).isEqualTo("hits");
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(read(CacheRegion.RESULTS, "k")).as("results live 1 s").isNull();
        assertThat(read(CacheRegion.EMBEDDINGS, "k")).as("embeddings live 10 s").isEqualTo("vector");
    }

    @Test
    void anAdvancedGenerationHidesEverythingWrittenBeforeAndALateWriteOfAnOldGeneration() {
        CacheLookup before = backend.get(CacheRegion.RESULTS, "q");
        assertThat(before.isHit()).isFalse();
        backend.put(CacheRegion.RESULTS, "q", bytes("old"), before.generation());
        assertThat(read(CacheRegion.RESULTS, "q")).isEqualTo("old");

        backend.advanceGeneration(); // an ingest finished
        assertThat(read(CacheRegion.RESULTS, "q")).isNull();
        // a search that started before the ingest ends after it: its value is stored, never served
        backend.put(CacheRegion.RESULTS, "q", bytes("computed during the write"), before.generation());
        assertThat(read(CacheRegion.RESULTS, "q")).isNull();

        CacheLookup after = backend.get(CacheRegion.RESULTS, "q");
        assertThat(after.generation()).isEqualTo(before.generation() + 1);
        backend.put(CacheRegion.RESULTS, "q", bytes("new"), after.generation());
        assertThat(read(CacheRegion.RESULTS, "q")).isEqualTo("new");

        backend.put(CacheRegion.EMBEDDINGS, "q", bytes("vector"), after.generation());
        backend.advanceGeneration();
        assertThat(read(CacheRegion.EMBEDDINGS, "q")).as("a query's vector does not depend on the index").isEqualTo("vector");
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = bytes("abc");
        backend.put(CacheRegion.RESULTS, "k", value, 0);
        value[0] = 'X';
        byte[] out = backend.get(CacheRegion.RESULTS, "k").value();
        out[1] = 'Y';
        assertThat(read(CacheRegion.RESULTS, "k")).isEqualTo("abc");
    }
}
