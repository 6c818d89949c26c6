package dev.ragkit.core;

/** Root of every exception Ragkit throws. Unchecked, so hosts catch only what they can act on. */
public class RagException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RagException(String message) {
        super(message);
    }

    public RagException(String message, Throwable cause) {
        super(message, cause);
    }
}
