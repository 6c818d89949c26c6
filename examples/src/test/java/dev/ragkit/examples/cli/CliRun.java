package dev.ragkit.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One in-process run of the CLI with captured output and a controlled environment.
 *
 * @param exitCode what the process would exit with
 * @param out standard output
 * @param err standard error
 */
record CliRun(int exitCode, String out, String err) {
    /** Runs the default commands with an empty environment. */
    static CliRun run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs the default commands with {@code env} as the environment. */
    static CliRun run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = new RagkitCli(RagkitCli.defaultCommands()).run(List.of(args), new CliContext(env, o, e, false));
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** The value of {@code name=} in the ingest summary line, e.g. {@code chunks_embedded}. */
    int summary(String name) {
        for (String line : out.split("\n")) {
            if (line.contains("chunks_embedded=")) {
                for (String part : line.replace("Ingested: ", "").split(" ")) {
                    if (part.startsWith(name + "=")) {
                        return Integer.parseInt(part.substring(name.length() + 1));
                    }
                }
            }
        }
        throw new AssertionError("no " + name + "= in the output:\n" + out + "\nstderr:\n" + err);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
