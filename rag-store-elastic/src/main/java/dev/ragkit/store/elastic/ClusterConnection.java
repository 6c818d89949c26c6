package dev.ragkit.store.elastic;

import dev.ragkit.core.RagConfigurationException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an Elasticsearch or OpenSearch cluster: its URLs, credentials (an API key or a user name and
 * password), the CA certificate that signed its TLS certificate, timeouts and retries. Immutable; the
 * credentials never appear in {@link #toString()} or in any message.
 *
 * @param urls one or more {@code http://} or {@code https://} URLs of nodes of one cluster
 * @param apiKey the API key (the base64 {@code id:key} form the server hands out), or null
 * @param username a user for basic authentication, or null
 * @param password that user's password, or null
 * @param caFile a PEM file with the CA certificate to trust for {@code https://} URLs, or null for the JVM's
 *     trust store
 * @param connectTimeout how long to wait for a connection
 * @param socketTimeout how long to wait for an answer
 * @param retries how many times a failed call is tried again when trying again can help (429, 502, 503, 504,
 *     a connection reset or refused, a timeout)
 * @param backoff the wait before the first retry; it doubles at each retry, with jitter
 */
public record ClusterConnection(List<URI> urls, String apiKey, String username, String password, Path caFile,
                                Duration connectTimeout, Duration socketTimeout, int retries, Duration backoff) {
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default socket (answer) timeout. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** Default number of retries. */
    public static final int DEFAULT_RETRIES = 3;
    /** Default first backoff. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);

    public ClusterConnection {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(backoff, "backoff");
        List<String> problems = problems(urls, apiKey, username, password, caFile, connectTimeout, socketTimeout,
                retries, backoff);
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
    }

    /** A connection to one URL without credentials, with the default timeouts and retries. */
    public static ClusterConnection of(String url) {
        return builder().url(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API key, when one is set. */
    public Optional<String> apiKeyValue() {
        return Optional.ofNullable(apiKey);
    }

    /** Whether calls carry a user name and password. */
    public boolean basicAuth() {
        return username != null;
    }

    /** Whether any URL uses TLS. */
    public boolean tls() {
        return urls.stream().anyMatch(u -> "https".equals(u.getScheme()));
    }

    /** The URLs, for messages: {@code http://127.0.0.1:9200}. */
    public String describeUrls() {
        return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
    }

    /** How the connection authenticates, for messages: never the secret itself. */
    public String describeAuth() {
        if (apiKey != null) {
            return "an API key";
        }
        if (username != null) {
            return "user '" + username + "' with a password";
        }
        return "no credentials";
    }

    @Override
    public String toString() {
        return "ClusterConnection[urls=" + urls + ", auth=" + describeAuth() + (caFile != null ? ", caFile=" + caFile : "")
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout + ", retries=" + retries
                + ", backoff=" + backoff + "]";
    }

    private static List<String> problems(List<URI> urls, String apiKey, String username, String password, Path caFile,
                                         Duration connectTimeout, Duration socketTimeout, int retries, Duration backoff) {
        List<String> problems = new ArrayList<>();
        if (urls.isEmpty()) {
            problems.add("the cluster URL was not set but it is required, e.g. http://127.0.0.1:9200");
        }
        for (URI url : urls) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                problems.add("the cluster URL was '" + url + "' but it must be an http:// or https:// URL with a host");
            }
        }
        if (apiKey != null && apiKey.isBlank()) {
            problems.add("the API key was blank; leave it unset for no API key");
        }
        if (apiKey != null && username != null) {
            problems.add("both an API key and a user name were set; use one of them");
        }
        if ((username == null) != (password == null)) {
            problems.add(username == null ? "a password was set without a user name"
                    : "user '" + username + "' was set without a password");
        }
        if (caFile != null) {
            if (!Files.isRegularFile(caFile)) {
                problems.add("the CA file was '" + caFile + "' but no such file exists");
            }
            if (urls.stream().noneMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) {
                problems.add("a CA file was set but no URL uses https://");
            }
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            problems.add("the connect timeout was " + connectTimeout + " but it must be positive");
        }
        if (socketTimeout.isNegative() || socketTimeout.isZero()) {
            problems.add("the socket timeout was " + socketTimeout + " but it must be positive");
        }
        if (retries < 0) {
            problems.add("retries was " + retries + " but it must be >= 0");
        }
        if (backoff.isNegative()) {
            problems.add("the backoff was " + backoff + " but it must be >= 0");
        }
        return problems;
    }

    /** Builds a {@link ClusterConnection}; {@link #url(String)} is required. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private String apiKey;
        private String username;
        private String password;
        private Path caFile;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private Duration backoff = DEFAULT_BACKOFF;

        private Builder() {
        }

        /** Adds a node URL; call it again (or pass a comma-separated list) for several nodes. */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            for (String one : url.split(",")) {
                if (!one.isBlank()) {
                    try {
                        urls.add(URI.create(one.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new RagConfigurationException(List.of("the cluster URL was '" + one.trim()
                                + "' but it must be an http:// or https:// URL: " + e.getMessage()));
                    }
                }
            }
            return this;
        }

        /** Authenticates with an API key (the base64 form the server hands out). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Authenticates with a user name and password (basic authentication). */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Trusts the CA certificate in this PEM file for {@code https://} URLs. */
        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /** Retries of a call that failed in a way that trying again can help, and the first wait. */
        public Builder retries(int retries, Duration backoff) {
            this.retries = retries;
            this.backoff = backoff;
            return this;
        }

        public ClusterConnection build() {
            return new ClusterConnection(urls, apiKey, username, password, caFile, connectTimeout, socketTimeout,
                    retries, backoff);
        }
    }
}
