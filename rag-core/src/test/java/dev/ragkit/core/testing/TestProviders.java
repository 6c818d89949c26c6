package dev.ragkit.core.testing;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import java.util.Set;

/** Providers for assembly tests, registered through {@code ProviderRegistry.of}, never ServiceLoader. */
public final class TestProviders {
    private TestProviders() {
    }

    /** {@code words}: a {@link WordHashEmbedder}; key {@code dimension} (default 64). */
    public static final class WordsEmbedderProvider implements EmbedderProvider {
        @Override
        public String name() {
            return "words";
        }

        @Override
        public Embedder create(ProviderConfig config) {
            int dimension = config.integer("dimension", 64);
            String model = config.string("model", "");
            if (dimension < 8) {
                config.problem("dimension", dimension, "must be >= 8");
            }
            config.validate();
            return new WordHashEmbedder(dimension, model);
        }
    }

    /** {@code scripted}: an LLM answering key {@code answer}, required. */
    public static final class ScriptedLlmProvider implements LlmClientProvider {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            String answer = config.required("answer");
            config.validate();
            return ScriptedLlm.answering("scripted:test", answer);
        }
    }

    /** {@code shout}: a guard blocking questions written in capitals. */
    public static final class ShoutGuardProvider implements GuardProvider {
        @Override
        public String name() {
            return "shout";
        }

        @Override
        public Guard create(ProviderConfig config) {
            return new Guard() {
                @Override
                public String name() {
                    return "shout";
                }

                @Override
                public Set<GuardStage> stages() {
                    return Set.of(GuardStage.INPUT);
                }

                @Override
                public GuardVerdict check(dev.ragkit.core.spi.GuardInput input) {
                    String t = input.text();
                    return t.equals(t.toUpperCase()) ? GuardVerdict.block("shouting") : GuardVerdict.allow();
                }
            };
        }
    }

    /**
     * {@code vectors}: a guard that reads the pipeline's embedder ({@link GuardProvider#create(ProviderConfig,
     * Embedder)}) and embeds each question at INPUT, as a classifier head would; blocks nothing.
     */
    public static final class VectorGuardProvider implements GuardProvider {
        /** The embedder the last guard was given (null: none). */
        public static volatile Embedder given;

        @Override
        public String name() {
            return "vectors";
        }

        @Override
        public Guard create(ProviderConfig config) {
            return create(config, null);
        }

        @Override
        public Guard create(ProviderConfig config, Embedder embedder) {
            config.validate();
            given = embedder;
            return new Guard() {
                @Override
                public String name() {
                    return "vectors";
                }

                @Override
                public Set<GuardStage> stages() {
                    return Set.of(GuardStage.INPUT);
                }

                @Override
                public GuardVerdict check(dev.ragkit.core.spi.GuardInput input) {
                    if (embedder != null) {
                        embedder.embedQuery(input.text());
                    }
                    return GuardVerdict.allow();
                }
            };
        }
    }
}
