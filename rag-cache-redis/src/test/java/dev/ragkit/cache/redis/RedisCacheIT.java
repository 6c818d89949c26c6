package dev.ragkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.cache.CacheLookup;
import dev.ragkit.core.cache.CacheRegion;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.cache.RegionLimits;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import dev.ragkit.testkit.servers.LocalRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The Redis cache against a real redis-server (Debian's, started on a free loopback port by rag-testkit). */
class RedisCacheIT {
    private static final List<Document> LIBRARIES = List.of(
            new Document("faiss", "FAISS is a library for similarity search of dense vectors."),
            new Document("lucene", "Lucene is a library for full text search with BM25."),
            new Document("redis", "Redis keeps data in memory and can search vectors too."));
    private static final List<String> QUESTIONS = List.of("Which library searches dense vectors?",
            "What does BM25 full text search?", "Where is data kept in memory?");

    private static Map<String, String> config(String url, String prefix, String... extra) {
        Map<String, String> config = new HashMap<>(Map.of("rag.embedder", "test-words", "rag.cache", "redis",
                "rag.cache.redis.url", url, "rag.cache.redis.key-prefix", prefix));
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return config;
    }

    private static String prefix() {
        return "it-" + UUID.randomUUID();
    }

    @Test
    void replicasShareEntriesAndAnIngestOnOneInvalidatesTheResultsOfAll() {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = prefix();
        try (Ragkit a = Ragkit.fromConfig(config(redis.url(), prefix));
             Ragkit b = Ragkit.fromConfig(config(redis.url(), prefix))) {
            a.ingestor().ingest(LIBRARIES);
            b.ingestor().ingest(LIBRARIES); // each replica's store holds the same documents
            QueryCaches ca = a.caches().orElseThrow();
            QueryCaches cb = b.caches().orElseThrow();
            assertThat(ca.backendName()).isEqualTo("redis");

            assertThat(a.retriever().retrieve(QUESTIONS.get(0)).get(0).chunk().documentId()).isEqualTo("faiss");
            assertThat(b.retriever().retrieve(QUESTIONS.get(0)).get(0).chunk().documentId()).isEqualTo("faiss");
            assertThat(cb.hits(CacheRegion.RESULTS)).as("B is served what A computed").isEqualTo(2);
            assertThat(((WordsEmbedder) b.embedder()).queries).as("B embedded nothing").hasValue(0);

            a.ingestor().ingest(List.of(new Document("hnswlib", "hnswlib is a library for dense vectors search.")));
            b.retriever().retrieve(QUESTIONS.get(0));
            assertThat(cb.hits(CacheRegion.RESULTS)).as("A's ingest invalidated B's cached results").isEqualTo(2);
            assertThat(cb.hits(CacheRegion.EMBEDDINGS)).as("but not the query's vector").isEqualTo(1);
            assertThat(((WordsEmbedder) b.embedder()).queries).hasValue(0);
        }
    }

    @Test
    void redisKilledMidRunNeverFailsAQuestionTheMetricsSaySoAndCachingResumesWithoutStaleHits() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LocalRedisServer redis = LocalRedisServer.start(true);
             Ragkit rag = Ragkit.builder().config(config(redis.url(), prefix(), "rag.cache.failure.retry-after", "1s",
                     "rag.cache.redis.timeout", "200ms")).meterRegistry(meters).build()) {
            rag.ingestor().ingest(LIBRARIES);
            for (int round = 0; round < 3; round++) {
                for (String q : QUESTIONS) {
                    assertThat(rag.pipeline().ask(q).citations()).isNotEmpty();
                }
            }
            QueryCaches caches = rag.caches().orElseThrow();
            assertThat(caches.hits(CacheRegion.RESULTS)).isEqualTo(2 * 2 * QUESTIONS.size());
            assertThat(meters.get("rag.cache.available").gauge().value()).isEqualTo(1);
            Thread.sleep(1_200); // the append-only file is synced every second: the entries survive the crash

            redis.kill();
            for (int round = 0; round < 3; round++) {
                for (String q : QUESTIONS) {
                    Answer answer = rag.pipeline().ask(q);
                    assertThat(answer.citations()).as("answered without the cache").isNotEmpty();
                }
            }
            assertThat(caches.available()).isFalse();
            assertThat(meters.get("rag.cache.available").gauge().value()).isZero();
            double errors = meters.get("rag.cache.errors").tag("operation", "get").functionCounter().count();
            assertThat(errors).as("one failure opens the retry delay: not one per question").isBetween(1.0, 3.0);
            // an ingest while Redis is down: the cached answers from before must never come back
            rag.ingestor().ingest(List.of(new Document("faiss", "FAISS was renamed: it is about cooking pasta now.")));

            redis.restart();
            Thread.sleep(1_100); // past the retry delay
            long hitsBefore = caches.hits(CacheRegion.RESULTS);
            List<String> texts = rag.retriever().retrieve(QUESTIONS.get(0)).stream().map(h -> h.chunk().text()).toList();
            assertThat(texts).contains("FAISS was renamed: it is about cooking pasta now.")
                    .doesNotContain("FAISS is a library for similarity search of dense vectors.");
            assertThat(caches.hits(CacheRegion.RESULTS)).as("the entries from before the ingest are not served")
                    .isEqualTo(hitsBefore);
            assertThat(caches.available()).isTrue();
            assertThat(meters.get("rag.cache.available").gauge().value()).isEqualTo(1);
            rag.retriever().retrieve(QUESTIONS.get(0));
            assertThat(caches.hits(CacheRegion.RESULTS)).as("caching resumed").isEqualTo(hitsBefore + 2);
        }
    }

    @Test
    void entriesExpireWithTheirRegionsTimeToLiveAndKeysHoldNoQueryText() throws Exception {
        LocalRedisServer redis = LocalRedisServer.shared();
        String prefix = prefix();
        CacheLimits limits = new CacheLimits(new RegionLimits(10, Duration.ofSeconds(30)),
                new RegionLimits(10, Duration.ofMillis(300)));
        try (RedisCacheBackend backend = RedisCacheBackend.builder().url(redis.url()).keyPrefix(prefix).limits(limits).build();
             QueryCaches caches = QueryCaches.of(backend);
             RedisClient client = RedisClient.builder().hostAndPort(redis.host(), redis.port()).build()) {
            String secretQuery = "what is the salary of alice";
            caches.searchResults("memory", "none", null, secretQuery, 5, 0, null, List::of);
            caches.queryEmbedding(new WordsEmbedder(), secretQuery, () -> new float[WordsEmbedder.DIMENSION]);
            List<String> keys = List.copyOf(client.keys("{" + prefix + "}:*"));
            assertThat(keys).hasSize(2).noneMatch(k -> k.contains("alice"));
            assertThat(client.pttl(keys.stream().filter(k -> k.contains(":results:")).findFirst().orElseThrow()))
                    .isBetween(1L, 300L);

            CacheLookup first = backend.get(CacheRegion.RESULTS, "k");
            backend.put(CacheRegion.RESULTS, "k", "v".getBytes(StandardCharsets.UTF_8), first.generation());
            assertThat(backend.get(CacheRegion.RESULTS, "k").isHit()).isTrue();
            backend.advanceGeneration();
            assertThat(backend.get(CacheRegion.RESULTS, "k").isHit()).isFalse();
            backend.put(CacheRegion.EMBEDDINGS, "e", "v".getBytes(StandardCharsets.UTF_8), first.generation());
            assertThat(backend.get(CacheRegion.EMBEDDINGS, "e").isHit()).as("vectors do not follow writes").isTrue();
            Thread.sleep(400);
            assertThat(caches.searchResults("memory", "none", null, secretQuery, 5, 0, null, List::of)).isEmpty();
            assertThat(caches.hits(CacheRegion.RESULTS)).as("expired after 300 ms").isZero();
        }
    }

    @Test
    void badSettingsAreReportedTogetherWithoutThePassword() {
        assertThatThrownBy(() -> Ragkit.fromConfig(config("http://user:hunter2@cache:6379", "x{y}",
                "rag.cache.redis.timeout", "0ms", "rag.cache.redis.pool-sise", "4")))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("rag.cache.redis.url was 'http://user:****@cache:6379' but it must be a redis://")
                .hasMessageContaining("rag.cache.redis.key-prefix was 'x{y}'")
                .hasMessageContaining("rag.cache.redis.timeout was 'PT0S' but it must be a positive duration")
                .hasMessageContaining("rag.cache.redis.pool-sise is not a known setting of the redis cache")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void aServerDownAtStartOnlyMeansAnsweringWithoutTheCache() {
        String deadUrl = "redis://127.0.0.1:" + freePort();
        try (Ragkit rag = Ragkit.fromConfig(config(deadUrl, prefix()))) {
            rag.ingestor().ingest(LIBRARIES);
            assertThat(rag.pipeline().ask(QUESTIONS.get(1)).citations()).isNotEmpty();
            assertThat(rag.caches().orElseThrow().available()).isFalse();
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
