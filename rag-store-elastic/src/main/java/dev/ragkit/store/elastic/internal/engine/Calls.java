package dev.ragkit.store.elastic.internal.engine;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagException;
import dev.ragkit.store.elastic.ClusterConnection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls on a cluster with retries and turns failures into Ragkit's errors: a retriable
 * {@link RagBackendException} for what may pass later (429, 502, 503, 504, refused or reset connections,
 * timeouts), once the retries are spent; a permanent one for the rest, each saying what to check. Messages
 * name the URLs and the configuration keys, never a credential.
 */
public final class Calls {
    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final String backend;
    private final String configPrefix;
    private final ClusterConnection connection;

    /**
     * @param backend the provider name, first word of every message ({@code elastic})
     * @param configPrefix the configuration keys' prefix named in messages ({@code rag.store.elastic})
     */
    public Calls(String backend, String configPrefix, ClusterConnection connection) {
        this.backend = backend;
        this.configPrefix = configPrefix;
        this.connection = connection;
    }

    public String backend() {
        return backend;
    }

    /** How many times a retriable failure is tried again. */
    public int retries() {
        return connection.retries();
    }

    /** Runs {@code call}, retrying retriable failures with exponential backoff and jitter. */
    public <T> T run(String what, Supplier<T> call) {
        int attempt = 0;
        while (true) {
            try {
                return call.get();
            } catch (EngineException e) {
                if (!e.retriable() || attempt >= connection.retries()) {
                    throw failure(what, e, attempt);
                }
                long wait = backoffMillis(attempt);
                LOG.debug("{}: {} failed ({}); retry {} of {} in {} ms", backend, what, e.getMessage(), attempt + 1,
                        connection.retries(), wait);
                sleep(wait, what, e);
                attempt++;
            }
        }
    }

    /** As {@link #run(String, Supplier)} for calls without a result. */
    public void run(String what, Runnable call) {
        run(what, () -> {
            call.run();
            return null;
        });
    }

    /** The wait before retry {@code attempt + 1}: the backoff doubled per attempt, between half and all of it. */
    public long backoffMillis(int attempt) {
        long base = Math.min(MAX_BACKOFF_MILLIS, connection.backoff().toMillis() << Math.min(attempt, 20));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** Sleeps between retries; an interrupt ends the call with {@code cause}'s error. */
    public void sleep(long millis, String what, EngineException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            RagBackendException e = failure(what, cause, 0);
            e.addSuppressed(interrupted);
            throw e;
        }
    }

    /** Ragkit's error for a failed call, saying what to check. */
    public RagBackendException failure(String what, EngineException e, int retries) {
        String urls = connection.describeUrls();
        String tried = retries > 0 ? " (after " + retries + (retries == 1 ? " retry" : " retries") + ")" : "";
        String reason = e.reason() == null ? "" : e.reason();
        switch (e.transport()) {
            case UNREACHABLE:
                return RagBackendException.retriable(backend, "cannot reach the cluster at " + urls + " to " + what
                        + tried + ": " + reason + ". Start it, or set " + configPrefix + ".url to where it runs", e);
            case RESET:
                return RagBackendException.retriable(backend, "the connection to " + urls + " broke while trying to "
                        + what + tried + ": " + reason, e);
            case TIMEOUT:
                return RagBackendException.retriable(backend, "no answer from " + urls + " to " + what + " within "
                        + connection.socketTimeout().toMillis() + " ms" + tried + "; raise " + configPrefix
                        + ".socket-timeout or check the cluster's load", e);
            case TLS:
                return RagBackendException.permanent(backend, "the TLS handshake with " + urls + " failed: " + reason
                        + ". Set " + configPrefix + ".ca-file to the PEM certificate of the CA that signed the"
                        + " server's certificate", e);
            default:
                break;
        }
        int status = e.status();
        String server = "HTTP " + status + (e.errorType() != null ? " " + e.errorType() : "")
                + (reason.isEmpty() ? "" : ": " + reason);
        if (status == 401) {
            return RagBackendException.permanent(backend, "the cluster at " + urls + " refused the credentials ("
                    + connection.describeAuth() + ") to " + what + ": " + server + ". Check " + configPrefix
                    + ".api-key, or " + configPrefix + ".username and " + configPrefix + ".password", e);
        }
        if (status == 403) {
            return RagBackendException.permanent(backend, connection.describeAuth() + " may not " + what + " on "
                    + urls + ": " + server + ". Grant the privilege to that user or key", e);
        }
        if (e.retriable()) {
            return RagBackendException.retriable(backend, "the cluster at " + urls + " could not " + what + tried
                    + ": " + server, e);
        }
        return RagBackendException.permanent(backend, "the cluster at " + urls + " refused to " + what + ": "
                + server, e);
    }

    /** An error for an index or alias that does not exist. */
    public RagException missingIndex(String index, String hint) {
        return RagBackendException.permanent(backend, "index '" + index + "' does not exist on " + connection.describeUrls()
                + "; " + hint, null);
    }
}
