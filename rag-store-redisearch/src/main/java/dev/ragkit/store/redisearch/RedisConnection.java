package dev.ragkit.store.redisearch;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One pooled jedis client and the policy around it: retries with exponential backoff when the connection
 * is lost (every operation the store retries is idempotent), and errors that say what is wrong. The
 * password is never part of a message, a log line or {@link #toString()}.
 */
final class RedisConnection implements AutoCloseable {
    static final String BACKEND = "redisearch";
    static final String NO_QUERY_ENGINE = "this Redis has no query engine; use Redis Stack or Redis 8 with modules";

    private final RedisClient client;
    private final String where;
    private final int retries;
    private final Duration backoff;

    private RedisConnection(RedisClient client, String where, int retries, Duration backoff) {
        this.client = client;
        this.where = where;
        this.retries = retries;
        this.backoff = backoff;
    }

    /** Connection settings; the URL's user and password are used unless given separately. */
    record Settings(String url, String user, String password, Duration connectTimeout, Duration socketTimeout,
                    int poolSize, int retries, Duration retryBackoff) {
        Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(socketTimeout, "socketTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
        }

        @Override
        public String toString() {
            return "Settings[url=" + redact(url) + ", user=" + user + ", password=" + (password == null ? "none" : "****")
                    + ", pool=" + poolSize + "]";
        }
    }

    /** The URL without its password, for messages. */
    static String redact(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            String user = uri.getRawUserInfo().contains(":") ? uri.getRawUserInfo().substring(0,
                    uri.getRawUserInfo().indexOf(':')) : uri.getRawUserInfo();
            return uri.getScheme() + "://" + (user.isEmpty() ? "" : user) + ":****@" + uri.getHost()
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (URISyntaxException e) {
            return "(a URL that does not parse)";
        }
    }

    /** Checks a URL the way {@link #open} reads it; the problem in words, or null when it is usable. */
    static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "must be a redis:// or rediss:// URL, e.g. redis://localhost:6379";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                return "must be a redis:// or rediss:// URL, e.g. redis://localhost:6379";
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                return "has no host: it must look like redis://host:port";
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                Integer.parseInt(path.substring(1));
            }
            return null;
        } catch (URISyntaxException e) {
            return "does not parse as a URL (" + e.getReason() + ")";
        } catch (NumberFormatException e) {
            return "has a path that is not a database number (redis://host:port/0)";
        }
    }

    static RedisConnection open(Settings s) {
        String problem = urlProblem(s.url());
        if (problem != null) {
            throw new RagConfigurationException("rag.store.redisearch.url was '" + redact(s.url()) + "' but it " + problem);
        }
        URI uri = URI.create(s.url());
        boolean tls = uri.getScheme().equalsIgnoreCase("rediss");
        String user = s.user();
        String password = s.password();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String urlUser = decode(colon < 0 ? info : info.substring(0, colon));
            String urlPassword = colon < 0 ? null : decode(info.substring(colon + 1));
            if (user == null && !urlUser.isEmpty()) {
                user = urlUser;
            }
            if (password == null) {
                password = urlPassword;
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        int database = uri.getPath() != null && uri.getPath().length() > 1 ? Integer.parseInt(uri.getPath().substring(1)) : 0;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .resp2()
                .ssl(tls)
                .database(database)
                .clientName("ragkit")
                .connectionTimeoutMillis(millis(s.connectTimeout()))
                .socketTimeoutMillis(millis(s.socketTimeout()));
        if (user != null) {
            config.user(user);
        }
        if (password != null) {
            config.password(password);
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(s.poolSize());
        pool.setMaxIdle(s.poolSize());
        pool.setMinIdle(0);
        pool.setTestOnBorrow(false);
        pool.setMaxWait(s.socketTimeout().plus(s.connectTimeout()));
        String where = (tls ? "rediss://" : "redis://") + uri.getHost() + ":" + port + (database == 0 ? "" : "/" + database)
                + (user == null ? "" : " as user '" + user + "'");
        RedisClient client = RedisClient.builder()
                .hostAndPort(uri.getHost(), port)
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
        return new RedisConnection(client, where, s.retries(), s.retryBackoff());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Where this connects, for messages: scheme, host, port, database and user, never the password. */
    String where() {
        return where;
    }

    RedisClient client() {
        return client;
    }

    /**
     * Runs an idempotent operation, retrying it after a lost connection (backoff doubling from the
     * configured one), and turns failures into Ragkit's typed errors.
     *
     * @param what the operation in words, for messages (e.g. {@code "FT.SEARCH on idx:docs"})
     */
    <T> T call(String what, Function<RedisClient, T> operation) {
        long sleep = backoff.toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                return operation.apply(client);
            } catch (JedisAccessControlException e) {
                throw RagBackendException.permanent(BACKEND, "Redis at " + where + " refused the credentials ("
                        + firstLine(e) + "): check rag.store.redisearch.user and rag.store.redisearch.password (or the"
                        + " URL's user:password)", null);
            } catch (JedisConnectionException e) {
                if (authFailure(e)) {
                    throw RagBackendException.permanent(BACKEND, "Redis at " + where + " refused the credentials ("
                            + firstLine(e) + "): check rag.store.redisearch.user and rag.store.redisearch.password"
                            + " (or the URL's user:password)", null);
                }
                if (attempt >= retries) {
                    throw RagBackendException.retriable(BACKEND, what + " failed: lost or could not open the connection"
                            + " to Redis at " + where + " after " + (attempt + 1) + " attempt(s) (" + firstLine(e) + ")", e);
                }
                sleepQuietly(sleep);
                sleep = Math.min(sleep * 2, 5_000);
            } catch (JedisDataException e) {
                throw dataError(what, e);
            } catch (JedisException e) {
                // e.g. no pooled connection free within the timeouts: worth retrying later, not here.
                throw RagBackendException.retriable(BACKEND, what + " failed on Redis at " + where + ": " + firstLine(e), e);
            }
        }
    }

    private static boolean authFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof JedisAccessControlException || m.startsWith("WRONGPASS") || m.startsWith("NOAUTH")
                    || m.contains("invalid username-password")) {
                return true;
            }
        }
        return false;
    }

    /** A server error reply, with the query engine's absence and authentication named. */
    RagBackendException dataError(String what, JedisDataException e) {
        String message = firstLine(e);
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("unknown command") && lower.contains("ft.")) {
            String command = what.contains(" ") ? what.substring(0, what.indexOf(' ')) : what;
            return RagBackendException.permanent(BACKEND, command + " unknown command: " + NO_QUERY_ENGINE
                    + " (Redis at " + where + " answered: " + message + ")", null);
        }
        if (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("NOPERM")) {
            return RagBackendException.permanent(BACKEND, what + " was refused by Redis at " + where + " (" + message
                    + "): check rag.store.redisearch.user and rag.store.redisearch.password and the user's ACL", null);
        }
        boolean busy = message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN");
        return busy ? RagBackendException.retriable(BACKEND, what + " failed on Redis at " + where + ": " + message, e)
                : RagBackendException.permanent(BACKEND, what + " failed on Redis at " + where + ": " + message, e);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RagBackendException.retriable(BACKEND, "interrupted while waiting to retry", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "RedisConnection[" + where + "]";
    }
}
