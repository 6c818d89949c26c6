package dev.ragkit.llm.http;

import dev.ragkit.core.config.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads the provider keys every HTTP adapter shares (timeouts, retries and backoff, and for
 * embedders the dimension, batch size and prefixes) onto the adapter's builder, recording problems on
 * the config rather than throwing, so that all problems are reported at once.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class ProviderSettings {
    private ProviderSettings() {
    }

    /**
     * Maps the keys every HTTP adapter shares onto {@code builder}, recording problems on
     * {@code config} in this order: for embedders {@code dimension} (at least 1; probed when absent),
     * {@code batch-size} (at least 1), {@code document-prefix} and {@code query-prefix}; then
     * {@code connect-timeout}, {@code first-token-timeout} (chat clients only) and
     * {@code total-timeout} (each a duration longer than 0; when absent the builder's default stays);
     * then {@link #retries retries, backoff, max-backoff and max-retry-after}.
     */
    public static void applyCommonKeys(ProviderConfig config, HttpClientBuilder<?> builder) {
        if (builder instanceof EmbedderClientBuilder<?> embedder) {
            if (config.raw("dimension").isPresent()) {
                int d = config.integer("dimension", 0);
                if (d < 1) {
                    config.problem("dimension", d, "must be >= 1");
                }
                embedder.dimension(d);
            }
            int batch = config.integer("batch-size", 32);
            if (batch < 1) {
                config.problem("batch-size", batch, "must be >= 1");
            }
            embedder.batchSize(batch);
            embedder.documentPrefix(config.string("document-prefix", null));
            embedder.queryPrefix(config.string("query-prefix", null));
        }
        ifPresent(config, "connect-timeout", builder::connectTimeout);
        if (builder instanceof ChatClientBuilder<?> chat) {
            ifPresent(config, "first-token-timeout", chat::firstTokenTimeout);
        }
        ifPresent(config, "total-timeout", builder::totalTimeout);
        retries(config, builder::retries, builder::backoff, builder::maxRetryAfter);
    }

    /** Hands the duration under {@code key} to {@code setter} when it is set and longer than 0. */
    private static void ifPresent(ProviderConfig config, String key, Consumer<Duration> setter) {
        Duration d = config.duration(key, null); // null when absent, or unreadable (a problem already)
        if (d == null) {
            return;
        }
        if (d.isZero() || d.isNegative()) {
            config.problem(key, config.raw(key).orElse(""), "must be longer than 0");
            return;
        }
        setter.accept(d);
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
