package dev.ragkit.examples.cli;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may use: the environment (only for {@code RAG_*} config mapping), the output
 * streams, and whether standard error is a terminal (progress bars redraw in place only then).
 *
 * @param env the process environment, or a test's substitute
 * @param out answers and summaries
 * @param err progress, warnings and errors
 * @param interactive whether a person is watching a terminal
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
    public CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The configuration from defaults and {@code RAG_*} variables, to which a command adds its flags. */
    CliConfig baseConfig() {
        boolean anyProviderVariable = env.keySet().stream().anyMatch(k -> k.startsWith("RAG_")
                && (k.startsWith("RAG_STORE_") || k.startsWith("RAG_EMBEDDER_") || k.startsWith("RAG_LLM_")
                || k.startsWith("RAG_GUARD_")));
        if (!anyProviderVariable) {
            return CliConfig.fromEnvironment(env, kind -> List.of());
        }
        ProviderRegistry registry;
        try {
            registry = ProviderRegistry.discover();
        } catch (RagConfigurationException e) {
            // Assembly will report the same problem with full context; until then map names word by word.
            return CliConfig.fromEnvironment(env, kind -> List.of());
        }
        return CliConfig.fromEnvironment(env, (ComponentKind kind) -> registry.names(kind));
    }
}
