package dev.ragkit.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheBackendTest {
    @TempDir
    Path tmp;

    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final CacheLimits limits = new CacheLimits(new RegionLimits(3, Duration.ofHours(1)),
            new RegionLimits(10, Duration.ofMinutes(5)));

    private FileCacheBackend open() {
        return FileCacheBackend.open(tmp.resolve("cache/queries.rkc"), limits, millis::get);
    }

    @Test
    void entriesAndTheWriteGenerationOutliveTheProcess() {
        try (FileCacheBackend backend = open()) {
            backend.put(CacheRegion.EMBEDDINGS, "k1", new byte[] {1, 2, 3}, 0);
            backend.put(CacheRegion.RESULTS, "r1", new byte[] {9}, 0);
            backend.advanceGeneration();
            backend.put(CacheRegion.RESULTS, "r2", new byte[] {8}, 1);
        }
        try (FileCacheBackend backend = open()) {
            assertThat(backend.get(CacheRegion.EMBEDDINGS, "k1").value()).containsExactly(1, 2, 3);
            assertThat(backend.get(CacheRegion.RESULTS, "r1").isHit()).as("written before an ingest").isFalse();
            assertThat(backend.get(CacheRegion.RESULTS, "r2")).isEqualTo(CacheLookup.hit(new byte[] {8}, 1));
            assertThat(backend.recoveredBytes()).isZero();
        }
    }

    @Test
    void entriesExpireWithTheirRegionsTtlAcrossRunsAndAFullRegionKeepsWhatItHas() {
        try (FileCacheBackend backend = open()) {
            for (int i = 0; i < 5; i++) {
                backend.put(CacheRegion.EMBEDDINGS, "k" + i, new byte[] {(byte) i}, 0);
            }
            assertThat(backend.size(CacheRegion.EMBEDDINGS)).isEqualTo(3);
            backend.put(CacheRegion.RESULTS, "r", new byte[] {1}, 0);
        }
        millis.addAndGet(Duration.ofMinutes(10).toMillis());
        try (FileCacheBackend backend = open()) {
            assertThat(backend.get(CacheRegion.EMBEDDINGS, "k2").isHit()).isTrue();
            assertThat(backend.get(CacheRegion.EMBEDDINGS, "k3").isHit()).isFalse();
            assertThat(backend.get(CacheRegion.RESULTS, "r").isHit()).as("past the 5 min ttl").isFalse();
        }
    }

    @Test
    void aFileThatIsNotACacheIsRefusedByName() throws Exception {
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "hello, this is not a cache", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FileCacheBackend.open(file, limits)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("notes.txt");
    }
}
