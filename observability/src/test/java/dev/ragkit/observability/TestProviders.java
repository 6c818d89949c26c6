package dev.ragkit.observability;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.TokenUsage;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.core.spi.Generation;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.LlmClientProvider;
import dev.ragkit.core.spi.LlmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** Stand-in providers, so that a pipeline exercises every meter the dashboard shows without a model server. */
final class TestProviders {
    private TestProviders() {
    }

    /** {@code obs-words}: words hashed into 32 buckets. */
    public static final class Words implements EmbedderProvider {
        @Override
        public String name() {
            return "obs-words";
        }

        @Override
        public Embedder create(ProviderConfig config) {
            return new Embedder() {
                @Override
                public String id() {
                    return "obs-words:32";
                }

                @Override
                public int dimension() {
                    return 32;
                }

                @Override
                public List<float[]> embedDocuments(List<String> texts) {
                    List<float[]> out = new ArrayList<>();
                    texts.forEach(t -> out.add(embedQuery(t)));
                    return out;
                }

                @Override
                public float[] embedQuery(String text) {
                    float[] v = new float[32];
                    v[0] = 0.01f;
                    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                        if (!w.isEmpty()) {
                            v[Math.floorMod(w.hashCode(), 32)] += 1;
                        }
                    }
                    double norm = 0;
                    for (float f : v) {
                        norm += f * f;
                    }
                    for (int i = 0; i < v.length; i++) {
                        v[i] /= (float) Math.sqrt(norm);
                    }
                    return v;
                }
            };
        }
    }

    /** {@code obs-down}: a model server that is always unreachable, so the pipeline falls back. */
    public static final class Down implements LlmClientProvider {
        @Override
        public String name() {
            return "obs-down";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            return new Model("obs-down", true);
        }
    }

    /** {@code obs-steady}: answers at once, citing source 1, with token usage. */
    public static final class Steady implements LlmClientProvider {
        @Override
        public String name() {
            return "obs-steady";
        }

        @Override
        public LlmClient create(ProviderConfig config) {
            return new Model("obs-steady", false);
        }
    }

    private record Model(String id, boolean down) implements LlmClient {
        @Override
        public Generation generate(LlmRequest request) {
            if (down) {
                throw RagBackendException.retriable(id, "connection refused", null);
            }
            return new Generation("The sources say so [1].", new TokenUsage(120, 7), id);
        }

        @Override
        public Generation stream(LlmRequest request, Consumer<String> onToken) {
            Generation g = generate(request);
            onToken.accept(g.text());
            return g;
        }
    }

    /** {@code obs-flag}: flags input that mentions a password, allows the rest. */
    public static final class Flag implements GuardProvider {
        @Override
        public String name() {
            return "obs-flag";
        }

        @Override
        public Guard create(ProviderConfig config) {
            return new Guard() {
                @Override
                public String name() {
                    return "obs-flag";
                }

                @Override
                public Set<GuardStage> stages() {
                    return Set.of(GuardStage.INPUT);
                }

                @Override
                public GuardVerdict check(GuardInput input) {
                    return input.text().contains("password") ? GuardVerdict.flag("mentions a password") : GuardVerdict.allow();
                }
            };
        }
    }
}
