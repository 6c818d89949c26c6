package dev.ragkit.embed.onnx;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares the per-text LangChain4j path with the ONNX Runtime path in several settings (texts per
 * second, median of the timed rounds after a warm-up). A command-line tool, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.ragkit.embed.onnx.BatchedThroughput \
 *     /work/shared/data/scifact/queries.jsonl 512 3 all-minilm-l6-v2-q
 * </pre>
 *
 * Arguments: a JSON-lines file whose {@code "text"} fields are embedded (for a BEIR corpus the
 * "text" field only), how many texts, how many timed rounds, the model, optionally a filter on
 * the setting names.
 */
public final class BatchedThroughput {
    private BatchedThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        OnnxModel model = OnnxModel.fromConfigName(args[3]).orElseThrow();
        String only = args.length > 4 ? args[4] : "";
        List<String> texts = OnnxThroughput.texts(file, count);
        double words = texts.stream().mapToInt(s -> s.split("\\s+").length).average().orElse(0);
        System.out.printf("model=%s texts=%d mean_words=%.1f loadavg_before=%.2f%n", model.configName(), texts.size(),
                words, load());
        List<Object[]> configs = new ArrayList<>();
        configs.add(new Object[] {"langchain4j pool-2 (before)",
                new OnnxEmbedder(model, 64, OnnxEmbedder.langChain4jEncoder(model, null))});
        configs.add(new Object[] {"langchain4j caller (before)",
                new OnnxEmbedder(model, 64, OnnxEmbedder.langChain4jEncoder(model, Runnable::run))});
        for (int perCall : new int[] {1, 8, 32}) {
            configs.add(new Object[] {"ort texts/call=" + perCall + " threads=1",
                    OnnxEmbedder.builder().model(model).threads(1).textsPerModelCall(perCall).build()});
            configs.add(new Object[] {"ort texts/call=" + perCall + " threads=2",
                    OnnxEmbedder.builder().model(model).threads(2).textsPerModelCall(perCall).build()});
        }
        configs.removeIf(c -> !((String) c[0]).contains(only));
        for (Object[] c : configs) {
            ((OnnxEmbedder) c[1]).embedDocuments(texts.subList(0, Math.min(64, texts.size()))); // warm-up
        }
        // Rounds interleave the settings so a burst of load from other processes hits them all alike.
        double[][] rates = new double[configs.size()][rounds];
        double[][] cpu = new double[configs.size()][rounds];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < configs.size(); i++) {
                OnnxEmbedder embedder = (OnnxEmbedder) configs.get(i)[1];
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                embedder.embedDocuments(texts);
                rates[i][r] = texts.size() / ((System.nanoTime() - start) / 1e9);
                cpu[i][r] = (os.getProcessCpuTime() - cpuStart) / 1e6 / texts.size();
            }
        }
        for (int i = 0; i < configs.size(); i++) {
            Arrays.sort(rates[i]);
            Arrays.sort(cpu[i]);
            System.out.printf("%-36s texts_per_s_median=%7.1f min=%7.1f max=%7.1f cpu_ms_per_text_median=%6.2f%n",
                    configs.get(i)[0], rates[i][rounds / 2], rates[i][0], rates[i][rounds - 1], cpu[i][rounds / 2]);
        }
        System.out.printf("loadavg_after=%.2f%n", load());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
