package dev.ragkit.core;

/**
 * A caller passed a value Ragkit cannot use: a vector of the wrong dimension, a NaN, an empty text,
 * an unknown filter key. The message names the field and the value.
 */
public final class InvalidInputException extends RagException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
