package dev.ragkit.server;

import static dev.ragkit.server.ServerFixtures.ADMIN;
import static dev.ragkit.server.ServerFixtures.QUERY_ONLY;
import static dev.ragkit.server.ServerFixtures.TENANT_A;
import static dev.ragkit.server.ServerFixtures.awaitJob;
import static dev.ragkit.server.ServerFixtures.json;
import static dev.ragkit.server.ServerFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.Ragkit;
import dev.ragkit.server.ServerFixtures.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The in-process rate limit with a clock the test moves, and a bounded load test: concurrent clients over the
 * limit get only 200/202 or 429, never a 5xx, and every accepted document is stored.
 */
@SpringBootTest(classes = {RagServerApplication.class, ServerFixtures.Providers.class, ServerFixtures.FakeClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitTest {
    @LocalServerPort
    int port;

    @Autowired
    Ragkit ragkit;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path work = Files.createTempDirectory("ragkit-rate-test");
        registry.add("ragkit.embedder", () -> "words");
        registry.add("ragkit.server.ingest.jobs-directory", () -> work.resolve("jobs").toString());
        registry.add("ragkit.server.rate-limit.requests-per-minute", () -> "3");
        registry.add("ragkit.server.rate-limit.per-scope.ingest", () -> "20");
        ServerFixtures.tokenProperties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @Test
    void theFourthRequestOfAWindowIs429UntilTheWindowEnds() {
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            Reply ok = post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea")));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("3");
            assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
        }
        Reply limited = post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea")));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.problemType()).isEqualTo("rate-limited");
        // The fake clock stands 0.5 s into its minute: 59.5 s are left, rounded up.
        assertThat(limited.header("Retry-After")).isEqualTo("60");
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("RateLimit-Reset")).isEqualTo("60");
        // Another token has its own budget.
        assertThat(post(port, "/v1/retrieve", ADMIN, json(Map.of("query", "tea"))).status()).isEqualTo(200);
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofSeconds(59));
        assertThat(post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea"))).header("Retry-After"))
                .isEqualTo("1");
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofSeconds(1));
        assertThat(post(port, "/v1/retrieve", QUERY_ONLY, json(Map.of("query", "tea"))).status()).isEqualTo(200);
    }

    @Test
    void concurrentClientsOverTheLimitGetOnly2xxOr429AndNoAcceptedDocumentIsLost() throws Exception {
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
        int clients = 8;
        int perClient = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        List<String> jobIds = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    String id = "load-" + client + "-" + i;
                    Reply ingest = post(port, "/v1/ingest", TENANT_A, json(Map.of("documents", List.of(Map.of("id", id,
                            "text", "Load test document number " + i + " of client " + client + ".")))));
                    statuses.merge(ingest.status(), 1, Integer::sum);
                    if (ingest.status() == 202) {
                        accepted.add(id);
                        jobIds.add(ingest.json().get("id").stringValue());
                    }
                    Reply query = post(port, "/v1/retrieve", TENANT_A, json(Map.of("query", "load test")));
                    statuses.merge(query.status(), 1, Integer::sum);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // One window (the clock does not move): exactly the limits pass, the rest are refused, nothing fails.
        assertThat(statuses).containsOnlyKeys(200, 202, 429);
        assertThat(statuses.get(202)).isEqualTo(20);
        assertThat(statuses.get(200)).isEqualTo(3);
        assertThat(statuses.get(429)).isEqualTo(2 * clients * perClient - 23);
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
        for (String job : jobIds) {
            // Polling counts against the ingest budget: a new window per 19 polls.
            assertThat(awaitJobAcrossWindows(job)).isEqualTo("succeeded");
        }
        Set<String> stored = ragkit.ingestor().storedDocumentIds(null);
        assertThat(stored).containsAll(accepted);
        assertThat(stored.stream().filter(id -> id.startsWith("load-"))).hasSize(20);
    }

    private String awaitJobAcrossWindows(String id) {
        ServerFixtures.FakeClock.CLOCK.advance(Duration.ofMinutes(1));
        return awaitJob(port, TENANT_A, id).get("state").stringValue();
    }
}
