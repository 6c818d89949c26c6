package dev.ragkit.guard.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores each injection fold's held-out rows with the top layers that {@code finetune-minilm.py train
 * --freeze 4 --export DIR} wrote for that fold, run by ONNX Runtime on one thread over the states of
 * {@link ExportEncoderStates}: the out-of-fold figures as the Java pipeline would compute them (the
 * 8-bit graphs included), and what those layers cost beside the embedder's own pass.
 *
 * <p>Per row it times two runs, one thread each: the shipped 8-bit embedder on the row's window (what
 * a question costs today) and the fold's top layers on the row's states (what one shared pass would
 * add). Times are grouped by the window's token count; a question of 300 characters is about 60 to 80
 * tokens.
 *
 * <p>Output: the script's out-of-fold format ({@code fold K, sha, source, label, score}), for
 * {@code finetune-minilm.py report --scores}.
 *
 * <pre>
 * mvn -B -q -f rag-guard/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ragkit.guard.train.ScoreExportedLayers \
 *   -Dexec.args="target/finetune/injection.tsv target/finetune/injection-states4-q.bin target/finetune/export/fold-%d-q.onnx OUT.tsv"
 * </pre>
 */
public final class ScoreExportedLayers {
    private static final int FOLDS = 5;
    private static final int WIDTH = 384;
    private static final int WARM_UP_ROWS = 100;
    /** Upper bounds of the token-count groups the times are reported by. */
    private static final int[] TOKEN_GROUPS = {32, 64, 96, 128};

    private ScoreExportedLayers() {
    }

    /** Entry point: {@code ROWS STATES MODELS OUT}, MODELS a pattern with {@code %d} for the fold. */
    public static void main(String[] args) throws IOException, OrtException {
        if (args.length != 4 || !args[2].contains("%d")) {
            throw new IllegalArgumentException(
                    "usage: ScoreExportedLayers ROWS STATES MODELS OUT (MODELS: a path with %d for the fold, e.g. DIR/fold-%d-q.onnx)");
        }
        List<String> rows = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        List<float[][]> states = readStates(Path.of(args[1]), rows.size());
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<double[]> embedderMs = new ArrayList<>();
        List<double[]> topMs = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1); // the latency budget is for one core
            scoreFolds(environment, options, rows, states, args[2], Path.of(args[3]), embedderMs, topMs);
        }
        System.out.printf("%d rows scored -> %s%n", embedderMs.size(), args[3]);
        System.out.println("| tokens | rows | 8-bit embedder p50 / p95 ms | top layers p50 / p95 ms |");
        System.out.println("|---|---|---|---|");
        int low = 0;
        for (int high : TOKEN_GROUPS) {
            int from = low;
            double[] e = times(embedderMs, from, high);
            double[] t = times(topMs, from, high);
            System.out.printf(Locale.ROOT, "| %d-%d | %d | %.2f / %.2f | %.2f / %.2f |%n", from + 1, high, e.length,
                    percentile(e, 0.50), percentile(e, 0.95), percentile(t, 0.50), percentile(t, 0.95));
            low = high;
        }
    }

    /** Scores every fold's held-out rows into {@code out}, adding each row's two times (token count, ms). */
    private static void scoreFolds(OrtEnvironment environment, OrtSession.SessionOptions options, List<String> rows,
            List<float[][]> states, String models, Path outFile, List<double[]> embedderMs, List<double[]> topMs)
            throws IOException, OrtException {
        try (OrtSession embedder = environment.createSession(ExportEncoderStates.embedderBytes(), options);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8))) {
            for (int fold = 0; fold < FOLDS; fold++) {
                Path model = Path.of(String.format(Locale.ROOT, models, fold));
                if (!Files.isRegularFile(model)) {
                    throw new IllegalArgumentException("no model for fold " + fold + ": " + model);
                }
                try (OrtSession top = environment.createSession(model.toString(), options)) {
                    List<Integer> held = heldOut(rows, fold);
                    for (int i : held.subList(0, Math.min(WARM_UP_ROWS, held.size()))) {
                        score(environment, top, states.get(i));
                        ExportEncoderStates.run(environment, embedder, ExportEncoderStates.window(rows.get(i)), "last_hidden_state");
                    }
                    for (int i : held) {
                        long[] window = ExportEncoderStates.window(rows.get(i));
                        long start = System.nanoTime();
                        ExportEncoderStates.run(environment, embedder, window, "last_hidden_state");
                        long embedded = System.nanoTime();
                        float score = score(environment, top, states.get(i));
                        long scored = System.nanoTime();
                        embedderMs.add(new double[] {window.length, (embedded - start) / 1e6});
                        topMs.add(new double[] {window.length, (scored - embedded) / 1e6});
                        String[] f = rows.get(i).split("\t", -1);
                        out.printf(Locale.ROOT, "fold %d\t%s\t%s\t%s\t%.5f%n", fold, f[3], f[0], f[1], score);
                    }
                }
            }
        }
    }

    /** Rows of {@code fold} (the rows file's third column): the ones its model never saw. */
    private static List<Integer> heldOut(List<String> rows, int fold) {
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).split("\t", -1)[2].equals(Integer.toString(fold))) {
                held.add(i);
            }
        }
        return held;
    }

    /** The top layers' score of one row, unpadded (mask all ones). */
    static float score(OrtEnvironment environment, OrtSession top, float[][] tokens) throws OrtException {
        FloatBuffer flat = FloatBuffer.allocate(tokens.length * WIDTH);
        for (float[] token : tokens) {
            flat.put(token);
        }
        flat.flip();
        long[] mask = new long[tokens.length];
        Arrays.fill(mask, 1);
        try (OnnxTensor input = OnnxTensor.createTensor(environment, flat, new long[] {1, tokens.length, WIDTH});
             OnnxTensor attention = OnnxTensor.createTensor(environment, new long[][] {mask});
             OrtSession.Result result = top.run(Map.of("states", input, "attention_mask", attention), Set.of("score"))) {
            return ((float[]) result.get(0).getValue())[0];
        }
    }

    /** {@link ExportEncoderStates}' file: per row, int32 token count, then that many 384-float vectors, little-endian. */
    static List<float[][]> readStates(Path path, int rows) throws IOException {
        List<float[][]> states = new ArrayList<>(rows);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 20))) {
            byte[] count = new byte[4];
            for (int r = 0; r < rows; r++) {
                in.readFully(count);
                int tokens = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] values = new byte[tokens * WIDTH * 4];
                in.readFully(values);
                FloatBuffer floats = ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float[][] row = new float[tokens][WIDTH];
                for (float[] token : row) {
                    floats.get(token);
                }
                states.add(row);
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(path + " holds more than the states of " + rows + " rows");
            }
        }
        return states;
    }

    private static double[] times(List<double[]> timed, int aboveTokens, int upToTokens) {
        return timed.stream().filter(t -> t[0] > aboveTokens && t[0] <= upToTokens).mapToDouble(t -> t[1]).sorted().toArray();
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
