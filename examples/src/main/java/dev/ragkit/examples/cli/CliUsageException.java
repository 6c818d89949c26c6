package dev.ragkit.examples.cli;

import dev.ragkit.tools.cli.UsageException;

/**
 * The command line is wrong (unknown option, missing argument, bad value). The CLI prints the
 * message with a pointer to the command's help and exits with code 2. The shared parser
 * ({@link dev.ragkit.tools.cli.Args}) throws its base type, {@link UsageException}, which the CLI
 * treats the same way.
 */
public final class CliUsageException extends UsageException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the option and the value */
    public CliUsageException(String message) {
        super(message);
    }
}
