package dev.ragkit.tools.cli;

/**
 * The command line is wrong (unknown option, missing argument, bad value): nothing was done. A tool
 * prints the message, with a pointer to its usage, and exits with code 2.
 */
public class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the option and the value */
    public UsageException(String message) {
        super(message);
    }
}
