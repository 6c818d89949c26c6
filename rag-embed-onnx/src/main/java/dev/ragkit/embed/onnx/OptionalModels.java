package dev.ragkit.embed.onnx;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.concurrent.Executor;

/**
 * The only references to classes of optional model artifacts. The JVM resolves them when a method
 * here first runs, so a host without the artifact can still load {@link OnnxModel}.
 */
final class OptionalModels {
    private OptionalModels() {
    }

    /** LangChain4j's bge-small-en-v1.5 model, on {@code executor} or, when null, LangChain4j's pool. */
    static AbstractInProcessEmbeddingModel bgeSmallEnV15Q(Executor executor) {
        return executor == null ? new BgeSmallEnV15QuantizedEmbeddingModel()
                : new BgeSmallEnV15QuantizedEmbeddingModel(executor);
    }
}
