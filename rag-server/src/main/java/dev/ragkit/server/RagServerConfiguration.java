package dev.ragkit.server;

import dev.ragkit.core.Ragkit;
import dev.ragkit.server.internal.ApiFilter;
import dev.ragkit.server.internal.IngestionJobs;
import dev.ragkit.server.internal.LocalRateLimiter;
import dev.ragkit.server.internal.Principal;
import dev.ragkit.server.internal.RateLimiter;
import dev.ragkit.server.internal.RedisRateLimiter;
import dev.ragkit.server.internal.TokenAuthenticator;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The server's parts: tokens, rate limiter, the API filter, ingestion jobs and the streaming pool. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RagServerProperties.class)
public class RagServerConfiguration {
    /** Threads streaming answers at once; more streams wait in a queue of the same size, then get 503. */
    static final int STREAM_THREADS = 32;

    @Bean
    @ConditionalOnMissingBean
    Clock ragkitServerClock() {
        return Clock.systemUTC();
    }

    /**
     * The configured tokens; with none, one random token with every scope, printed once on standard output (not in
     * the log) so that the server is never open.
     */
    @Bean
    TokenAuthenticator tokenAuthenticator(RagServerProperties settings) {
        if (!settings.getTokens().isEmpty()) {
            return TokenAuthenticator.of(settings.getTokens());
        }
        String token = TokenAuthenticator.randomToken();
        RagServerProperties.Token generated = new RagServerProperties.Token();
        generated.setName("generated");
        generated.setHash(TokenAuthenticator.hashOf(token));
        generated.setScopes(List.copyOf(new java.util.TreeSet<>(Principal.ALL_SCOPES)));
        PrintStream out = System.out;
        out.println("ragkit serve: no token is configured (ragkit.server.tokens), so this run accepts one generated"
                + " token with every scope. It is shown once:");
        out.println();
        out.println("    Authorization: Bearer " + token);
        out.println();
        out.flush();
        return TokenAuthenticator.of(List.of(generated));
    }

    @Bean(destroyMethod = "close")
    RateLimiter ragkitRateLimiter(RagServerProperties settings, Clock clock) {
        RagServerProperties.RateLimit limits = settings.getRateLimit();
        if (limits.getRequestsPerMinute() < 1) {
            throw new IllegalArgumentException("ragkit.server.rate-limit.requests-per-minute was "
                    + limits.getRequestsPerMinute() + " but it must be >= 1");
        }
        String redis = limits.getRedisUrl();
        return redis == null || redis.isBlank() ? new LocalRateLimiter(clock, limits.getWindow())
                : new RedisRateLimiter(redis, clock, limits.getWindow());
    }

    @Bean
    FilterRegistrationBean<ApiFilter> ragkitApiFilter(TokenAuthenticator tokens, RateLimiter limiter,
            RagServerProperties settings, JsonMapper json) {
        FilterRegistrationBean<ApiFilter> registration = new FilterRegistrationBean<>(
                new ApiFilter(tokens, limiter, settings, json));
        registration.addUrlPatterns("/v1/*");
        registration.setOrder(0);
        return registration;
    }

    @Bean(destroyMethod = "close")
    IngestionJobs ingestionJobs(Ragkit ragkit, RagServerProperties settings, JsonMapper json, Clock clock) {
        RagServerProperties.Ingest ingest = settings.getIngest();
        return new IngestionJobs(ragkit.ingestor(), ragkit.store(), ingest.getJobsDirectory(), ingest.getWorkers(),
                ingest.getQueueCapacity(), json, clock);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService ragkitStreams() {
        AtomicInteger threads = new AtomicInteger();
        return new ThreadPoolExecutor(STREAM_THREADS, STREAM_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(STREAM_THREADS), r -> {
                    Thread t = new Thread(r, "ragkit-stream-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }
}
