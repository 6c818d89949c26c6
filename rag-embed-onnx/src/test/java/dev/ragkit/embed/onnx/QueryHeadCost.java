package dev.ragkit.embed.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the injection query head costs, one thread. A command-line tool, not a test; it prints Markdown:
 * <ol>
 *   <li>per question: {@code embedQuery} against {@code embedQueryScored} (the same pass plus the head)
 *   on the same questions, interleaved, after a warm-up;</li>
 *   <li>per ingestion call: all-MiniLM-L6-v2 as the artifact ships it against the same model with its
 *   layer-4 states declared an output (what the embedder loads now), both asked for the model's own
 *   output only, as ingestion asks: 8 texts of 64 tokens per call.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -q -f rag-embed-onnx/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ragkit.embed.onnx.QueryHeadCost -Dexec.args="$PWD/../shared/data/scifact/queries.jsonl 1000"
 * </pre>
 */
public final class QueryHeadCost {
    private static final int WARM_UP = 200;
    private static final int CALLS = 300;

    private QueryHeadCost() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        Path file = Path.of(args.length > 0 ? args[0] : "../../shared/data/scifact/queries.jsonl");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<String> questions = OnnxThroughput.texts(file, count);
        System.out.printf(Locale.ROOT, "# Query head cost (one thread; %s, %d questions; load average before %.2f)%n%n",
                file.getFileName(), questions.size(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        perQuestion(questions);
        perIngestionCall();
        System.out.printf(Locale.ROOT, "%nLoad average after: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void perQuestion(List<String> questions) {
        double[] plain = new double[questions.size()];
        double[] scored = new double[questions.size()];
        try (OnnxEmbedder embedder = OnnxEmbedder.builder().threads(1).build()) {
            for (String q : questions.subList(0, Math.min(WARM_UP, questions.size()))) {
                embedder.embedQuery(q);
                embedder.embedQueryScored(q);
            }
            for (int i = 0; i < questions.size(); i++) {
                long start = System.nanoTime();
                embedder.embedQuery(questions.get(i));
                long middle = System.nanoTime();
                embedder.embedQueryScored(questions.get(i));
                long end = System.nanoTime();
                plain[i] = (middle - start) / 1e6;
                scored[i] = (end - middle) / 1e6;
            }
        }
        Arrays.sort(plain);
        Arrays.sort(scored);
        System.out.println("| per question | p50 ms | p95 ms |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| embedQuery | %.2f | %.2f |%n", percentile(plain, 0.5), percentile(plain, 0.95));
        System.out.printf(Locale.ROOT, "| embedQueryScored (the same pass plus the injection head) | %.2f | %.2f |%n%n",
                percentile(scored, 0.5), percentile(scored, 0.95));
    }

    private static void perIngestionCall() throws IOException, OrtException {
        byte[] shipped;
        try (InputStream in = QueryHeadCost.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            shipped = in.readAllBytes();
        }
        String states = QueryHead.bundledFor(OnnxModel.ALL_MINILM_L6_V2_Q).orElseThrow().statesTensor();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        int rows = 8;
        int tokens = 64;
        long[] ids = new long[rows * tokens];
        long[] mask = new long[ids.length];
        Random random = new Random(1);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + random.nextInt(20_000);
            mask[i] = 1;
        }
        long[] shape = {rows, tokens};
        double[][] ms = new double[2][CALLS];
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession asShipped = environment.createSession(shipped, options);
                 OrtSession withStates = environment.createSession(OnnxGraphs.withFloatOutput(shipped, states), options);
                 OnnxTensor input = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                 OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                 OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
                Map<String, OnnxTensor> inputs = Map.of("input_ids", input, "attention_mask", attention, "token_type_ids", types);
                OrtSession[] sessions = {asShipped, withStates};
                for (int call = -WARM_UP / 4; call < CALLS; call++) {
                    for (int s = 0; s < 2; s++) {
                        long start = System.nanoTime();
                        try (OrtSession.Result ignored = sessions[s].run(inputs, Set.of("last_hidden_state"))) {
                            if (call >= 0) {
                                ms[s][call] = (System.nanoTime() - start) / 1e6;
                            }
                        }
                    }
                }
            }
        }
        Arrays.sort(ms[0]);
        Arrays.sort(ms[1]);
        System.out.printf(Locale.ROOT, "| per ingestion call (%d texts x %d tokens, %d calls each, interleaved) | p50 ms | p95 ms |%n",
                rows, tokens, CALLS);
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| the model as its artifact ships it | %.2f | %.2f |%n", percentile(ms[0], 0.5), percentile(ms[0], 0.95));
        System.out.printf(Locale.ROOT, "| with the layer-4 states declared an output (as loaded now) | %.2f | %.2f |%n",
                percentile(ms[1], 0.5), percentile(ms[1], 0.95));
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
