package dev.ragkit.store.elastic.internal.engine;

/**
 * One failed call on a cluster, as an {@link EngineClient} reports it: the HTTP status (0 when no answer
 * came), the server's error type and reason, and whether the failure is a transport one (connection
 * refused or reset, timeout). {@link Calls} decides on retries and the message the user sees.
 */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of transport failure, when no answer came. */
    public enum Transport {
        /** An answer came: see the status. */
        NONE,
        /** Nobody listens at the address, or the host is unknown. */
        UNREACHABLE,
        /** The connection broke while the call was in flight. */
        RESET,
        /** No answer within the timeout. */
        TIMEOUT,
        /** The TLS handshake failed (untrusted certificate, wrong protocol). */
        TLS
    }

    private final int status;
    private final String errorType;
    private final String reason;
    private final Transport transport;

    public EngineException(int status, String errorType, String reason, Transport transport, Throwable cause) {
        super(describe(status, errorType, reason, transport), cause);
        this.status = status;
        this.errorType = errorType;
        this.reason = reason;
        this.transport = transport;
    }

    /** A failure with an HTTP answer. */
    public static EngineException status(int status, String errorType, String reason, Throwable cause) {
        return new EngineException(status, errorType, reason, Transport.NONE, cause);
    }

    /** A failure without an answer. */
    public static EngineException transport(Transport transport, String reason, Throwable cause) {
        return new EngineException(0, null, reason, transport, cause);
    }

    public int status() {
        return status;
    }

    /** The server's error type, e.g. {@code index_not_found_exception}; null when unknown. */
    public String errorType() {
        return errorType;
    }

    public String reason() {
        return reason;
    }

    public Transport transport() {
        return transport;
    }

    /** Whether the same call may succeed later: 429, 502, 503, 504, a reset, refused connection or timeout. */
    public boolean retriable() {
        return switch (transport) {
            case UNREACHABLE, RESET, TIMEOUT -> true;
            case TLS -> false;
            case NONE -> status == 429 || status == 502 || status == 503 || status == 504;
        };
    }

    /** Whether the server said the index (or alias) does not exist. */
    public boolean indexMissing() {
        return "index_not_found_exception".equals(errorType);
    }

    private static String describe(int status, String errorType, String reason, Transport transport) {
        if (transport != Transport.NONE) {
            return transport.name().toLowerCase() + ": " + reason;
        }
        return "HTTP " + status + (errorType != null ? " " + errorType : "") + (reason != null ? ": " + reason : "");
    }
}
