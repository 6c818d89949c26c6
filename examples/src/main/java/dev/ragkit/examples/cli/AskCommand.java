package dev.ragkit.examples.cli;

import dev.ragkit.core.AnswerListener;
import dev.ragkit.core.RagPipeline;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.store.StoreDirectory;
import dev.ragkit.tools.cli.Args;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** {@code ragkit ask "question"}: answers from the index, with numbered sources. */
final class AskCommand implements Command {
    private static final Set<String> VALUED;
    private static final Set<String> REPEATABLE = Set.of("set", "where");
    private static final Set<String> FLAGS = Set.of("stream", "verbose");

    static {
        Set<String> valued = new HashSet<>(IndexAccess.VALUED);
        valued.addAll(Set.of("mode", "top-k", "min-score", "llm", "session"));
        VALUED = Set.copyOf(valued);
    }

    @Override
    public String name() {
        return "ask";
    }

    @Override
    public String summary() {
        return "answer a question from the index, with numbered citations";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit ask "question" [options]

            Retrieves the most relevant chunks and answers with numbered citations. With no language
            model configured the answer is extractive: sentences quoted from the sources, labelled so.

            Options:
              --mode MODE       dense, keyword (BM25) or hybrid (default); RAG_RETRIEVAL_MODE
              --top-k N         chunks retrieved, 1 to %d (default 5); RAG_RETRIEVAL_TOP_K
              --min-score S     drop chunks scoring below S, in [0, 1]; RAG_RETRIEVAL_MIN_SCORE
              --where KEY=VALUE only chunks whose metadata KEY equals VALUE, e.g. --where lang=fr
                                (repeatable: all must hold)
              --llm NAMES       language model providers, comma list = fallback chain; RAG_LLM.
                                --llm none forces extractive answers
              --session KEY     the session or user asking: during a rollout of a new index version
                                (ragkit index rollout), the same key is always answered by the
                                same version; without it, the question's text decides
              --stream          print the answer as it is generated
              --verbose         also print per-step timings, token usage and the trace id
            """.formatted(Retriever.MAX_TOP_K) + IndexAccess.OPTIONS_HELP + """

            Example:
              ragkit ask "How does incremental ingestion work?" --top-k 3
            """;
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, VALUED, REPEATABLE, FLAGS);
        if (args.flag("help")) {
            context.out().print(usage());
            return 0;
        }
        // Unquoted words are joined, so `ragkit ask what is ragkit` works too.
        String question = String.join(" ", args.positionals()).strip();
        if (question.isEmpty()) {
            throw new CliUsageException("ask needs a question, e.g. ragkit ask \"What is Ragkit?\"");
        }
        CliConfig config = IndexAccess.config(args, context, c -> {
            args.value("mode").ifPresent(m -> c.set("rag.retrieval.mode", mode(m)));
            args.intBetween("top-k", 1, Retriever.MAX_TOP_K)
                    .ifPresent(k -> c.set("rag.retrieval.top-k", Integer.toString(k)));
            args.value("min-score").ifPresent(s -> c.set("rag.retrieval.min-score", minScore(s)));
            args.value("llm").ifPresent(llm -> {
                if (llm.equals("none")) {
                    c.remove("rag.llm");
                } else {
                    c.set("rag.llm", llm);
                }
            });
        });
        Filter filter = filter(args.values("where"));
        boolean stream = args.flag("stream");
        Optional<Path> directory = config.indexDirectory();
        if (directory.isPresent() && !Files.isDirectory(directory.get())) {
            // Checked before assembly, which would create an empty index there (e.g. after a typo in --index).
            context.err().println("There is no index at " + directory.get()
                    + ": run 'ragkit ingest <folder>' first (or 'ragkit demo'), or pass --index DIR.");
            return 1;
        }
        String empty = "The " + IndexAccess.describe(config) + " is empty: run 'ragkit ingest <folder>' first (or 'ragkit demo').";
        if (directory.isPresent()) {
            if (isEmptyFolder(directory.get())) {
                // Nothing to read: an empty store in memory still checks the rest of the configuration.
                config.remove("rag.store." + config.store() + ".directory");
            } else {
                // Asking only reads: open the last committed state, beside a running ingest, writing nothing.
                config.set("rag.store." + config.store() + ".read-only", "true");
            }
        }
        try (Ragkit rag = Ragkit.fromConfig(config.toMap())) {
            if (rag.store().count() == 0) {
                context.err().println(empty);
                return 1;
            }
            String session = args.value("session").orElse(null);
            answer(session == null ? rag.pipeline() : rag.pipeline().forKey(session), question, filter, stream,
                    args.flag("verbose"), context.out());
        }
        return 0;
    }

    /** A folder holding nothing, or only a store's lock file: no store was ever written there. */
    private static boolean isEmptyFolder(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(StoreDirectory.LOCK));
        } catch (IOException e) {
            return false; // let the store's open say what is wrong
        }
    }

    /** Asks and prints; shared with {@code demo}. */
    static Answer answer(RagPipeline pipeline, String question, Filter filter, boolean stream, boolean verbose,
                         PrintStream out) {
        Answer answer;
        AtomicBoolean streamed = new AtomicBoolean();
        long start = System.nanoTime();
        if (stream) {
            answer = pipeline.askStreaming(question, filter, new AnswerListener() {
                @Override
                public void onToken(String token) {
                    streamed.set(true);
                    out.print(token);
                    out.flush();
                }

                @Override
                public void onRestart(Answer.Fallback reason) {
                    // What was printed is void; a terminal cannot take it back, so say why and start on a new line.
                    if (streamed.getAndSet(false)) {
                        out.println();
                    }
                    out.println("[" + AnswerPrinter.fallbackLine(reason) + "]");
                }
            });
        } else {
            answer = pipeline.ask(question, filter);
        }
        AnswerPrinter.print(answer, out, streamed.get(), verbose, Duration.ofNanos(System.nanoTime() - start));
        return answer;
    }

    private static String mode(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "hybrid" -> "hybrid";
            case "dense" -> "dense";
            case "bm25", "keyword" -> "keyword";
            default -> throw new CliUsageException("option --mode was '" + value + "' but it must be dense, keyword or hybrid");
        };
    }

    private static String minScore(String value) {
        try {
            double s = Double.parseDouble(value.trim());
            if (s >= 0 && s <= 1) {
                return value.trim();
            }
        } catch (NumberFormatException e) {
            // reported below with the option name
        }
        throw new CliUsageException("option --min-score was '" + value + "' but it must be a number in [0, 1]");
    }

    /** {@code --where k=v ...} as an AND of equalities, or null when there are none. */
    static Filter filter(List<String> conditions) {
        List<Filter> parts = new ArrayList<>();
        for (String condition : conditions) {
            int eq = condition.indexOf('=');
            if (eq <= 0) {
                throw new CliUsageException("option --where was '" + condition + "' but it must be KEY=VALUE");
            }
            parts.add(Filter.eq(condition.substring(0, eq).trim(), condition.substring(eq + 1).trim()));
        }
        if (parts.isEmpty()) {
            return null;
        }
        return parts.size() == 1 ? parts.get(0) : Filter.and(parts.toArray(Filter[]::new));
    }
}
