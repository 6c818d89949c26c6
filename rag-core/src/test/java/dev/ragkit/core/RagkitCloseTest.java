package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.ScriptedLlm;
import dev.ragkit.core.testing.WordHashEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Ragkit#close()} and a failed assembly close every part, last created first, past failures. */
class RagkitCloseTest {
    /** Names of closed parts, in the order they were closed. */
    private final List<String> closed = new ArrayList<>();
    /** Names of the parts whose close throws. */
    private final Set<String> failing = new java.util.HashSet<>();

    private void closing(String name) {
        closed.add(name);
        if (failing.contains(name)) {
            throw new RagException(name + " refused to close");
        }
    }

    private final class Recorder implements AutoCloseable {
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closing(name);
        }
    }

    private EmbedderProvider embedder() {
        return new EmbedderProvider() {
            @Override
            public String name() {
                return "rec";
            }

            @Override
            public Embedder create(ProviderConfig config) {
                WordHashEmbedder words = new WordHashEmbedder(16);
                return new Embedder() {
                    @Override
                    public String id() {
                        return words.id();
                    }

                    @Override
                    public int dimension() {
                        return words.dimension();
                    }

                    @Override
                    public List<float[]> embedDocuments(List<String> texts) {
                        return words.embedDocuments(texts);
                    }

                    @Override
                    public float[] embedQuery(String query) {
                        return words.embedQuery(query);
                    }

                    @Override
                    public void close() {
                        closing("embedder");
                    }
                };
            }
        };
    }

    private LlmClientProvider llm(String name) {
        return new LlmClientProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LlmClient create(ProviderConfig config) {
                ScriptedLlm scripted = ScriptedLlm.answering(name + ":test", "an answer");
                Recorder recorder = new Recorder(name);
                return new LlmClient() {
                    @Override
                    public String id() {
                        return scripted.id();
                    }

                    @Override
                    public dev.ragkit.core.spi.Generation generate(dev.ragkit.core.spi.LlmRequest request) {
                        return scripted.generate(request);
                    }

                    @Override
                    public dev.ragkit.core.spi.Generation stream(dev.ragkit.core.spi.LlmRequest request,
                            java.util.function.Consumer<String> onToken) {
                        return scripted.stream(request, onToken);
                    }

                    @Override
                    public void close() {
                        recorder.close();
                    }
                };
            }
        };
    }

    private GuardProvider guard(String name) {
        return new GuardProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Guard create(ProviderConfig config) {
                return new Guard() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public Set<GuardStage> stages() {
                        return Set.of(GuardStage.INPUT);
                    }

                    @Override
                    public GuardVerdict check(GuardInput input) {
                        return GuardVerdict.allow();
                    }

                    @Override
                    public void close() {
                        closing(name);
                    }
                };
            }
        };
    }

    private VectorStoreProvider store() {
        return new VectorStoreProvider() {
            @Override
            public String name() {
                return "rec-store";
            }

            @Override
            public VectorStore create(ProviderConfig config) {
                int dimension = config.requiredInteger("dimension");
                config.validate();
                return new ForwardingVectorStore(MemoryVectorStore.builder().dimension(dimension).build()) {
                    @Override
                    public void close() {
                        try {
                            closing("store");
                        } finally {
                            super.close();
                        }
                    }
                };
            }
        };
    }

    private ProviderRegistry registry() {
        List<Provider<?>> providers = List.of(embedder(), llm("llm-a"), llm("llm-b"), guard("guard-a"),
                guard("guard-b"), store());
        return ProviderRegistry.of(providers);
    }

    private static Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("rag.embedder", "rec");
        config.put("rag.store", "rec-store");
        config.put("rag.llm", "llm-a,llm-b");
        config.put("rag.guards", "guard-a,guard-b");
        config.put("rag.retrieval.mode", "dense");
        return config;
    }

    @Test
    void closeWalksThePartsInTheReverseOrderOfCreation() {
        Ragkit ragkit = Ragkit.fromConfig(config(), registry());

        ragkit.close();

        // Created: embedder, llm-a, llm-b, guard-a, guard-b, store.
        assertThat(closed).containsExactly("store", "guard-b", "guard-a", "llm-b", "llm-a", "embedder");
    }

    @Test
    void aFailingCloseDoesNotStopTheOthersAndLaterFailuresAreSuppressed() {
        Ragkit ragkit = Ragkit.fromConfig(config(), registry());
        failing.add("guard-a");
        failing.add("embedder");

        assertThatThrownBy(ragkit::close)
                .isInstanceOf(RagException.class)
                .hasMessageContaining("guard-a refused to close")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("embedder refused to close")));
        assertThat(closed).containsExactly("store", "guard-b", "guard-a", "llm-b", "llm-a", "embedder");
    }

    @Test
    void aFailedAssemblyClosesWhatItCreatedLastFirst() {
        Map<String, String> config = config();
        config.put("rag.retrieval.top-k", "zero");

        assertThatThrownBy(() -> Ragkit.fromConfig(config, registry())).isInstanceOf(RagConfigurationException.class);

        assertThat(closed).containsExactly("store", "guard-b", "guard-a", "llm-b", "llm-a", "embedder");
    }

    @Test
    void closeAllSkipsNullsAndWalksBackwards() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(new Recorder("first"));
        parts.add(null);
        parts.add(new Recorder("second"));

        assertThat(Ragkit.closeAll(parts)).isNull();

        assertThat(closed).containsExactly("second", "first");
    }
}
