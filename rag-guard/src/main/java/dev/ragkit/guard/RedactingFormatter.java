package dev.ragkit.guard;

import java.util.Objects;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} formatter that redacts the output of another formatter with
 * {@link LogRedactor}. Install on a handler: {@code handler.setFormatter(new
 * RedactingFormatter(new SimpleFormatter()))}, or in {@code logging.properties}:
 * {@code java.util.logging.ConsoleHandler.formatter = dev.ragkit.guard.RedactingFormatter}
 * (then it wraps a {@code SimpleFormatter}).
 */
public final class RedactingFormatter extends Formatter {
    private final Formatter delegate;
    private final LogRedactor redactor;

    /** Wraps a {@link java.util.logging.SimpleFormatter} with the standard redactor. */
    public RedactingFormatter() {
        this(new java.util.logging.SimpleFormatter(), LogRedactor.standard());
    }

    /** Wraps {@code delegate} with the standard redactor. */
    public RedactingFormatter(Formatter delegate) {
        this(delegate, LogRedactor.standard());
    }

    /** Wraps {@code delegate} with {@code redactor}. */
    public RedactingFormatter(Formatter delegate, LogRedactor redactor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    @Override
    public String format(LogRecord record) {
        return redactor.redact(delegate.format(record));
    }
}
