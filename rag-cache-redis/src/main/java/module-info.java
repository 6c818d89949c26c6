/**
 * Ragkit's query caches in Redis ({@code rag.cache=redis}): query vectors and search results shared by
 * every replica that names the same server and key prefix, through jedis.
 */
module dev.ragkit.cache.redis {
    exports dev.ragkit.cache.redis;

    requires transitive dev.ragkit.core;
    requires redis.clients.jedis;

    provides dev.ragkit.core.cache.CacheBackendProvider with dev.ragkit.cache.redis.internal.RedisCacheBackendProvider;
}
