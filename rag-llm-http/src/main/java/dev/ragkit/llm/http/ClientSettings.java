package dev.ragkit.llm.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * The connection, timeout and retry settings every HTTP adapter has, checked when built. Each
 * adapter extends it (and its {@link Builder}) with its own fields (Ollama's keep-alive, a bearer
 * token); not final for that reason only.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public class ClientSettings {
    private final URI baseUrl;
    private final Duration connectTimeout;
    private final Duration firstTokenTimeout;
    private final Duration totalTimeout;
    private final boolean http2OverTls;
    private final RetryPolicy retryPolicy;

    /**
     * Checks and copies the builder's values.
     *
     * @throws IllegalArgumentException naming the first bad setting and its value
     */
    protected ClientSettings(Builder b) {
        this.baseUrl = parseBaseUrl(b.baseUrl, b.urlField, b.urlExample);
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.firstTokenTimeout = positive(b.firstTokenTimeout, "firstTokenTimeout");
        this.totalTimeout = positive(b.totalTimeout, "totalTimeout");
        this.http2OverTls = b.http2OverTls;
        this.retryPolicy = new RetryPolicy(b.retries, b.initialBackoff, b.maxBackoff, b.maxRetryAfter, b.sleeper,
                b.seed == null ? new Random() : new Random(b.seed));
    }

    /**
     * {@code value} as an absolute http(s) URI ending in {@code /}, so that relative paths resolve
     * below it.
     *
     * @param field the setting's name in the error message, e.g. {@code baseUrl}
     * @param example a valid value quoted in the error message
     * @throws IllegalArgumentException when {@code value} is missing or not an http(s) URL
     */
    public static URI parseBaseUrl(String value, String field, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " was " + (value == null ? "not set" : "''")
                    + " but it must be an http(s) URL such as " + example);
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an absolute http(s) URL");
            }
            String text = uri.toString();
            return URI.create(text.endsWith("/") ? text : text + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " was '" + value + "' but it must be an http(s) URL such as "
                    + example, e);
        }
    }

    private static Duration positive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " was " + value + " but it must be > 0");
        }
        return value;
    }

    /** The server's root, ending in {@code /}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code path} (relative, no leading slash) below {@link #baseUrl()}. */
    public URI resolve(String path) {
        return baseUrl.resolve(path);
    }

    /**
     * A new client with the connect timeout, never following redirects (a redirect would drop or
     * leak the credentials). HTTP/1.1, or HTTP/2 over TLS when the builder asked for it: plain http
     * stays on 1.1 to avoid an h2c upgrade attempt per request.
     */
    public HttpClient httpClient() {
        HttpClient.Version version = http2OverTls && "https".equals(baseUrl.getScheme()) ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1;
        return HttpClient.newBuilder().version(version).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Longest wait from sending a streaming request to its first line. */
    public Duration firstTokenTimeout() {
        return firstTokenTimeout;
    }

    /** Longest wait for one whole attempt. */
    public Duration totalTimeout() {
        return totalTimeout;
    }

    /** How failed attempts are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Collects the settings; defaults: connect 5 s, first token 60 s, total 300 s, 2 retries,
     * backoff 500 ms to 8 s, {@code Retry-After} honoured up to 30 s. Setters only store; checks
     * happen when the settings are built.
     */
    public static class Builder {
        private final String urlField;
        private final String urlExample;
        private String baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstTokenTimeout = Duration.ofSeconds(60);
        private Duration totalTimeout = Duration.ofSeconds(300);
        private boolean http2OverTls;
        private int retries = 2;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Duration maxRetryAfter = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Long seed;

        /**
         * @param urlField the name of the URL setting in error messages, e.g. {@code baseUrl}
         * @param urlExample a valid URL quoted when the URL is bad
         */
        protected Builder(String urlField, String urlExample) {
            this.urlField = Objects.requireNonNull(urlField, "urlField");
            this.urlExample = Objects.requireNonNull(urlExample, "urlExample");
        }

        /** The server's root URL; no default unless the adapter sets one. */
        public void baseUrl(String value) {
            baseUrl = value;
        }

        /** Limit on opening the connection. */
        public void connectTimeout(Duration value) {
            connectTimeout = value;
        }

        /** Limit from sending a streaming request to its first line. */
        public void firstTokenTimeout(Duration value) {
            firstTokenTimeout = value;
        }

        /** Limit on one whole attempt. */
        public void totalTimeout(Duration value) {
            totalTimeout = value;
        }

        /** Whether to offer HTTP/2 to https servers. */
        public void http2OverTls(boolean value) {
            http2OverTls = value;
        }

        /** Extra attempts per model after a transient failure. */
        public void retries(int value) {
            retries = value;
        }

        /** Exponential backoff bounds, before jitter. */
        public void backoff(Duration initial, Duration max) {
            initialBackoff = Objects.requireNonNull(initial, "initial backoff");
            maxBackoff = Objects.requireNonNull(max, "max backoff");
        }

        /** Longest {@code Retry-After} honoured. */
        public void maxRetryAfter(Duration value) {
            maxRetryAfter = Objects.requireNonNull(value, "maxRetryAfter");
        }

        /** How to wait between attempts. */
        public void sleeper(Sleeper value) {
            sleeper = Objects.requireNonNull(value, "sleeper");
        }

        /** Seed of the backoff jitter, for reproducible tests. */
        public void jitterSeed(long value) {
            seed = value;
        }
    }
}
