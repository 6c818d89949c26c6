package dev.ragkit.llm.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange whose body is read line by line on the caller's thread, with a deadline on
 * every wait. The JDK client pushes lines into a queue; the caller polls it, so a slow first
 * token or a stalled stream becomes a {@link TimeoutException} and the exchange is cancelled,
 * and the end of the body is told apart from a connection cut (an {@link IOException}).
 *
 * <p>Not thread-safe: one caller reads one exchange.
 *
 * <p>Support for Ragkit's HTTP adapters; not a stable API.
 */
public final class HttpLines implements AutoCloseable {
    /** Marks the regular end of the body. */
    private static final Object END = new Object();

    private record Failure(Throwable error) {
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private boolean ended;

    private HttpLines(HttpClient client, HttpRequest request) {
        HttpResponse.BodyHandler<Void> handler = info -> {
            head.complete(info);
            return BodySubscribers.fromLineSubscriber(new LineSubscriber(), s -> null, StandardCharsets.UTF_8, null);
        };
        response = client.sendAsync(request, handler);
        response.whenComplete((r, error) -> {
            if (error != null) {
                head.completeExceptionally(unwrap(error));
                events.add(new Failure(unwrap(error)));
            }
        });
    }

    /** Sends {@code request}; nothing blocks until {@link #awaitHead(long)}. */
    public static HttpLines send(HttpClient client, HttpRequest request) {
        return new HttpLines(client, request);
    }

    /**
     * Waits for the status line and headers.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     * @throws TimeoutException when the deadline passes first
     * @throws IOException when the connection fails (refused, reset, connect timeout)
     */
    public HttpResponse.ResponseInfo awaitHead(long deadlineNanos)
            throws TimeoutException, IOException, InterruptedException {
        try {
            return head.get(remaining(deadlineNanos), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw asIo(e.getCause());
        } catch (CancellationException e) {
            // Closed before the head arrived: get() throws this unchecked instead of an ExecutionException.
            throw asIo(e);
        }
    }

    /**
     * The next line of the body, or null at its regular end.
     *
     * @throws TimeoutException when no line arrives before the deadline
     * @throws IOException when the connection breaks before the body ends
     */
    public String next(long deadlineNanos) throws TimeoutException, IOException, InterruptedException {
        if (ended) {
            return null;
        }
        Object event = events.poll(remaining(deadlineNanos), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new TimeoutException();
        }
        if (event == END) {
            ended = true;
            return null;
        }
        if (event instanceof Failure failure) {
            ended = true;
            throw asIo(failure.error());
        }
        return (String) event;
    }

    /**
     * The rest of the body, lines joined by {@code \n}, at most {@code maxChars} characters kept.
     *
     * @throws TimeoutException when the body does not end before the deadline
     * @throws IOException when the connection breaks before the body ends
     */
    public String readAll(long deadlineNanos, int maxChars) throws TimeoutException, IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        String line;
        while ((line = next(deadlineNanos)) != null) {
            if (body.length() < maxChars) {
                if (body.length() > 0) {
                    body.append('\n');
                }
                body.append(line, 0, Math.min(line.length(), maxChars - body.length()));
            }
        }
        return body.toString();
    }

    /** Cancels the exchange if it is still running; safe to call twice. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static IOException asIo(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof CancellationException) {
            return new IOException("exchange cancelled", e);
        }
        return new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private final class LineSubscriber implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                // The caller drains the queue; bodies are small (one answer), so no back-pressure needed.
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            events.add(line);
        }

        @Override
        public void onError(Throwable error) {
            events.add(new Failure(error));
        }

        @Override
        public void onComplete() {
            events.add(END);
        }
    }
}
