package dev.ragkit.llm.http;

import dev.ragkit.core.config.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads the provider keys every HTTP adapter shares ({@code retries}, {@code backoff},
 * {@code max-backoff}, {@code max-retry-after}, the timeouts), recording problems on the config
 * rather than throwing, so that all problems are reported at once.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class ProviderSettings {
    private ProviderSettings() {
    }

    /** Whether {@code url} is an absolute http or https URL with a host. */
    public static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /**
     * The duration under {@code key}, {@code defaultValue} when absent; zero or negative is a problem
     * (and {@code defaultValue} is returned so that reading can go on).
     */
    public static Duration positive(ProviderConfig config, String key, Duration defaultValue) {
        Duration d = config.duration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            config.problem(key, config.raw(key).orElse(""), "must be longer than 0");
            return defaultValue;
        }
        return d;
    }

    /**
     * Reads {@code retries} (0 to 10, default 2), {@code backoff} (500ms) and {@code max-backoff}
     * (8s, not shorter than {@code backoff}) and {@code max-retry-after} (30s), handing each to the
     * adapter's builder.
     */
    public static void retries(ProviderConfig config, IntConsumer retries, BiConsumer<Duration, Duration> backoff,
                               Consumer<Duration> maxRetryAfter) {
        int n = config.integer("retries", 2);
        if (n < 0 || n > 10) {
            config.problem("retries", n, "must be between 0 and 10");
            n = 2;
        }
        retries.accept(n);
        Duration initial = config.duration("backoff", Duration.ofMillis(500));
        Duration max = config.duration("max-backoff", Duration.ofSeconds(8));
        if (max.compareTo(initial) < 0) {
            config.problem("max-backoff", config.raw("max-backoff").orElse(max.toString()),
                    "must not be shorter than backoff (" + initial.toMillis() + " ms)");
            max = initial;
        }
        backoff.accept(initial, max);
        maxRetryAfter.accept(config.duration("max-retry-after", Duration.ofSeconds(30)));
    }
}
