package dev.ragkit.embed.onnx;

import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A classifier head that reads the encoder's token states after one of its layers and scores a query
 * in the same model pass that embeds it (see {@link OnnxEmbedder#embedQueryScored}). The head is a
 * small ONNX graph of its own: inputs {@code states} [batch, tokens, width] and {@code attention_mask},
 * output {@code score} (a probability).
 *
 * <p>One ships: the prompt-injection head of rag-guard for {@link OnnxModel#ALL_MINILM_L6_V2_Q},
 * all-MiniLM-L6-v2's layers 5 and 6 fine-tuned as a classifier over the embedder's own states after
 * layer 4, mean pooling and a logistic output, in 8 bits (3.6 MB). It was trained by
 * {@code rag-guard/scripts/finetune-minilm.py train --all-rows} on rag-guard's injection development
 * rows (rag-guard/README.md says how it was measured); the guard blends its score with its n-gram
 * model's. The id ends with a digest of the graph, so a guard tuned for these weights sees when
 * others run.
 */
final class QueryHead {
    /** The injection head's graph, beside this class. */
    static final String INJECTION_MINILM = "injection-layers5-6-all-minilm-l6-v2-q.onnx";
    /** The longest window the head was trained on: [CLS] + 126 tokens + [SEP]; later tokens are not read. */
    static final int MAX_TOKENS = 128;

    private final String id;
    private final String statesTensor;
    private final byte[] graph;

    private QueryHead(String id, String statesTensor, byte[] graph) {
        this.id = id;
        this.statesTensor = statesTensor;
        this.graph = graph;
    }

    /** The head bundled for {@code model}, if one ships. */
    static Optional<QueryHead> bundledFor(OnnxModel model) {
        if (model != OnnxModel.ALL_MINILM_L6_V2_Q) {
            return Optional.empty();
        }
        byte[] graph = resource(INJECTION_MINILM);
        return Optional.of(new QueryHead("injection:" + OnnxEmbedder.BACKEND + ":" + model.configName() + ":layers5-6:"
                + digest(graph), OnnxGraphs.bertLayerOutput(4), graph));
    }

    /** E.g. {@code injection:onnx:all-minilm-l6-v2-q:layers5-6:1a2b3c4d}. */
    String id() {
        return id;
    }

    /** The encoder's tensor the head reads: the token states after layer 4 of all-MiniLM-L6-v2. */
    String statesTensor() {
        return statesTensor;
    }

    /** The head's serialized ONNX graph. */
    byte[] graph() {
        return graph.clone();
    }

    private static byte[] resource(String name) {
        try (InputStream in = QueryHead.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("query head '" + name + "' is missing from rag-embed-onnx's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read query head '" + name + "'", e);
        }
    }

    /** The first 8 hex digits of the graph's SHA-256. */
    private static String digest(byte[] graph) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(graph)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
