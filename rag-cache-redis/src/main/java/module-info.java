/**
 * Ragkit in Redis: the query caches ({@code rag.cache=redis}) and shared token and cost budgets
 * ({@code rag.budget.store=redis}), for every replica that names the same server and key prefix, through jedis.
 */
module dev.ragkit.cache.redis {
    exports dev.ragkit.cache.redis;

    requires transitive dev.ragkit.core;
    requires redis.clients.jedis;

    provides dev.ragkit.core.cache.CacheBackendProvider with dev.ragkit.cache.redis.internal.RedisCacheBackendProvider;
    provides dev.ragkit.core.budget.BudgetStoreProvider with dev.ragkit.cache.redis.internal.RedisBudgetStoreProvider;
}
