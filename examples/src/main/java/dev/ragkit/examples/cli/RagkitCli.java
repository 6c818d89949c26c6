package dev.ragkit.examples.cli;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.tools.cli.UsageException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ragkit} command-line tool: {@code ingest}, {@code ask}, {@code demo} and {@code help}.
 *
 * <p>Commands are looked up in a table keyed by name, so another command is one more entry in
 * {@link #defaultCommands()} (or one more element of the list given to the constructor).
 *
 * <p>Exit codes: 0 success; 1 the work failed at run time (a backend error, an unreadable file);
 * 2 the command line or the configuration is wrong (the message says what to change).
 */
public final class RagkitCli {
    /** Success. */
    public static final int OK = 0;
    /** The command started but failed at run time. */
    public static final int FAILURE = 1;
    /** Wrong arguments or configuration: nothing was done. */
    public static final int USAGE = 2;

    private final Map<String, Command> commands;
    /** Command names in the order {@code help} lists them. */
    private final List<String> order;

    /**
     * A tool with these commands plus {@code help}.
     *
     * @throws IllegalArgumentException if two commands share a name
     */
    public RagkitCli(List<Command> commands) {
        Map<String, Command> table = new LinkedHashMap<>();
        List<Command> all = new ArrayList<>(commands);
        all.add(new HelpCommand());
        for (Command c : all) {
            Command previous = table.putIfAbsent(Objects.requireNonNull(c.name(), "command name"), c);
            if (previous != null) {
                throw new IllegalArgumentException("two commands are named '" + c.name() + "': "
                        + previous.getClass().getName() + " and " + c.getClass().getName());
            }
        }
        this.commands = Map.copyOf(table);
        this.order = List.copyOf(table.keySet());
    }

    /** The built-in commands, in the order {@code help} lists them. Add new commands here. */
    public static List<Command> defaultCommands() {
        return List.of(new IngestCommand(), new AskCommand(), new DemoCommand(), EvalCommand.eval(), EvalCommand.bench(),
                new GuardEvalCommand(), new IndexCommand(), new MigrateCommand(), new ServeCommand());
    }

    /** Runs the tool and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(System.getenv(), out, err, System.console() != null);
        int code = new RagkitCli(defaultCommands()).run(List.of(args), context);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line and returns its exit code; never exits the JVM, so tests call this.
     * Errors are printed on {@code context.err()}.
     */
    public int run(List<String> args, CliContext context) {
        if (args.isEmpty()) {
            context.err().print(overview());
            return USAGE;
        }
        String name = args.get(0);
        if (name.equals("--help") || name.equals("-h")) {
            name = "help";
        }
        Command command = commands.get(name);
        if (command == null) {
            context.err().println("ragkit: unknown command '" + name + "'. Commands: " + String.join(", ", order)
                    + ". Run 'ragkit help'.");
            return USAGE;
        }
        try {
            return command.run(args.subList(1, args.size()), context);
        } catch (UsageException e) {
            context.err().println("ragkit " + command.name() + ": " + e.getMessage());
            context.err().println("Run 'ragkit " + command.name() + " --help' for the options.");
            return USAGE;
        } catch (RagConfigurationException e) {
            // The message already lists every problem, one per line, naming the key and the value.
            context.err().println(e.getMessage());
            return USAGE;
        } catch (InvalidInputException e) {
            context.err().println("ragkit " + command.name() + ": " + e.getMessage());
            return USAGE;
        } catch (RagException | UncheckedIOException e) {
            context.err().println("ragkit " + command.name() + " failed: " + e.getMessage());
            return FAILURE;
        } catch (RuntimeException e) {
            // A bug rather than a user error: keep the stack trace for the report.
            context.err().println("ragkit " + command.name() + " failed unexpectedly: " + e);
            e.printStackTrace(context.err());
            return FAILURE;
        }
    }

    /** The list of commands, as printed by {@code ragkit help}. */
    String overview() {
        StringBuilder text = new StringBuilder("""
            ragkit: retrieval-augmented answers over your own documents, with citations.

            Usage: ragkit <command> [arguments] [options]

            Commands:
            """);
        for (String name : order) {
            text.append(String.format("  %-8s %s%n", name, commands.get(name).summary()));
        }
        // The defaults are named from the constants the CLI uses, so the text cannot drift from them.
        text.append("""

            Run 'ragkit <command> --help' for a command's options.
            Defaults need no server and no key: %s embedder (%s), %s store persisted in
            %s, %s retrieval, extractive answers. To generate answers with a language model set
            RAG_LLM=ollama and OLLAMA_BASE_URL (optional OLLAMA_MODEL, OLLAMA_FALLBACK_MODEL), or RAG_LLM=hf and
            HF_TOKEN (optional HF_API_BASE, HF_MODEL, HF_FALLBACK_MODEL). For a Pinecone index set
            RAG_STORE=pinecone, PINECONE_API_KEY and RAG_STORE_PINECONE_INDEX.

            Exit codes: 0 ok, 1 run-time failure, 2 usage or configuration error.
            """.formatted(CliConfig.DEFAULT_EMBEDDER, CliConfig.DEFAULT_ONNX_MODEL, CliConfig.DEFAULT_STORE,
                CliConfig.DEFAULT_INDEX, CliConfig.DEFAULT_MODE));
        return text.toString();
    }

    /** {@code ragkit help [command]}. */
    private final class HelpCommand implements Command {
        @Override
        public String name() {
            return "help";
        }

        @Override
        public String summary() {
            return "list the commands, or show one command's options";
        }

        @Override
        public String usage() {
            return "Usage: ragkit help [command]\n";
        }

        @Override
        public int run(List<String> args, CliContext context) {
            if (args.isEmpty() || args.get(0).equals("--help")) {
                context.out().print(args.isEmpty() ? overview() : usage());
                return OK;
            }
            if (args.size() > 1) {
                throw new CliUsageException("help takes at most one command name, but was given " + args);
            }
            Command command = commands.get(args.get(0));
            if (command == null) {
                throw new CliUsageException("unknown command '" + args.get(0) + "'. Commands: " + String.join(", ", order));
            }
            context.out().print(command.usage());
            return OK;
        }
    }
}
