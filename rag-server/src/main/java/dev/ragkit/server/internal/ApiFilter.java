package dev.ragkit.server.internal;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.server.RagServerProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every /v1 request goes through before its endpoint, in this order: the bearer token (401 when missing or
 * unknown), the scope the endpoint needs (403), the rate limit of the token (429 with {@code Retry-After}; every
 * answer carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}), the
 * {@code X-API-Version} (400 listing the supported ones; the answer echoes the version served) and the body size
 * (413). The OpenAPI document is public.
 */
public final class ApiFilter extends OncePerRequestFilter {
    /** The request attribute holding the caller's {@link Principal}. */
    public static final String PRINCIPAL = "dev.ragkit.server.principal";
    public static final String VERSION_HEADER = "X-API-Version";
    public static final String OPENAPI_PATH = "/v1/openapi.json";

    private final TokenAuthenticator tokens;
    private final RateLimiter limiter;
    private final RagServerProperties settings;
    private final JsonMapper json;

    public ApiFilter(TokenAuthenticator tokens, RateLimiter limiter, RagServerProperties settings, JsonMapper json) {
        this.tokens = tokens;
        this.limiter = limiter;
        this.settings = settings;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith("/v1/") || path.equals(OPENAPI_PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Principal> caller = bearer(request).flatMap(tokens::authenticate);
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ragkit\"");
            write(response, ApiProblem.problem(HttpStatus.UNAUTHORIZED, "unauthorized", bearer(request).isEmpty()
                    ? "this API needs an 'Authorization: Bearer <token>' header"
                    : "the bearer token is not one this server accepts", Map.of()));
            return;
        }
        Principal principal = caller.get();
        String scope = scopeOf(request);
        if (scope != null && !principal.allows(scope)) {
            write(response, ApiProblem.problem(HttpStatus.FORBIDDEN, "forbidden", "this endpoint needs scope '" + scope
                    + "' but the token has " + principal.scopes().stream().sorted().toList(), Map.of("scope", scope)));
            return;
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(principal.key() + ":" + (scope == null ? "any" : scope), limitOf(principal, scope));
        } catch (RagBackendException e) {
            response.setHeader("Retry-After", "1");
            write(response, ApiProblem.problem(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable",
                    e.getMessage(), Map.of("backend", "rate-limiter")));
            return;
        }
        response.setHeader("RateLimit-Limit", Integer.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Integer.toString(decision.remaining()));
        response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.resetSeconds()));
            write(response, ApiProblem.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "this token made more than "
                    + decision.limit() + " requests in the current window; retry after " + decision.resetSeconds()
                    + " s", Map.of("limit", decision.limit())));
            return;
        }
        String version = request.getHeader(VERSION_HEADER);
        List<String> supported = settings.getApiVersion().getSupported();
        String served = version == null || version.isBlank() ? settings.getApiVersion().getDefaultVersion() : version.trim();
        if (!supported.contains(served)) {
            write(response, ApiProblem.problem(HttpStatus.BAD_REQUEST, "unsupported-api-version", VERSION_HEADER
                    + " was '" + served + "' but this server serves " + supported, Map.of("supported", supported)));
            return;
        }
        response.setHeader(VERSION_HEADER, served);
        long max = settings.getMaxBodyBytes();
        if (request.getContentLengthLong() > max) {
            write(response, tooLarge(max).toProblemDetail());
            return;
        }
        request.setAttribute(PRINCIPAL, principal);
        chain.doFilter(new LimitedBodyRequest(request, max), response);
    }

    static ApiProblem tooLarge(long max) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "the request body is larger than "
                + max + " bytes (ragkit.server.max-body-bytes)");
    }

    /** The scope an endpoint needs; null for paths that are no endpoint (they get 404). */
    static String scopeOf(HttpServletRequest request) {
        String path = path(request);
        String method = request.getMethod();
        if ("POST".equals(method) && List.of("/v1/rag", "/v1/retrieve", "/v1/embed", "/v1/generate").contains(path)) {
            return Principal.QUERY;
        }
        if (("POST".equals(method) && path.equals("/v1/ingest")) || ("GET".equals(method) && path.startsWith("/v1/jobs/"))
                || ("DELETE".equals(method) && path.startsWith("/v1/documents/"))) {
            return Principal.INGEST;
        }
        return null;
    }

    private int limitOf(Principal principal, String scope) {
        Map<String, Integer> perScope = settings.getRateLimit().getPerScope();
        Integer limit = scope == null ? null : perScope.get(scope);
        return limit != null ? limit : settings.getRateLimit().getRequestsPerMinute();
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /** A request whose body stops with 413 beyond the limit, for bodies sent without a Content-Length. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {
        private final long max;

        LimitedBodyRequest(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) {
                    read += n;
                    if (read > max) {
                        throw tooLarge(max);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
