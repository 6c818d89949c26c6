package dev.ragkit.examples.cli;

/**
 * The command line is wrong (unknown option, missing argument, bad value). The CLI prints the
 * message with a pointer to the command's help and exits with code 2.
 */
public final class CliUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the option and the value */
    public CliUsageException(String message) {
        super(message);
    }
}
