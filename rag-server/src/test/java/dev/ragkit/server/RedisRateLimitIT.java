package dev.ragkit.server;

import static dev.ragkit.server.ServerFixtures.QUERY_ONLY;
import static dev.ragkit.server.ServerFixtures.json;
import static dev.ragkit.server.ServerFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.server.ServerFixtures.Reply;
import dev.ragkit.testkit.servers.LocalRedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Two replicas sharing one real Redis (Debian's redis-server on a free loopback port) share one budget per token. */
class RedisRateLimitIT {
    @Test
    void replicasShareOneBudgetAndARedisOutageIs503(@TempDir Path work) {
        try (LocalRedisServer redis = LocalRedisServer.start(false)) {
            Map<String, Object> properties = new LinkedHashMap<>(ServerFixtures.tokenProperties());
            properties.put("ragkit.embedder", "words");
            properties.put("ragkit.server.rate-limit.requests-per-minute", "4");
            properties.put("ragkit.server.rate-limit.redis-url", redis.url());
            properties.put("ragkit.server.ingest.jobs-directory", work.resolve("jobs-1").toString());
            ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
            try (ConfigurableApplicationContext one = ServerFixtures.start(properties, ServerFixtures.FakeClock.class)) {
                properties.put("ragkit.server.ingest.jobs-directory", work.resolve("jobs-2").toString());
                try (ConfigurableApplicationContext two = ServerFixtures.start(properties, ServerFixtures.FakeClock.class)) {
                    int[] ports = {ServerFixtures.port(one), ServerFixtures.port(two)};
                    for (int i = 0; i < 4; i++) {
                        Reply ok = post(ports[i % 2], "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea")));
                        assertThat(ok.status()).isEqualTo(200);
                        assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
                    }
                    for (int port : ports) {
                        Reply limited = post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea")));
                        assertThat(limited.status()).isEqualTo(429);
                        assertThat(limited.header("Retry-After")).isEqualTo("60");
                    }
                    ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
                    assertThat(post(ports[1], "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea"))).status())
                            .isEqualTo(200);

                    redis.kill();
                    Reply down = post(ports[0], "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea")));
                    assertThat(down.status()).isEqualTo(503);
                    assertThat(down.problemType()).isEqualTo("backend-unavailable");
                    assertThat(down.header("Retry-After")).isEqualTo("1");
                }
            }
        }
    }
}
