package dev.ragkit.examples.cli;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.store.StoreDamagedException;
import dev.ragkit.tools.cli.Args;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ragkit demo}: ingests the bundled corpus (Ragkit's own documentation, French and English)
 * into {@code .ragkit/demo/index} and answers a few questions in both languages with citations,
 * on the embedded defaults: no server, no key.
 *
 * <p>The index persists between runs, so a second {@code demo} shows incremental ingestion at work
 * ({@code chunks_embedded=0}); {@code --fresh} starts from an empty index.
 */
final class DemoCommand implements Command {
    /** Where the demo keeps its corpus copy and index, under the working directory. */
    static final Path DEFAULT_HOME = Path.of(".ragkit", "demo");

    /**
     * A question of the demo, answered from the documents of its language.
     *
     * @param lang {@code fr} or {@code en}: the demo restricts retrieval to that language's documents
     */
    record Question(String lang, String text) {
    }

    static final List<Question> QUESTIONS = List.of(
            new Question("en", "What happens when I re-ingest an unchanged document?"),
            new Question("fr", "Comment fonctionne la recherche hybride ?"),
            new Question("en", "Which embedding model is used by default, and does it need a server?"),
            new Question("fr", "Que se passe-t-il quand aucun modèle de langage n'est configuré ?"));

    private static final Set<String> FLAGS = Set.of("fresh", "verbose");

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "ingest the bundled FR/EN corpus and answer four questions with citations";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit demo [options]

            Copies the bundled sample corpus (Ragkit's documentation, a dozen files in French and in English)
            to .ragkit/demo/corpus, ingests it into .ragkit/demo/index and answers four questions, two in
            each language, with numbered citations, the sources, who answered and per-step timings.
            The index is kept, so running the demo again re-embeds nothing (chunks_embedded=0).

            Options:
              --fresh           delete the demo index first and ingest from scratch
              --index DIR       index directory (default .ragkit/demo/index)
            """ + IndexAccess.OPTIONS_HELP.lines()
                .filter(l -> !l.contains("--index") && !l.contains("default " + CliConfig.DEFAULT_INDEX))
                .map(l -> l + "\n").reduce("", String::concat);
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, IndexAccess.VALUED, IndexAccess.REPEATABLE, FLAGS);
        if (args.flag("help")) {
            context.out().print(usage());
            return 0;
        }
        if (!args.positionals().isEmpty()) {
            throw new CliUsageException("demo takes no arguments, but was given " + args.positionals());
        }
        Path index = args.value("index").map(Path::of).orElse(DEFAULT_HOME.resolve("index")).toAbsolutePath().normalize();
        Path corpus = index.resolveSibling("corpus");
        if (args.value("index").isPresent()) {
            corpus = index.resolveSibling(index.getFileName() + "-corpus");
        }
        CliConfig config = IndexAccess.config(args, context);
        config.index(index, true);
        if (args.flag("fresh")) {
            deleteTree(index);
        }
        deleteTree(corpus); // a stale copy could hold files the bundled corpus no longer has
        List<Path> files = DemoCorpus.extractTo(corpus);

        PrintStream out = context.out();
        try (Ragkit rag = openDemoIndex(config, index)) {
            out.printf(Locale.ROOT, "Ragkit demo: %d files of Ragkit's documentation (FR + EN) from %s%n", files.size(),
                    corpus);
            out.printf(Locale.ROOT, "embedder %s, store %s (%s), retrieval %s, answers %s%n%n", rag.embedder().id(),
                    rag.store().name(), index, config.toMap().get("rag.retrieval.mode"),
                    rag.llms().isEmpty() ? "extractive (no language model configured)"
                            : "by " + String.join(" then ", rag.llms().stream().map(l -> l.id()).toList()));
            IngestCommand.Result result = IngestCommand.ingest(rag, List.of(corpus), context);
            out.printf(Locale.ROOT, "Ingested: %s in %.1f s (%d chunks in the index)%n", result.summaryLine(),
                    result.duration().toMillis() / 1000.0, rag.store().count());
            int n = 0;
            for (Question q : QUESTIONS) {
                n++;
                out.println();
                out.println("=".repeat(100));
                out.printf(Locale.ROOT, "Q%d [%s] %s%n", n, q.lang(), q.text());
                out.println("=".repeat(100));
                AskCommand.answer(rag.pipeline(), q.text(), Filter.eq("lang", q.lang()), false, true, out);
            }
            out.println();
            out.println("Ask your own: ./ragkit ask --index " + index + " \"your question\"");
        }
        return 0;
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the demo's own index; when it cannot be opened as it is (written by an earlier Ragkit,
     * damaged, or built by another embedder) the error says that {@code --fresh} rebuilds it, since the
     * demo can always make its index again from the bundled corpus.
     */
    private static Ragkit openDemoIndex(CliConfig config, Path index) {
        try {
            return Ragkit.fromConfig(config.toMap());
        } catch (RagConfigurationException | StoreDamagedException e) {
            if (!String.valueOf(e.getMessage()).contains(index.toString())) {
                throw e; // a configuration problem, not the index: --fresh would not help
            }
            String hint = "The demo index " + index + " can be rebuilt from the bundled corpus: ./ragkit demo --fresh";
            if (e instanceof StoreDamagedException) {
                throw new RagException(e.getMessage() + "\n" + hint, e);
            }
            throw new RagConfigurationException(e.getMessage() + "\n" + hint, e);
        }
    }
}
