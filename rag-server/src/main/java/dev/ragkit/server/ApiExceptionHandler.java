package dev.ragkit.server;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.server.internal.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error of the /v1 API as RFC 9457 problem details ({@code application/problem+json}) with a stable
 * {@code type}: {@code bad-json}, {@code unknown-field}, {@code invalid-input}, {@code invalid-filter},
 * {@code body-too-large}, {@code guard-blocked} (the guards' reasons, not their internals), {@code not-found},
 * {@code backend-unavailable} (503, retriable), {@code internal} (500, without the exception's text).
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> handle(Exception e) {
        ApiProblem problem = toProblem(e);
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(problem.headers());
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.status()).headers(headers).body(body(problem));
    }

    /** The problem {@code e} is to a client. */
    static ApiProblem toProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiProblem problem) {
                return problem;
            }
        }
        if (e instanceof HttpMessageNotReadableException unreadable) {
            for (Throwable t = unreadable; t != null; t = t.getCause()) {
                if (t instanceof UnrecognizedPropertyException unknown) {
                    return new ApiProblem(HttpStatus.BAD_REQUEST, "unknown-field", "unknown field '"
                            + unknown.getPropertyName() + "'; the fields are " + unknown.getKnownPropertyIds());
                }
            }
            return new ApiProblem(HttpStatus.BAD_REQUEST, "bad-json", "the body is not the JSON this endpoint takes: "
                    + firstLine(unreadable.getMostSpecificCause().getMessage()));
        }
        if (e instanceof InvalidInputException) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-input", e.getMessage());
        }
        if (e instanceof RagBackendException backend) {
            HttpHeaders headers = new HttpHeaders();
            if (backend.retriable()) {
                headers.set(HttpHeaders.RETRY_AFTER, "5");
            }
            return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable", e.getMessage(),
                    Map.of("retriable", backend.retriable()), headers);
        }
        if (e instanceof RagConfigurationException) {
            return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "misconfigured", e.getMessage());
        }
        if (e instanceof HttpMediaTypeNotSupportedException) {
            return new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "send the body as application/json");
        }
        if (e instanceof HttpMediaTypeNotAcceptableException) {
            return new ApiProblem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable",
                    "this endpoint answers application/json (and /v1/rag text/event-stream)");
        }
        if (e instanceof HttpRequestMethodNotSupportedException method) {
            return new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", method.getMessage());
        }
        if (e instanceof NoResourceFoundException) {
            return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "no such endpoint");
        }
        LOG.error("request failed unexpectedly", e);
        return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "the server failed unexpectedly; "
                + "its log has the details");
    }

    /** The JSON members of a problem document. */
    static Map<String, Object> body(ApiProblem problem) {
        ProblemDetail detail = problem.toProblemDetail();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", detail.getType().toString());
        body.put("title", detail.getTitle());
        body.put("status", detail.getStatus());
        body.put("detail", detail.getDetail());
        if (detail.getProperties() != null) {
            body.putAll(detail.getProperties());
        }
        return body;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
