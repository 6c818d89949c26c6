package dev.ragkit.examples.cli;

import java.util.List;

/**
 * One sub-command of the {@code ragkit} tool, such as {@code ingest} or {@code ask}. A new command
 * (evaluation, benchmarks) implements this and is added to {@link RagkitCli#defaultCommands()} or passed to
 * {@link RagkitCli#RagkitCli(List)}.
 */
public interface Command {
    /** The word that selects the command, e.g. {@code ingest}. */
    String name();

    /** One line for the command list of {@code ragkit --help}. */
    String summary();

    /** The full help text shown by {@code ragkit <name> --help}. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @return the process exit code: 0 on success, 2 for a usage or configuration error, 1 otherwise
     * @throws dev.ragkit.tools.cli.UsageException when the arguments are wrong, e.g. a {@link CliUsageException}
     *     (the CLI prints the message and exits 2)
     * @throws dev.ragkit.core.RagConfigurationException when assembly fails (printed, exit 2)
     */
    int run(List<String> args, CliContext context);
}
