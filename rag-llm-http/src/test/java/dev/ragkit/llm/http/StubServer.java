package dev.ragkit.llm.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A scripted HTTP server on 127.0.0.1 and a random port. Each path has a queue of one-shot
 * responders, then a default one; every request is recorded. Responders that hang wait for
 * {@link #close()}, so no test sleeps to simulate a slow server.
 *
 * <p>Shipped in this module's test jar for the HTTP adapters' tests; not a stable API.
 */
public final class StubServer implements AutoCloseable {
    /** A request as the stub received it. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** Writes the response to one request. */
    @FunctionalInterface
    public interface Responder {
        /** Answers {@code request} on {@code exchange}. */
        void respond(HttpExchange exchange, Recorded request) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Responder>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Responder> defaults = new ConcurrentHashMap<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closing = new CountDownLatch(1);

    private StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static StubServer start() {
        try {
            return new StubServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the stub server", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next request to {@code path} with {@code responder}, once. */
    public StubServer then(String path, Responder responder) {
        scripted.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addLast(responder);
        return this;
    }

    /** Answers requests to {@code path} with {@code responder} once the scripted ones are used up. */
    public StubServer otherwise(String path, Responder responder) {
        defaults.put(path, responder);
        return this;
    }

    /** Every request received so far, in order. */
    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests received so far for {@code path}, in order. */
    public List<Recorded> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body);
        requests.add(request);
        Deque<Responder> queue = scripted.get(request.path());
        Responder responder = queue == null ? null : queue.pollFirst();
        if (responder == null) {
            responder = defaults.get(request.path());
        }
        try {
            if (responder == null) {
                json(404, "{\"error\":\"404 page not found\"}").respond(exchange, request);
            } else {
                responder.respond(exchange, request);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the script cut the connection on purpose.
        } finally {
            try {
                exchange.close();
            } catch (RuntimeException e) {
                // Closing a body cut short throws; the connection is dropped either way.
            }
        }
    }

    /** Blocks until the server closes: a server that never answers. */
    public void hang() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- responders -------------------------------------------------------------------------

    /** A complete JSON answer with a Content-Length; extra headers as name, value pairs. */
    public static Responder json(int status, String body, String... headers) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        };
    }

    /** A chunked body written and flushed line by line ({@code \n} after each), then ended normally. */
    public static Responder stream(String contentType, List<String> lines) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.close();
        };
    }

    /**
     * Announces {@code declaredLength} bytes, writes {@code body} (shorter), then drops the
     * connection: the transport-level cut a crashed server or a proxy produces.
     */
    public static Responder cut(String contentType, String body, int declaredLength) {
        return (exchange, request) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, declaredLength);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes);
            out.flush();
            // Closing now, short of the declared length, makes the server drop the connection.
            throw new IOException("cut on purpose");
        };
    }

    /** Sends nothing at all until the server closes. */
    public Responder silent() {
        return (exchange, request) -> hang();
    }

    /** Sends the status line and headers of a streaming answer, then nothing until the server closes. */
    public Responder headersThenSilence(String contentType) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().flush();
            hang();
        };
    }
}
