package dev.ragkit.cache.redis;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.budget.BudgetPeriod;
import dev.ragkit.core.budget.BudgetUnit;
import dev.ragkit.core.budget.BudgetWindow;
import dev.ragkit.core.budget.LimitCheck;
import dev.ragkit.core.budget.Reservation;
import dev.ragkit.core.budget.SharedBudgetStore;
import dev.ragkit.core.budget.WindowUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Budget usage in Redis ({@code rag.budget.store=redis}), shared by every replica that names the same
 * server and key prefix: their reservations are checked and held by one Lua script each, which Redis runs
 * atomically, so requests of different processes racing for the last tokens cannot all pass.
 *
 * <p>Keys, all in one cluster slot ({@code {prefix}}):
 * <ul>
 *   <li>{@code {prefix}:w:<period>:<window-start>:<scope>}: a hash of one window's charged tokens and
 *       cost and the tokens and cost held by in-flight reservations ({@code t c ht hc}); it expires
 *       (PEXPIREAT) an hour after the window ends, so minute, day and month windows clean themselves up</li>
 *   <li>{@code {prefix}:hold:<id>}: one in-flight reservation (amounts and the windows it holds on), listed
 *       in the sorted set {@code {prefix}:holds} by the time it lapses: a hold whose process died without
 *       settling it is dropped by the next reservation after the hold timeout</li>
 * </ul>
 * Counts survive a Redis restart as far as the server persists them (append-only file, or RDB snapshots).
 *
 * <p>Failures are thrown as retriable {@link RagBackendException}s; the core's {@code Budget} counts
 * them and counts in the process until Redis answers again. The password is never part of a message or
 * {@link #toString()}.
 */
public final class RedisBudgetStore implements SharedBudgetStore {
    /** How long after a window's end its hash is kept: settles of requests that ran across the end still find it. */
    private static final long WINDOW_GRACE_MILLIS = Duration.ofHours(1).toMillis();
    private static final Script RESERVE = Script.load("budget-reserve.lua");
    private static final Script EXTEND = Script.load("budget-extend.lua");
    private static final Script SETTLE = Script.load("budget-settle.lua");

    private final RedisClient client;
    private final String where;
    private final String prefix;
    private final String holds;
    private final String holdPrefix;
    private final long holdTimeoutMillis;
    private final Clock clock;

    private RedisBudgetStore(Builder b) {
        this.prefix = "{" + b.keyPrefix + "}:";
        this.holds = prefix + "holds";
        this.holdPrefix = prefix + "hold:";
        this.holdTimeoutMillis = b.holdTimeout.toMillis();
        this.clock = b.clock;
        RedisClients.Connection connection = RedisClients.open(b.url, b.password, b.timeout, b.poolSize, "ragkit-budget");
        this.client = connection.client();
        this.where = connection.where();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link RedisBudgetStore}. */
    public static final class Builder {
        private String url;
        private String password;
        private String keyPrefix = "ragkit:budget";
        private Duration timeout = Duration.ofMillis(250);
        private int poolSize = 16;
        private Duration holdTimeout = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();

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

        /** Prefix of every key, {@code ragkit:budget} by default: replicas sharing a budget share it. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Connect, read and pool-wait timeout, 250 ms by default: past it the budget counts in the process
         * rather than keep the question waiting.
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

        /**
         * How long a reservation may stay unsettled before its hold lapses, 10 minutes by default: longer
         * than any generation, short enough that a crashed replica's holds come back soon.
         */
        public Builder holdTimeout(Duration holdTimeout) {
            this.holdTimeout = holdTimeout;
            return this;
        }

        /** The clock holds lapse by (tests step it); the system's UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A store; no connection is made until the first reservation, so a server that is down at start only
         * means counting in the process.
         *
         * @throws RagConfigurationException listing every bad setting
         */
        public RedisBudgetStore build() {
            List<String> problems = new ArrayList<>();
            String urlProblem = RedisCacheBackend.urlProblem(url);
            if (urlProblem != null) {
                problems.add("rag.budget.redis.url was '" + RedisCacheBackend.redact(url) + "' but it " + urlProblem);
            }
            if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")
                    || keyPrefix.contains(" ")) {
                problems.add("rag.budget.redis.key-prefix was '" + keyPrefix
                        + "' but it must be non-blank, without braces or spaces");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                problems.add("rag.budget.redis.timeout was '" + timeout + "' but it must be a positive duration");
            }
            if (poolSize < 1) {
                problems.add("rag.budget.redis.pool-size was " + poolSize + " but it must be >= 1");
            }
            if (holdTimeout == null || holdTimeout.toMillis() < 1000) {
                problems.add("rag.budget.redis.hold-timeout was '" + holdTimeout + "' but it must be at least 1s");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new RedisBudgetStore(this);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Verdict reserve(String holdId, List<LimitCheck> checks, List<BudgetWindow> holdOn, long tokens, double cost) {
        checkId(holdId);
        List<String> keys = new ArrayList<>();
        keys.add(holds);
        keys.add(holdPrefix + holdId);
        List<String> args = new ArrayList<>();
        long now = clock.millis();
        args.add(Long.toString(now));
        args.add(holdPrefix);
        args.add(Long.toString(tokens));
        args.add(Double.toString(cost));
        args.add(Long.toString(now + holdTimeoutMillis));
        args.add(Integer.toString(holdOn.size()));
        for (BudgetWindow w : holdOn) {
            keys.add(windowKey(w));
            args.add(Long.toString(expireAtMillis(w)));
        }
        args.add(Integer.toString(checks.size()));
        for (LimitCheck check : checks) {
            int index = holdOn.indexOf(check.window());
            if (index < 0) {
                throw new IllegalArgumentException("limit window " + check.window() + " is not one of the held windows");
            }
            args.add(Integer.toString(index + 1));
            args.add(check.unit() == BudgetUnit.TOKENS ? "t" : "c");
            args.add(Double.toString(check.soft()));
            args.add(Double.toString(check.hard()));
        }
        List<String> out = run(RESERVE, keys, args, "reserving budget");
        Reservation.Level level = Reservation.Level.values()[Integer.parseInt(out.get(0))];
        int worst = Integer.parseInt(out.get(1));
        return new Verdict(level, worst, usages(holdOn, out, 2));
    }

    @Override
    public void extend(String holdId, long tokens, double cost) {
        checkId(holdId);
        run(EXTEND, List.of(holdPrefix + holdId), List.of(Long.toString(tokens), Double.toString(cost)),
                "extending a budget hold");
    }

    @Override
    public List<WindowUsage> settle(String holdId, List<BudgetWindow> chargeTo, long tokens, double cost) {
        if (holdId != null) {
            checkId(holdId);
        }
        List<String> keys = new ArrayList<>();
        keys.add(holds);
        // no hold: a key no reservation ever gets (ids have no spaces), so the release finds nothing
        keys.add(holdPrefix + (holdId == null ? " none" : holdId));
        List<String> args = new ArrayList<>();
        args.add(holdId == null ? " none" : holdId);
        args.add(Long.toString(tokens));
        args.add(Double.toString(cost));
        for (BudgetWindow w : chargeTo) {
            keys.add(windowKey(w));
            args.add(Long.toString(expireAtMillis(w)));
        }
        return usages(chargeTo, run(SETTLE, keys, args, "charging budget usage"), 0);
    }

    @Override
    public List<WindowUsage> usage(List<BudgetWindow> windows) {
        List<WindowUsage> usages = new ArrayList<>(windows.size());
        try {
            for (BudgetWindow w : windows) {
                List<String> v = client.hmget(windowKey(w), "t", "c", "ht", "hc");
                usages.add(new WindowUsage(w, (long) number(v.get(0)), number(v.get(1)), (long) number(v.get(2)),
                        number(v.get(3))));
            }
        } catch (JedisException e) {
            throw failure("reading budget usage", e);
        }
        return usages;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "RedisBudgetStore[" + where + ", prefix " + prefix + "]";
    }

    /** The hash of one window: period and start first, so one period's windows sort together in a SCAN. */
    String windowKey(BudgetWindow w) {
        return prefix + "w:" + w.period().label() + ":" + w.start() + ":" + w.scopeKey();
    }

    private static long expireAtMillis(BudgetWindow w) {
        return w.end() * 1000 + WINDOW_GRACE_MILLIS;
    }

    private static void checkId(String holdId) {
        if (holdId == null || holdId.isEmpty() || holdId.contains(" ")) {
            throw new IllegalArgumentException("hold id was '" + holdId + "' but it must be non-empty without spaces");
        }
    }

    private static List<WindowUsage> usages(List<BudgetWindow> windows, List<String> out, int offset) {
        List<WindowUsage> usages = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            int at = offset + 4 * i;
            usages.add(new WindowUsage(windows.get(i), (long) number(out.get(at)), number(out.get(at + 1)),
                    (long) number(out.get(at + 2)), Math.max(0, number(out.get(at + 3)))));
        }
        return usages;
    }

    private static double number(String value) {
        return value == null ? 0 : Double.parseDouble(value);
    }

    /** Runs {@code script} by its SHA-1, loading it on the first call to a server that does not know it. */
    private List<String> run(Script script, List<String> keys, List<String> args, String what) {
        Object reply;
        try {
            try {
                reply = client.evalsha(script.sha, keys, args);
            } catch (JedisNoScriptException e) {
                reply = client.eval(script.text, keys, args);
            }
        } catch (JedisException e) {
            throw failure(what, e);
        }
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> list) {
            for (Object o : list) {
                out.add(o instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(o));
            }
        } else {
            out.add(String.valueOf(reply));
        }
        return out;
    }

    private RagBackendException failure(String what, JedisException e) {
        return RagBackendException.retriable("redis budget store", what + " on " + where + " failed: " + e.getMessage(), e);
    }

    /** A Lua script (the common functions, then its body) and its SHA-1, as EVALSHA names it. */
    private record Script(String text, String sha) {
        static Script load(String resource) {
            String text = read("budget-common.lua") + "\n" + read(resource);
            try {
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(text, HexFormat.of().formatHex(sha));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM must provide SHA-1", e);
            }
        }

        private static String read(String resource) {
            try (InputStream in = RedisBudgetStore.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from rag-cache-redis's jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
    }
}
