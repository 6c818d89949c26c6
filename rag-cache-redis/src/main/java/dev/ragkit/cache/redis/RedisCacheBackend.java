package dev.ragkit.cache.redis;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.cache.CacheBackend;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.cache.CacheLookup;
import dev.ragkit.core.cache.CacheRegion;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The query caches in Redis, shared by every replica that names the same server and key prefix: one
 * replica's embedding or search serves the others, and one replica's ingest (which advances the shared
 * write generation) invalidates everyone's cached results.
 *
 * <p>Keys: {@code {prefix}:gen} holds the write generation (INCR); {@code {prefix}:embeddings:<sha-256>}
 * and {@code {prefix}:results:<sha-256>} hold an entry (the generation it was written at, then the value)
 * with the region's time-to-live (PX). A results lookup is one MGET of the generation and the entry, so
 * a cache hit costs one round trip; the braces keep both keys in one cluster slot. Entries are bounded
 * by their time-to-live; the number of entries is the server's to bound ({@code maxmemory} with an
 * {@code allkeys-lru} or {@code volatile-lru} policy), since counting keys per region would cost a
 * round trip per write.
 *
 * <p>Failures are thrown as retriable {@link RagBackendException}s; the core's {@code QueryCaches}
 * counts them and answers without the cache. The password is never part of a message or {@link #toString()}.
 */
public final class RedisCacheBackend implements CacheBackend {
    private final RedisClient client;
    private final String where;
    private final byte[] generationKey;
    private final String prefix;
    private final CacheLimits limits;

    private RedisCacheBackend(Builder b) {
        this.limits = b.limits;
        this.prefix = "{" + b.keyPrefix + "}:";
        this.generationKey = (prefix + "gen").getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(b.url);
        String user = null;
        String password = b.password;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String urlUser = decode(colon < 0 ? info : info.substring(0, colon));
            user = urlUser.isEmpty() ? null : urlUser;
            if (password == null && colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        boolean tls = uri.getScheme().equalsIgnoreCase("rediss");
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        int database = uri.getPath() != null && uri.getPath().length() > 1 ? Integer.parseInt(uri.getPath().substring(1)) : 0;
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, b.timeout.toMillis()));
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().resp2().ssl(tls).database(database)
                .clientName("ragkit-cache").connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis);
        if (user != null) {
            config.user(user);
        }
        if (password != null) {
            config.password(password);
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(b.poolSize);
        pool.setMaxIdle(b.poolSize);
        pool.setMinIdle(0);
        // a question never waits long for a cache connection: past the timeout it is answered without one
        pool.setMaxWait(b.timeout);
        this.where = (tls ? "rediss://" : "redis://") + uri.getHost() + ":" + port + (database == 0 ? "" : "/" + database);
        this.client = RedisClient.builder().hostAndPort(uri.getHost(), port).clientConfig(config.build()).poolConfig(pool)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link RedisCacheBackend}. */
    public static final class Builder {
        private String url;
        private String password;
        private String keyPrefix = "ragkit:cache";
        private Duration timeout = Duration.ofMillis(250);
        private int poolSize = 16;
        private CacheLimits limits = CacheLimits.DEFAULTS;

        private Builder() {
        }

        /** {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS; required. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** The password, when it is not in the URL (e.g. resolved from a secret store). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Prefix of every key, {@code ragkit:cache} by default. Replicas serving one index share it; hosts
         * serving different indexes on one server may share it too (keys name the store and version), but
         * then an ingest into either invalidates both.
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Connect, read and pool-wait timeout, 250 ms by default: a cache slower than that costs more than
         * it saves, and the question is answered without it.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Connections at most, 16 by default. */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** The regions' time-to-live (their entry counts are the server's to bound); the core's defaults otherwise. */
        public Builder limits(CacheLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * A backend; no connection is made until the first lookup, so a server that is down at start only
         * means answering without the cache.
         *
         * @throws RagConfigurationException listing every bad setting
         */
        public RedisCacheBackend build() {
            List<String> problems = new ArrayList<>();
            String urlProblem = urlProblem(url);
            if (urlProblem != null) {
                problems.add("rag.cache.redis.url was '" + redact(url) + "' but it " + urlProblem);
            }
            if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
                problems.add("rag.cache.redis.key-prefix was '" + keyPrefix + "' but it must be non-blank, without braces");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                problems.add("rag.cache.redis.timeout was '" + timeout + "' but it must be a positive duration");
            }
            if (poolSize < 1) {
                problems.add("rag.cache.redis.pool-size was " + poolSize + " but it must be >= 1");
            }
            Objects.requireNonNull(limits, "limits");
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new RedisCacheBackend(this);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public CacheLookup get(CacheRegion region, String key) {
        byte[] entryKey = entryKey(region, key);
        try {
            if (!region.followsWrites()) {
                byte[] entry = client.get(entryKey);
                return entry == null || entry.length < Long.BYTES ? CacheLookup.miss(0) : CacheLookup.hit(payload(entry), 0);
            }
            List<byte[]> found = client.mget(generationKey, entryKey);
            long generation = found.get(0) == null ? 0 : Long.parseLong(new String(found.get(0), StandardCharsets.US_ASCII));
            byte[] entry = found.get(1);
            if (entry == null || entry.length < Long.BYTES || ByteBuffer.wrap(entry).getLong() != generation) {
                return CacheLookup.miss(generation);
            }
            return CacheLookup.hit(payload(entry), generation);
        } catch (JedisException e) {
            throw failure("reading the " + region.label() + " cache", e);
        }
    }

    @Override
    public void put(CacheRegion region, String key, byte[] value, long generation) {
        byte[] entry = ByteBuffer.allocate(Long.BYTES + value.length).putLong(generation).put(value).array();
        try {
            client.set(entryKey(region, key), entry, SetParams.setParams().px(limits.of(region).ttl().toMillis()));
        } catch (JedisException e) {
            throw failure("writing the " + region.label() + " cache", e);
        }
    }

    @Override
    public void advanceGeneration() {
        try {
            client.incr(generationKey);
        } catch (JedisException e) {
            throw failure("advancing the cache's write generation", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "RedisCacheBackend[" + where + ", prefix " + prefix + "]";
    }

    private byte[] entryKey(CacheRegion region, String key) {
        return (prefix + region.label() + ":" + key).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] payload(byte[] entry) {
        byte[] value = new byte[entry.length - Long.BYTES];
        System.arraycopy(entry, Long.BYTES, value, 0, value.length);
        return value;
    }

    private RagBackendException failure(String what, JedisException e) {
        return RagBackendException.retriable("redis cache", what + " on " + where + " failed: " + e.getMessage(), e);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Why {@code url} is not a usable Redis URL, or null. */
    static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "must be set to a redis:// or rediss:// URL";
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("redis") || uri.getScheme().equalsIgnoreCase("rediss"))) {
                return "must be a redis:// or rediss:// URL";
            }
            if (uri.getHost() == null) {
                return "must name a host";
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1 && !path.substring(1).matches("\\d{1,5}")) {
                return "must end with a database number (/0), if anything";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a URL (" + e.getReason() + ")";
        }
    }

    /** {@code url} without its password, for messages. */
    static String redact(String url) {
        if (url == null) {
            return "";
        }
        int at = url.indexOf('@');
        int scheme = url.indexOf("://");
        if (at < 0 || scheme < 0 || at < scheme) {
            return url;
        }
        String info = url.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        return colon < 0 ? url : url.substring(0, scheme + 3) + info.substring(0, colon) + ":****" + url.substring(at);
    }
}
