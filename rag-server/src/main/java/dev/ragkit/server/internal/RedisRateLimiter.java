package dev.ragkit.server.internal;

import dev.ragkit.core.RagBackendException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fixed windows counted in Redis, so that every replica using one Redis shares one budget per token. One
 * script increments the window's counter and sets its expiry atomically; the key holds the token's hash and the
 * window's number ({@code ragkit:rate:<hash>:<window>}), never the token.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;
    private final RedisClient redis;
    private final Clock clock;
    private final long windowMillis;
    private final String url;

    public RedisRateLimiter(String url, Clock clock, Duration window) {
        this.url = url;
        this.redis = RedisClient.create(java.net.URI.create(url));
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    @Override
    public Decision acquire(String key, int limit) {
        long now = clock.millis();
        long index = Math.floorDiv(now, windowMillis);
        long count;
        try {
            Object result = redis.eval(SCRIPT, List.of("ragkit:rate:" + key + ":" + index),
                    List.of(Long.toString(windowMillis * 2)));
            count = (Long) result;
        } catch (JedisException e) {
            throw new RagBackendException("redis", true, "the rate limiter's Redis at " + redacted(url)
                    + " failed: " + e.getMessage(), e);
        }
        long reset = Math.max(1, ((index + 1) * windowMillis - now + 999) / 1000);
        int used = (int) Math.min(Integer.MAX_VALUE, count);
        return new Decision(used <= limit, limit, Math.max(0, limit - used), reset);
    }

    @Override
    public void close() {
        redis.close();
    }

    /** The URL without a password. */
    static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
