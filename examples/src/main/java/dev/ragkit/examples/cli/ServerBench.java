package dev.ragkit.examples.cli;

import dev.ragkit.core.Ragkit;
import dev.ragkit.server.RagServerApplication;
import dev.ragkit.tools.cli.Args;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ragkit bench server}: throughput and latency percentiles of {@code /v1/retrieve} and {@code /v1/rag}
 * (extractive) at 1, 8 and 32 concurrent clients, on the embedded defaults (ONNX + FAISS) over the demo corpus,
 * and the same calls made in-process on the server's own {@code Ragkit} in the same run, so that the difference
 * of p95 is the cost of HTTP, JSON, authentication and rate limiting.
 */
final class ServerBench {
    private static final List<String> QUESTIONS = List.of(
            "How does incremental ingestion work?", "What happens when I re-ingest an unchanged document?",
            "Which vector stores are supported?", "How do I configure the Ollama provider?",
            "What does hybrid retrieval do?", "How are answers cited?", "What do the guards check?",
            "How is a new index version rolled out?", "Which metrics does Ragkit record?",
            "How are documents split into chunks?", "Comment configurer Ragkit ?", "Quels filtres sont disponibles ?");
    /** Rounds per side and level, alternating HTTP and in-process. */
    private static final int ROUNDS = 4;
    private static final Set<String> VALUED = Set.of("requests", "clients", "out", "warmup");

    private ServerBench() {
    }

    static int run(List<String> rawArgs, PrintStream out) {
        Args args = Args.parseOptions(rawArgs, VALUED, Set.of());
        int requests = args.integer("requests", 400, 10);
        int warmup = args.integer("warmup", 100, 0);
        int[] clients = Arrays.stream(args.string("clients", "1,8,32").split(",")).mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        Path outDir = Path.of(args.string("out", "bench/results"));
        Path work;
        try {
            work = Files.createTempDirectory("ragkit-bench-server");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path corpus = work.resolve("corpus");
        DemoCorpus.extractTo(corpus);
        String token = "bench-" + UUID.randomUUID();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ragkit.embedder", CliConfig.DEFAULT_EMBEDDER);
        properties.put("ragkit.embedder.onnx.model", CliConfig.DEFAULT_ONNX_MODEL);
        properties.put("ragkit.store", "faiss");
        properties.put("ragkit.store.faiss.directory", work.resolve("index").toString());
        properties.put("ragkit.server.tokens[0].name", "bench");
        properties.put("ragkit.server.tokens[0].hash", RagServerApplication.hashToken(token));
        properties.put("ragkit.server.tokens[0].scopes", "admin");
        // The bench measures the server, not the limiter's refusals.
        properties.put("ragkit.server.rate-limit.requests-per-minute", Integer.toString(Integer.MAX_VALUE));
        properties.put("ragkit.server.ingest.jobs-directory", work.resolve("jobs").toString());
        properties.put("ragkit.server.ingest.allowed-paths", corpus.toString());
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("logging.level.root", "warn");
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(64)).build();
        try (ConfigurableApplicationContext server = RagServerApplication.start(properties)) {
            int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) server).getWebServer()
                    .getPort();
            Client client = new Client(http, port, token);
            String job = client.post("/v1/ingest", "{\"path\":" + quote(corpus.toString()) + "}", 202);
            String id = job.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
            String state;
            do {
                sleep(100);
                state = client.get("/v1/jobs/" + id).replaceAll("(?s).*\"state\":\"([^\"]+)\".*", "$1");
            } while (!state.equals("succeeded") && !state.equals("failed"));
            if (!state.equals("succeeded")) {
                throw new IllegalStateException("ingesting the demo corpus failed: " + client.get("/v1/jobs/" + id));
            }
            Ragkit ragkit = server.getBean(Ragkit.class);
            List<Map<String, Object>> rows = new ArrayList<>();
            out.printf(Locale.ROOT, "%-9s %-10s %7s %9s %8s %8s %8s%n", "endpoint", "via", "clients", "req/s",
                    "p50 ms", "p95 ms", "p99 ms");
            for (String endpoint : List.of("retrieve", "rag")) {
                IntConsumer http1 = i -> client.post("/v1/" + endpoint, endpoint.equals("rag")
                        ? "{\"question\":" + quote(QUESTIONS.get(i % QUESTIONS.size())) + "}"
                        : "{\"query\":" + quote(QUESTIONS.get(i % QUESTIONS.size())) + "}", 200);
                IntConsumer inProcess = endpoint.equals("rag")
                        ? i -> ragkit.pipeline().ask(QUESTIONS.get(i % QUESTIONS.size()))
                        : i -> ragkit.retriever().retrieve(QUESTIONS.get(i % QUESTIONS.size()));
                for (int c : clients) {
                    warm(http1, warmup);
                    warm(inProcess, warmup);
                    // Alternating rounds, so that a change of load on a shared machine hits both sides alike.
                    Samples viaHttpSamples = new Samples();
                    Samples directSamples = new Samples();
                    for (int round = 0; round < ROUNDS; round++) {
                        viaHttpSamples.add(measure(http1, c, requests / ROUNDS));
                        directSamples.add(measure(inProcess, c, requests / ROUNDS));
                    }
                    Result viaHttp = viaHttpSamples.result();
                    Result direct = directSamples.result();
                    rows.add(row(endpoint, "http", c, viaHttp, out));
                    rows.add(row(endpoint, "in-process", c, direct, out));
                    Map<String, Object> overhead = new LinkedHashMap<>();
                    overhead.put("endpoint", endpoint);
                    overhead.put("clients", c);
                    overhead.put("p95_overhead_ms", round(viaHttp.p95() - direct.p95()));
                    rows.add(overhead);
                    out.printf(Locale.ROOT, "%-9s %-10s %7d   p95 overhead %.2f ms%n", endpoint, "server", c,
                            viaHttp.p95() - direct.p95());
                }
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "server");
            report.put("embedder", CliConfig.DEFAULT_EMBEDDER + ":" + CliConfig.DEFAULT_ONNX_MODEL);
            report.put("store", "faiss");
            report.put("answers", "extractive");
            report.put("requests_per_level", requests);
            report.put("warmup_per_level", warmup);
            report.put("rounds", ROUNDS + " alternating rounds per side and level");
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("rows", rows);
            Files.createDirectories(outDir);
            Path file = outDir.resolve("bench-server.json");
            Files.writeString(file, toJson(report) + "\n");
            out.println("wrote " + file);
            return RagkitCli.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> row(String endpoint, String via, int clients, Result r, PrintStream out) {
        out.printf(Locale.ROOT, "%-9s %-10s %7d %9.1f %8.2f %8.2f %8.2f%n", endpoint, via, clients, r.throughput(),
                r.p50(), r.p95(), r.p99());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("endpoint", endpoint);
        row.put("via", via);
        row.put("clients", clients);
        row.put("throughput_per_s", round(r.throughput()));
        row.put("p50_ms", round(r.p50()));
        row.put("p95_ms", round(r.p95()));
        row.put("p99_ms", round(r.p99()));
        return row;
    }

