package dev.ragkit.embed.onnx.internal;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.EmbedderProvider;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.embed.onnx.OnnxModel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Provider {@code onnx}. Keys (all optional): {@code rag.embedder.onnx.model} (one of
 * {@link OnnxModel#configNames()}, default {@code all-minilm-l6-v2-q}), {@code batch-size} (default
 * 64) and {@code threads} (texts embedded in parallel; default 0 = one per core, 1 = in the caller).
 */
public final class OnnxEmbedderProvider implements EmbedderProvider {
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
        config.validate();
        OnnxEmbedder.Builder builder = OnnxEmbedder.builder()
                .model(OnnxModel.fromConfigName(modelName).orElseThrow())
                .batchSize(batchSize);
        if (threads == 1) {
            builder.executor(Runnable::run);
        } else if (threads > 1) {
            builder.executor(daemonPool(threads));
        }
        return builder.build();
    }

    /** Daemon threads, because an {@link dev.ragkit.core.spi.Embedder} has no close to stop them. */
    private static ExecutorService daemonPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ragkit-onnx-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
