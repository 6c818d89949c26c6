package dev.ragkit.cache.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** The pooled jedis client of the cache backend and the budget store, from one URL convention. */
final class RedisClients {
    private RedisClients() {
    }

    /** A client and where it points, without the password (for messages). */
    record Connection(RedisClient client, String where) {
    }

    /**
     * A client for {@code url} (already checked by {@link RedisCacheBackend#urlProblem}); no connection is
     * made until the first command.
     *
     * @param password the password, when it is not in the URL
     * @param timeout connect, read and pool-wait timeout
     */
    static Connection open(String url, String password, Duration timeout, int poolSize, String clientName) {
        URI uri = URI.create(url.trim());
        String user = null;
        String secret = password;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String urlUser = decode(colon < 0 ? info : info.substring(0, colon));
            user = urlUser.isEmpty() ? null : urlUser;
            if (secret == null && colon >= 0) {
                secret = decode(info.substring(colon + 1));
            }
        }
        boolean tls = uri.getScheme().equalsIgnoreCase("rediss");
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        int database = uri.getPath() != null && uri.getPath().length() > 1 ? Integer.parseInt(uri.getPath().substring(1)) : 0;
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().resp2().ssl(tls).database(database)
                .clientName(clientName).connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis);
        if (user != null) {
            config.user(user);
        }
        if (secret != null) {
            config.password(secret);
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(0);
        // a question never waits long for a connection: past the timeout it goes on without Redis
        pool.setMaxWait(timeout);
        String where = (tls ? "rediss://" : "redis://") + uri.getHost() + ":" + port + (database == 0 ? "" : "/" + database);
        RedisClient client = RedisClient.builder().hostAndPort(uri.getHost(), port).clientConfig(config.build())
                .poolConfig(pool).build();
        return new Connection(client, where);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