    private record Result(double throughput, double p50, double p95, double p99) {
    }

    /** Latencies (ms) and wall time of one round. */
    private record Round(double[] latencies, double seconds) {
    }

    /** The rounds of one side, pooled. */
    private static final class Samples {
        private final List<Round> rounds = new ArrayList<>();

        void add(Round round) {
            rounds.add(round);
        }

        Result result() {
            double[] all = rounds.stream().flatMapToDouble(r -> Arrays.stream(r.latencies())).sorted().toArray();
            double seconds = rounds.stream().mapToDouble(Round::seconds).sum();
            return new Result(all.length / seconds, percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99));
        }
    }

    private static void warm(IntConsumer call, int warmup) {
        for (int i = 0; i < warmup; i++) {
            call.accept(i);
        }
    }

    /** {@code requests} calls spread over {@code clients} threads; latencies in ms. */
    private static Round measure(IntConsumer call, int clients, int requests) {
        double[] latencies = new double[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    call.accept(i);
                    latencies[i] = (System.nanoTime() - t) / 1e6;
                }
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a benchmark request failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return new Round(latencies, (System.nanoTime() - start) / 1e9);
    }

    private static double percentile(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            ((Map<String, Object>) map).forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(quote(k))
                    .append(": ").append(toJson(v)));
            return s.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[\n  ");
            for (int i = 0; i < list.size(); i++) {
                s.append(i > 0 ? ",\n  " : "").append(toJson(list.get(i)));
            }
            return s.append("\n]").toString();
        }
        return value instanceof String str ? quote(str) : String.valueOf(value);
    }

    /** A blocking client of the bench's server. */
    private record Client(HttpClient http, int port, String token) {
        String post(String path, String body, int expected) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return send(request, expected);
        }

        String get(String path) {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).GET().build(), 200);
        }

        private String send(HttpRequest request, int expected) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != expected) {
                    throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode()
                            + ": " + response.body());
                }
                return response.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
