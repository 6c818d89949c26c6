package dev.ragkit.embed.onnx.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.embed.onnx.OnnxModel;
import java.nio.file.Path;

/**
 * Provider {@code onnx}. Keys (all optional): {@code rag.embedder.onnx.model} (one of
 * {@link OnnxModel#configNames()}, default {@code all-minilm-l6-v2-q}; a model whose artifact is not
 * on the class path is a configuration problem naming its Maven coordinates), {@code batch-size}
 * (default 64), {@code threads} (model calls in parallel; default 0 = one per core, 1 = in the
 * caller), {@code texts-per-call} (texts padded into one model call; default 1, see
 * {@link OnnxEmbedder.Builder#textsPerModelCall(int)}) and {@code cache-dir} (native libraries, see
 * {@link OnnxEmbedder.Builder#cacheDirectory(Path)}).
 */
public final class OnnxEmbedderProvider implements EmbedderProvider {
    private final ClassLoader modelLoader;

    /** The provider ServiceLoader creates; models are looked up on this library's class loader. */
    public OnnxEmbedderProvider() {
        this(OnnxModel.class.getClassLoader());
    }

    /** A provider looking model weights up on {@code modelLoader}; a seam for tests. */
    OnnxEmbedderProvider(ClassLoader modelLoader) {
        this.modelLoader = modelLoader;
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public Embedder create(ProviderConfig config) {
        String modelName = config.oneOf("model", OnnxModel.ALL_MINILM_L6_V2_Q.configName(), OnnxModel.configNames());
        int batchSize = config.integer("batch-size", 64);
        if (batchSize < 1) {
            config.problem("batch-size", batchSize, "must be >= 1");
        }
        int threads = config.integer("threads", 0);
        if (threads < 0) {
            config.problem("threads", threads, "must be >= 0 (0 means one per core)");
        }
        int textsPerCall = config.integer("texts-per-call", 1);
        if (textsPerCall < 1) {
            config.problem("texts-per-call", textsPerCall, "must be >= 1");
        }
        Path cacheDirectory = config.path("cache-dir", null);
        OnnxModel model = OnnxModel.fromConfigName(modelName).orElseThrow();
        if (!model.isOnClassPath(modelLoader)) {
            config.problem("model", modelName, ModelArtifacts.missingAdvice(model));
        }
        config.validate();
        OnnxEmbedder.Builder builder = OnnxEmbedder.builder()
                .model(model)
                .batchSize(batchSize)
                .textsPerModelCall(textsPerCall);
        if (threads > 0) {
            builder.threads(threads);
        }
        if (cacheDirectory != null) {
            builder.cacheDirectory(cacheDirectory);
        }
        return builder.build();
    }
}
