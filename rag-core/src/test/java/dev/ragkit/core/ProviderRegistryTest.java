package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.internal.MemoryVectorStoreProvider;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.testing.TestProviders;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    @Test
    void discoversTheMemoryStoreThroughServiceLoader() {
        ProviderRegistry registry = ProviderRegistry.discover();
        assertThat(registry.names(ComponentKind.STORE)).contains("memory");
        assertThat(registry.store("memory")).isInstanceOf(MemoryVectorStoreProvider.class);
    }

    @Test
    void unknownNameListsTheAvailableNamesAndTheArtifactToAdd() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new MemoryVectorStoreProvider()));
        assertThatThrownBy(() -> registry.store("nosuch"))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessage("No VectorStore provider named 'nosuch'. Available: [memory]. "
                        + "Add dev.ragkit:rag-store-nosuch to the class path.");
        assertThatThrownBy(() -> registry.llm("ollama"))
                .hasMessage("No LlmClient provider named 'ollama'. Available: []. "
                        + "Add dev.ragkit:rag-llm-ollama to the class path.");
    }

    @Test
    void twoProvidersWithOneNameFailAndListBothClasses() {
        assertThatThrownBy(() -> ProviderRegistry.of(List.of(new MemoryVectorStoreProvider(), new OtherMemory())))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("Two VectorStore providers are named 'memory'")
                .hasMessageContaining(MemoryVectorStoreProvider.class.getName())
                .hasMessageContaining(OtherMemory.class.getName());
    }

    @Test
    void invalidNamesAreRejected() {
        assertThatThrownBy(() -> ProviderRegistry.of(List.of(new BadName())))
                .hasMessageContaining(BadName.class.getName())
                .hasMessageContaining("'Bad_Name'");
    }

    @Test
    void aProviderThatFailsToLoadIsNamed(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(VectorStoreProvider.class.getName()),
                "com.example.MissingStoreProvider\n" + ExplodingProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            assertThatThrownBy(() -> ProviderRegistry.discover(loader))
                    .isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("com.example.MissingStoreProvider")
                    .hasMessageContaining(ExplodingProvider.class.getName() + " failed to load")
                    .satisfies(e -> assertThat(((RagConfigurationException) e).problems()).hasSize(2));
        }
    }

    @Test
    void kindsMapToConfigSegmentsAndArtifacts() {
        assertThat(ComponentKind.EMBEDDER.artifactFor("onnx")).isEqualTo("dev.ragkit:rag-embed-onnx");
        assertThat(ComponentKind.GUARD.artifactFor("pii")).isEqualTo("dev.ragkit:rag-guard");
        assertThat(ProviderRegistry.of(List.of(new TestProviders.WordsEmbedderProvider()))
                .names(ComponentKind.EMBEDDER)).containsExactly("words");
    }

    /** A second provider named like the memory store. */
    public static final class OtherMemory implements VectorStoreProvider {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public VectorStore create(ProviderConfig config) {
            throw new UnsupportedOperationException("never created");
        }
    }

    /** A provider whose name breaks the naming rule. */
    public static final class BadName implements VectorStoreProvider {
        @Override
        public String name() {
            return "Bad_Name";
        }

        @Override
        public VectorStore create(ProviderConfig config) {
            throw new UnsupportedOperationException("never created");
        }
    }

    /** A provider whose constructor fails, as one with a missing native library would. */
    public static final class ExplodingProvider implements VectorStoreProvider {
        public ExplodingProvider() {
            throw new IllegalStateException("native library missing");
        }

        @Override
        public String name() {
            return "exploding";
        }

        @Override
        public VectorStore create(ProviderConfig config) {
            throw new UnsupportedOperationException("never created");
        }
    }
}
