package dev.ragkit.server;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.testing.TestProviders;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.server.internal.TokenAuthenticator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tokens, providers and an HTTP client shared by the server's tests. */
final class ServerFixtures {
    static final String ADMIN = "admin-token-0123456789";
    static final String TENANT_A = "tenant-a-token-0123456789";
    static final String TENANT_B = "tenant-b-token-0123456789";
    static final String QUERY_ONLY = "query-only-token-0123456789";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixtures() {
    }

    /** Providers of the tests: the word-hash embedder, the memory store, a scripted LLM, the shout guard, a gated embedder. */
    static ProviderRegistry providers() {
        return ProviderRegistry.of(List.of(new TestProviders.WordsEmbedderProvider(), new MemoryVectorStoreProvider(),
                new TestProviders.ScriptedLlmProvider(), new TestProviders.ShoutGuardProvider(), new GatedEmbedderProvider()));
    }

    /** The token properties of the four test tokens (as a host configures them: by hash). */
    static Map<String, Object> tokenProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        token(p, 0, "admin", ADMIN, "admin", null);
        token(p, 1, "tenant-a", TENANT_A, "query,ingest", "a");
        token(p, 2, "tenant-b", TENANT_B, "query,ingest", "b");
        token(p, 3, "reader", QUERY_ONLY, "query", null);
        return p;
    }

    private static void token(Map<String, Object> p, int i, String name, String token, String scopes, String tenant) {
        String prefix = "ragkit.server.tokens[" + i + "].";
        p.put(prefix + "name", name);
        p.put(prefix + "hash", TokenAuthenticator.hashOf(token));
        p.put(prefix + "scopes", scopes);
        if (tenant != null) {
            p.put(prefix + "tenant", tenant);
        }
    }

    /** One HTTP exchange. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String problemType() {
            JsonNode type = json().get("type");
            if (type == null) {
                throw new AssertionError("not a problem document (status " + status + "): " + body);
            }
            return type.stringValue().replace("https://ragkit.dev/problems/", "");
        }
    }

    static Reply call(int port, String method, String path, String token, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply post(int port, String path, String token, String body, String... headers) {
        return call(port, "POST", path, token, body, headers);
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Waits until the job is finished (succeeded or failed) and returns its last state. */
    static JsonNode awaitJob(int port, String token, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Reply reply = call(port, "GET", "/v1/jobs/" + id, token, null);
            if (reply.status() != 200) {
                throw new AssertionError("GET /v1/jobs/" + id + " answered " + reply.status() + ": " + reply.body());
            }
            String state = reply.json().get("state").stringValue();
            if (state.equals("succeeded") || state.equals("failed")) {
                return reply.json();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("job " + id + " did not finish within 60 s");
    }

    /**
     * The test providers as a bean. Not annotated, so that component scanning never picks it up: tests name it
     * among their configuration classes.
     */
    static class Providers {
        @org.springframework.context.annotation.Bean
        ProviderRegistry providerRegistry() {
            return providers();
        }
    }

    /** The test clock as the primary clock bean; not annotated, like {@link Providers}. */
    static class FakeClock {
        static final MutableClock CLOCK = new MutableClock();

        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    /** Starts a server on a free port with these properties, the test providers and the given extra sources. */
    static org.springframework.context.ConfigurableApplicationContext start(Map<String, Object> properties,
            Class<?>... sources) {
        List<Class<?>> all = new java.util.ArrayList<>(List.of(RagServerApplication.class, Providers.class));
        all.addAll(List.of(sources));
        org.springframework.boot.SpringApplication app = new org.springframework.boot.SpringApplication(
                all.toArray(Class<?>[]::new));
        Map<String, Object> props = new LinkedHashMap<>(properties);
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        app.setDefaultProperties(props);
        return app.run();
    }

    static int port(org.springframework.context.ConfigurableApplicationContext context) {
        return ((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A clock the tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-05T12:00:00.500Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * {@code gated}: the word-hash embedder, whose document batches stop at the gate once {@link #allowedBatches}
     * batches went through (until the gate opens or the thread is interrupted), to stop a job in its middle.
     */
    static final class GatedEmbedderProvider implements EmbedderProvider {
        static final AtomicInteger allowedBatches = new AtomicInteger(Integer.MAX_VALUE);
        static final AtomicInteger batches = new AtomicInteger();
        static volatile CountDownLatch blocked = new CountDownLatch(1);
        static volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public String name() {
            return "gated";
        }

        @Override
        public Embedder create(ProviderConfig config) {
            config.validate();
            WordHashEmbedder words = new WordHashEmbedder(64, "");
            return new Embedder() {
                @Override
                public String id() {
                    return words.id();
                }

                @Override
                public int dimension() {
                    return words.dimension();
                }

                @Override
                public List<float[]> embedDocuments(List<String> texts) {
                    if (batches.incrementAndGet() > allowedBatches.get()) {
                        blocked.countDown();
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new dev.ragkit.core.RagBackendException("gated", true, "interrupted at the gate", e);
                        }
                    }
                    return words.embedDocuments(texts);
                }

                @Override
                public float[] embedQuery(String query) {
                    return words.embedQuery(query);
                }
            };
        }
    }
}
