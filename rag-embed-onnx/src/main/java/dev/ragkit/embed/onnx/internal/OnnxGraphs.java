package dev.ragkit.embed.onnx.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** Edits of a serialized ONNX model that need no ONNX library: protobuf fields appended to its bytes. */
public final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /**
     * The tensor a BERT encoder exported by Hugging Face's ONNX exporter (as all-MiniLM-L6-v2's artifact
     * is) names the token states after its layer {@code layers}, counted from 1.
     */
    public static String bertLayerOutput(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers was " + layers + " but it must be >= 1");
        }
        return "/encoder/layer." + (layers - 1) + "/output/LayerNorm/Add_1_output_0";
    }

    /**
     * The model's bytes with the float tensor {@code tensor}, computed inside the graph, declared one
     * more graph output, so ONNX Runtime hands it out beside the model's own outputs. A serialized
     * protobuf message read twice merges, so a trailing {@code graph} field holding one {@code output}
     * adds it to the graph, the nodes and the other outputs unchanged: ModelProto.graph (7) →
     * GraphProto.output (12) → ValueInfoProto {name (1), type (2) → TypeProto.tensor_type (1) →
     * elem_type (1) = FLOAT (1)}.
     */
    public static byte[] withFloatOutput(byte[] model, String tensor) {
        Objects.requireNonNull(model, "model");
        if (tensor == null || tensor.isBlank()) {
            throw new IllegalArgumentException("tensor name was '" + tensor + "' but it must be non-blank");
        }
        byte[] tensorType = {0x08, 0x01}; // TypeProto.Tensor.elem_type (1, a varint) = FLOAT
        byte[] valueInfo = concat(field(1, tensor.getBytes(StandardCharsets.UTF_8)), field(2, field(1, tensorType)));
        return concat(model, field(7, field(12, valueInfo)));
    }

    /** A length-delimited protobuf field. */
    private static byte[] field(int number, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (number << 3) | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
