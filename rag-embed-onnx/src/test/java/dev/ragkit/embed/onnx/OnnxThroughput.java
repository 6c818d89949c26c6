package dev.ragkit.embed.onnx;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures embedding throughput (sentences per second) of each model, with texts embedded in the
 * calling thread ({@code threads(1)}) and on a pool of 2 threads ({@code threads(2)}). A command-line tool, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.ragkit.embed.onnx.OnnxThroughput \
 *     ../../shared/data/scifact/queries.jsonl 512 3
 * </pre>
 *
 * Arguments: a JSON-lines file whose {@code "text"} fields are the sentences, how many sentences,
 * how many timed rounds (the median is reported).
 */
public final class OnnxThroughput {
    private OnnxThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../../shared/data/scifact/queries.jsonl");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> sentences = texts(file, count);
        double words = sentences.stream().mapToInt(s -> s.split("\\s+").length).average().orElse(0);
        System.out.printf("sentences=%d mean_words=%.1f cores=%d loadavg_before=%.2f%n", sentences.size(), words,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (OnnxModel model : OnnxModel.values()) {
            run(model, "caller-thread", 1, sentences, rounds);
            run(model, "pool-2-threads", 2, sentences, rounds);
        }
        System.out.printf("loadavg_after=%.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void run(OnnxModel model, String mode, int threads, List<String> sentences, int rounds) {
        OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).threads(threads).batchSize(64).build();
        embedder.embedDocuments(sentences.subList(0, Math.min(64, sentences.size()))); // warm-up
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            embedder.embedDocuments(sentences);
            rates[r] = sentences.size() / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("model=%s mode=%s sentences_per_s_median=%.1f min=%.1f max=%.1f%n", model.configName(), mode,
                rates[rounds / 2], rates[0], rates[rounds - 1]);
    }

    /** The {@code "text"} field of the first {@code count} lines; enough JSON for BEIR files. */
    static List<String> texts(Path file, int count) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (out.size() == count) {
                break;
            }
            String text = field(line, "text");
            if (text != null) {
                out.add(text);
            }
        }
        return out;
    }

    /** The string value of a top-level field of one JSON line, or null; enough JSON for BEIR files. */
    static String field(String line, String name) {
        int key = line.indexOf("\"" + name + "\":");
        if (key < 0) {
            return null;
        }
        int i = line.indexOf('"', key + name.length() + 3) + 1;
        StringBuilder text = new StringBuilder();
        while (line.charAt(i) != '"') {
            char c = line.charAt(i++);
            if (c == '\\') {
                char e = line.charAt(i++);
                switch (e) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case 'u' -> {
                        text.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> text.append(e);
                }
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
