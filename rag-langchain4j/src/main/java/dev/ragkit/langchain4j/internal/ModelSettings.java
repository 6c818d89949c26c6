package dev.ragkit.langchain4j.internal;

import dev.ragkit.core.config.ProviderConfig;
import java.net.URI;
import java.time.Duration;

/** The keys every LangChain4j-backed provider reads, checked once; problems are collected on the config. */
final class ModelSettings {
    final String baseUrl;
    final String model;
    final Duration timeout;
    final int maxRetries;

    private ModelSettings(String baseUrl, String model, Duration timeout, int maxRetries) {
        this.baseUrl = baseUrl;
        this.model = model;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
    }

    /**
     * {@code base-url}, {@code model} (required), {@code timeout} (LangChain4j's one timeout, connect and
     * read) and {@code max-retries} (LangChain4j's own retry loop, which has no backoff control: 0 by
     * default, leaving retries to Ragkit's fallback chain).
     */
    static ModelSettings read(ProviderConfig config, String defaultBaseUrl) {
        String baseUrl = config.string("base-url", defaultBaseUrl);
        try {
            URI uri = URI.create(baseUrl);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                config.problem("base-url", baseUrl, "must be an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            config.problem("base-url", baseUrl, "must be an http:// or https:// URL");
        }
        String model = config.required("model");
        Duration timeout = config.duration("timeout", Duration.ofSeconds(60));
        if (timeout.isZero() || timeout.isNegative()) {
            config.problem("timeout", config.raw("timeout").orElse(timeout.toString()), "must be positive");
        }
        int maxRetries = config.integer("max-retries", 0);
        if (maxRetries < 0) {
            config.problem("max-retries", maxRetries, "must be >= 0");
        }
        return new ModelSettings(baseUrl, model, timeout, maxRetries);
    }

    /** {@code temperature} in [0, 2], or null when unset (the server's default). */
    static Double temperature(ProviderConfig config) {
        if (config.raw("temperature").isEmpty()) {
            return null;
        }
        double t = config.decimal("temperature", 0.8);
        if (t < 0 || t > 2) {
            config.problem("temperature", t, "must be in [0, 2]");
        }
        return t;
    }

    /** {@code stream-timeout} and {@code stream-idle-timeout}, the deadlines this module adds to streaming. */
    static Duration positive(ProviderConfig config, String key, Duration defaultValue) {
        Duration d = config.duration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            config.problem(key, config.raw(key).orElse(d.toString()), "must be positive");
        }
        return d;
    }
}
