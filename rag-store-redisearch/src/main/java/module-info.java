/**
 * Ragkit's store on the Redis query engine (RediSearch 2.10+, Redis Stack, Redis 8): HNSW vectors, BM25,
 * TAG/NUMERIC filters and versioned indexes behind an FT alias, through jedis.
 */
module dev.ragkit.store.redisearch {
    exports dev.ragkit.store.redisearch;

    requires transitive dev.ragkit.core;
    requires redis.clients.jedis;

    provides dev.ragkit.core.spi.VectorStoreProvider
            with dev.ragkit.store.redisearch.internal.RediSearchVectorStoreProvider;
}
