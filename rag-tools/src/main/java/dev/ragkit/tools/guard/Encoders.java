package dev.ragkit.tools.guard;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.embed.onnx.OnnxEmbedder;

/** The in-process encoder a guard evaluation hands the guards, as a pipeline with that embedder would. */
final class Encoders {
    private Encoders() {
    }

    /** An encoder, or none ({@code embedder()} null); closing releases it. */
    record Loaded(Embedder embedder) implements AutoCloseable {
        @Override
        public void close() {
            if (embedder != null) {
                embedder.close();
            }
        }
    }

    /**
     * {@code none}, or an ONNX model name of rag-embed-onnx ({@code all-minilm-l6-v2-q},
     * {@code bge-small-en-v1.5-q}), run on the calling thread (one core per call).
     *
     * @throws IllegalArgumentException naming the models when the name is unknown
     */
    static Loaded load(String name) {
        if (name.equalsIgnoreCase("none")) {
            return new Loaded(null);
        }
        try {
            return new Loaded(OnnxEmbedder.builder().model(name).threads(1).build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--encoder was '" + name + "': " + e.getMessage(), e);
        }
    }
}
