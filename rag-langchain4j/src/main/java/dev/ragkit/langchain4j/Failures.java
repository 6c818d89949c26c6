package dev.ragkit.langchain4j;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Maps what a LangChain4j model throws onto Ragkit's errors, so the core's retry, fallback chain and
 * metrics treat LangChain4j models like Ragkit's own clients: timeouts, rate limits, 5xx and unreachable
 * servers are retriable {@link RagBackendException}s; authentication, bad requests, unknown models and
 * content filtering are permanent ones. Ragkit's own exceptions pass through unchanged.
 */
public final class Failures {
    private Failures() {
    }

    /** The Ragkit exception for {@code failure}, raised while {@code operation} ran on {@code backend}. */
    public static RagException map(String backend, String operation, Throwable failure) {
        if (failure instanceof RagException rag) {
            return rag;
        }
        String message = operation + " failed: " + describe(failure);
        return new RagBackendException(backend, retriable(failure), message, failure);
    }

    static boolean retriable(Throwable failure) {
        int depth = 0;
        // Bounded: a cause chain can, in principle, loop.
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof RetriableException || t instanceof UnresolvedModelServerException) {
                return true;
            }
            if (t instanceof NonRetriableException) {
                return false;
            }
            if (t instanceof HttpException http) {
                int status = http.statusCode();
                return status == 408 || status == 429 || status >= 500;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String kind = failure.getClass().getSimpleName();
        if (failure instanceof HttpException http) {
            kind = "HTTP " + http.statusCode();
        }
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = failure.getCause();
            message = cause == null ? "(no message)" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        // Bodies of failed calls can be long; the cause keeps the whole text.
        return kind + ": " + (message.length() > 300 ? message.substring(0, 297) + "..." : message);
    }
}
