package dev.ragkit.examples.cli;

import dev.ragkit.tools.cli.Args;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Options shared by the commands that open an index, and the checks made when opening one. */
final class IndexAccess {
    static final Set<String> VALUED = Set.of("index", "store", "embedder", "model", "config");
    static final Set<String> REPEATABLE = Set.of("set");

    /** The options above, with the defaults named from {@link CliConfig}'s constants. */
    static final String OPTIONS_HELP = """
              --index DIR       index directory for directory-backed stores (%s);
                                default %s, or RAG_STORE_<NAME>_DIRECTORY
              --store NAME      vector store provider (default %s, or RAG_STORE)
              --embedder NAME   embedder provider (default %s, or RAG_EMBEDDER)
              --model M         model of the embedder (onnx: all-minilm-l6-v2-q, bge-small-en-v1.5-q)
              --config FILE     a properties file of rag.* keys (applied after environment variables)
              --set KEY=VALUE   any configuration key, e.g. --set rag.splitter.max-chars=800 (repeatable;
                                applied last, so it wins over the file and the environment)
            """.formatted(String.join(", ", new TreeSet<>(CliConfig.DIRECTORY_STORES)), CliConfig.DEFAULT_INDEX,
            CliConfig.DEFAULT_STORE, CliConfig.DEFAULT_EMBEDDER);

    private IndexAccess() {
    }

    /** Defaults, then environment variables, then {@code --config FILE}, then the shared flags of {@code args}. */
    static CliConfig config(Args args, CliContext context) {
        return config(args, context, c -> { });
    }

    /**
     * Like {@link #config(Args, CliContext)}, with a command's own flags applied just before
     * {@code --set}, so that {@code --set} always has the last word.
     */
    static CliConfig config(Args args, CliContext context, Consumer<CliConfig> commandFlags) {
        CliConfig config = context.baseConfig();
        args.value("config").ifPresent(file -> config.load(Path.of(file)));
        args.value("store").ifPresent(v -> config.set("rag.store", v));
        args.value("embedder").ifPresent(v -> config.set("rag.embedder", v));
        args.value("model").ifPresent(config::model);
        commandFlags.accept(config);
        config.setAll(args.values("set"));
        config.index(args.value("index").map(Path::of).orElse(CliConfig.DEFAULT_INDEX),
                args.value("index").isPresent());
        return config;
    }

    /** How to name the index in messages: its directory, else the store name. */
    static String describe(CliConfig config) {
        return config.indexDirectory().map(p -> "index " + p).orElse("store '" + config.store() + "'");
    }
}
