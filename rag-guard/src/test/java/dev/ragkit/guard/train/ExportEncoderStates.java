package dev.ragkit.guard.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes, for each row of an {@link ExportEncoderRows} file, the token states that the pipeline's
 * default embedder (the 8-bit {@code all-minilm-l6-v2-q} of rag-embed-onnx, run by ONNX Runtime)
 * computes after its first {@code K} layers, for {@code rag-guard/scripts/finetune-minilm.py --states}:
 * fine-tuned top layers measured on exactly the states one shared encoder pass would hand them, not
 * on the float32 model's.
 *
 * <p>The model does not declare those states an output, so the tool appends the declaration to the
 * model's bytes ({@link OnnxGraphs#withFloatOutput}, as the embedder itself does for its query heads).
 *
 * <p>Each row is run alone, unpadded, as [CLS] + its first 126 ids + [SEP] (the script's window).
 * Output, little-endian: per row in file order, the token count {@code T} (int32), then {@code T × 384}
 * float32 values.
 *
 * <pre>
 * mvn -B -q -f rag-guard/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ragkit.guard.train.ExportEncoderStates \
 *   -Dexec.args="target/finetune/injection.tsv 4 target/finetune/injection-states4-q.bin"
 * </pre>
 */
public final class ExportEncoderStates {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final int LAYERS = 6;
    private static final int WIDTH = 384;
    private static final int MAX_LEN = 128;
    private static final long CLS = 101;
    private static final long SEP = 102;

    private ExportEncoderStates() {
    }

    /** Entry point: {@code ROWS K OUT}. */
    public static void main(String[] args) throws IOException, OrtException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ExportEncoderStates ROWS K OUT (K: layers below the states, 1..5)");
        }
        int layers = Integer.parseInt(args[1]);
        if (layers < 1 || layers >= LAYERS) {
            throw new IllegalArgumentException("K was " + layers + " but it must be within 1.." + (LAYERS - 1));
        }
        List<String> rows = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        String states = OnnxGraphs.bertLayerOutput(layers);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        long start = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = environment.createSession(OnnxGraphs.withFloatOutput(embedderBytes(), states), options);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[2])))) {
                for (String row : rows) {
                    long[] ids = window(row);
                    out.write(rowBytes(run(environment, session, ids, states)));
                }
            }
        }
        System.out.printf("%d rows: states after layer %d (%s) -> %s in %.0f s%n", rows.size(), layers, states, args[2],
                (System.nanoTime() - start) / 1e9);
    }

    /** One row of the output: its token count, then its states (read back by {@link ScoreExportedLayers#readStates}). */
    static byte[] rowBytes(float[][] tokens) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + tokens.length * WIDTH * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(tokens.length);
        for (float[] token : tokens) {
            for (float v : token) {
                buffer.putFloat(v);
            }
        }
        return buffer.array();
    }

    /** The default embedder's 8-bit model, as the test class path holds it (rag-embed-onnx's dependency). */
    static byte[] embedderBytes() throws IOException {
        try (InputStream in = ExportEncoderStates.class.getClassLoader().getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException("resource '" + MODEL + "' is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    /** [CLS] + the row's first 126 token ids + [SEP]. */
    static long[] window(String row) {
        String tokens = row.substring(row.lastIndexOf('\t') + 1).strip();
        return window(tokens.isEmpty() ? new int[0] : Arrays.stream(tokens.split(" ")).mapToInt(Integer::parseInt).toArray());
    }

    /** [CLS] + the first 126 of {@code tokens} (WordPiece ids without [CLS] and [SEP]) + [SEP]. */
    static long[] window(int[] tokens) {
        int n = Math.min(tokens.length, MAX_LEN - 2);
        long[] ids = new long[n + 2];
        ids[0] = CLS;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = tokens[i];
        }
        ids[n + 1] = SEP;
        return ids;
    }

    /** The model's output {@code name} for one unpadded row: one vector per token. */
    static float[][] run(OrtEnvironment environment, OrtSession session, long[] ids, String name)
            throws OrtException {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        try (OnnxTensor input = OnnxTensor.createTensor(environment, new long[][] {ids});
             OnnxTensor attention = OnnxTensor.createTensor(environment, new long[][] {mask});
             OnnxTensor types = OnnxTensor.createTensor(environment, new long[][] {new long[ids.length]});
             OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", attention,
                     "token_type_ids", types), Set.of(name))) {
            return ((float[][][]) result.get(0).getValue())[0];
        }
    }
}
