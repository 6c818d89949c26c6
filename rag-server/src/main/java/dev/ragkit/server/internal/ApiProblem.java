package dev.ragkit.server.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An error answered as RFC 9457 problem details, with a stable {@code type} that clients branch on
 * ({@code https://ragkit.dev/problems/<slug>}), a human {@code detail}, and extra members.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The base of every problem type. */
    public static final String TYPE_BASE = "https://ragkit.dev/problems/";

    private final HttpStatus status;
    private final String slug;
    private final Map<String, Object> properties;
    private final HttpHeaders headers;

    public ApiProblem(HttpStatus status, String slug, String detail) {
        this(status, slug, detail, Map.of(), new HttpHeaders());
    }

    public ApiProblem(HttpStatus status, String slug, String detail, Map<String, Object> properties,
            HttpHeaders headers) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.properties = Map.copyOf(properties);
        this.headers = headers;
    }

    public HttpStatus status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The problem document. */
    public ProblemDetail toProblemDetail() {
        return problem(status, slug, getMessage(), properties);
    }

    /** A problem document of {@code status} and type {@code slug}. */
    public static ProblemDetail problem(HttpStatus status, String slug, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(status.getReasonPhrase());
        new LinkedHashMap<>(properties).forEach(problem::setProperty);
        return problem;
    }
}
