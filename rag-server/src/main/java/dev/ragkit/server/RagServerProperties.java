package dev.ragkit.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code ragkit.server.*} properties of the /v1 API. */
@ConfigurationProperties(prefix = "ragkit.server")
public class RagServerProperties {
    /**
     * The accepted bearer tokens, each by the SHA-256 of the token (never the token itself). With none, a
     * random token with every scope is generated at start-up and printed once on standard output.
     */
    private List<Token> tokens = new ArrayList<>();
    /** The metadata key holding a document's tenant; a tenant token's retrievals are always filtered on it. */
    private String tenantKey = "tenant";
    /** Largest request body accepted, in bytes; larger ones get 413. */
    private long maxBodyBytes = 1_048_576;
    private final Versions apiVersion = new Versions();
    private final RateLimit rateLimit = new RateLimit();
    private final Ingest ingest = new Ingest();

    public List<Token> getTokens() {
        return tokens;
    }

    public void setTokens(List<Token> tokens) {
        this.tokens = tokens;
    }

    public String getTenantKey() {
        return tenantKey;
    }

    public void setTenantKey(String tenantKey) {
        this.tenantKey = tenantKey;
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public Versions getApiVersion() {
        return apiVersion;
    }

    public RateLimit getRateLimit() {
        return rateLimit;
    }

    public Ingest getIngest() {
        return ingest;
    }

    /** One accepted token. */
    public static class Token {
        /** A name for logs and metrics (never the token). */
        private String name;
        /** {@code sha256:<64 hex digits>} of the token ({@code ./ragkit serve --hash-token} prints it). */
        private String hash;
        /** What the token may do: query, ingest, admin. */
        private List<String> scopes = new ArrayList<>(List.of("query"));
        /** The tenant whose documents alone this token reads and writes; none: every document. */
        private String tenant;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getHash() {
            return hash;
        }

        public void setHash(String hash) {
            this.hash = hash;
        }

        public List<String> getScopes() {
            return scopes;
        }

        public void setScopes(List<String> scopes) {
            this.scopes = scopes;
        }

        public String getTenant() {
            return tenant;
        }

        public void setTenant(String tenant) {
            this.tenant = tenant;
        }
    }

    /** {@code ragkit.server.api-version.*}: the X-API-Version header. */
    public static class Versions {
        /** The version served when a request names none. */
        private String defaultVersion = "1";
        /** The versions a request may name; another one gets 400 listing these. */
        private List<String> supported = new ArrayList<>(List.of("1"));

        public String getDefaultVersion() {
            return defaultVersion;
        }

        public void setDefaultVersion(String defaultVersion) {
            this.defaultVersion = defaultVersion;
        }

        public List<String> getSupported() {
            return supported;
        }

        public void setSupported(List<String> supported) {
            this.supported = supported;
        }
    }

    /** {@code ragkit.server.rate-limit.*}. */
    public static class RateLimit {
        /** Requests per token per window (a token with several scopes gets the largest of its scopes' limits). */
        private int requestsPerMinute = 60;
        /** Limits per scope (query, ingest, admin), overriding requests-per-minute. */
        private Map<String, Integer> perScope = new LinkedHashMap<>();
        /** The window; 1 minute unless testing. */
        private Duration window = Duration.ofMinutes(1);
        /** A redis:// URL: the replicas sharing it share one budget per token. None: counted in this process. */
        private String redisUrl;

        public int getRequestsPerMinute() {
            return requestsPerMinute;
        }

        public void setRequestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
        }

        public Map<String, Integer> getPerScope() {
            return perScope;
        }

        public void setPerScope(Map<String, Integer> perScope) {
            this.perScope = perScope;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public String getRedisUrl() {
            return redisUrl;
        }

        public void setRedisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
        }
    }

    /** {@code ragkit.server.ingest.*}: background ingestion jobs. */
    public static class Ingest {
        /** Where jobs are persisted, one file each, so that a restart resumes the unfinished ones. */
        private Path jobsDirectory = Path.of("ragkit-jobs");
        /** Jobs run at once. */
        private int workers = 2;
        /** Jobs waiting beyond the running ones; more get 503 with Retry-After. */
        private int queueCapacity = 100;
        /** Server-side directories a request may ingest from by path; none: only inline documents. */
        private List<Path> allowedPaths = new ArrayList<>();
        /** Documents per inline request, at most. */
        private int maxDocuments = 1000;

        public Path getJobsDirectory() {
            return jobsDirectory;
        }

        public void setJobsDirectory(Path jobsDirectory) {
            this.jobsDirectory = jobsDirectory;
        }

        public int getWorkers() {
            return workers;
        }

        public void setWorkers(int workers) {
            this.workers = workers;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public List<Path> getAllowedPaths() {
            return allowedPaths;
        }

        public void setAllowedPaths(List<Path> allowedPaths) {
            this.allowedPaths = allowedPaths;
        }

        public int getMaxDocuments() {
            return maxDocuments;
        }

        public void setMaxDocuments(int maxDocuments) {
            this.maxDocuments = maxDocuments;
        }
    }
}
