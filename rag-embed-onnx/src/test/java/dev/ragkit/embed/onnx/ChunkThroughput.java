package dev.ragkit.embed.onnx;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.text.RecursiveSplitter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Embeds the chunks {@code rag-eval}'s {@code bench ingest} makes (SciFact title + text, recursive
 * splitter 1000/150) with all-MiniLM-L6-v2-q three ways, rounds interleaved: Ragkit's default
 * embedder (256-token window), LangChain4j's {@code embedAll} on the same 256-token files (Ragkit's
 * path before this change), and LangChain4j's stock {@code AllMiniLmL6V2QuantizedEmbeddingModel},
 * whose tokenizer cuts at 128 tokens (the model {@code bench ingest} gives LangChain4j). Not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.ragkit.embed.onnx.ChunkThroughput \
 *     /work/shared/data/scifact/corpus.jsonl 300 3
 * </pre>
 */
public final class ChunkThroughput {
    private ChunkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int documents = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        RecursiveSplitter splitter = RecursiveSplitter.of(1000, 150);
        List<String> chunks = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(corpus)) {
            if (n++ == documents) {
                break;
            }
            String text = OnnxThroughput.field(line, "title") + " " + OnnxThroughput.field(line, "text");
            for (Chunk c : splitter.split(new Document("d" + n, text.strip(), Map.of()))) {
                chunks.add(c.text());
            }
        }
        System.out.printf("documents=%d chunks=%d loadavg_before=%.2f%n", documents, chunks.size(), load());
        OnnxEmbedder ragkit = OnnxEmbedder.builder().build();
        OnnxEmbedder.Encoder lc4j256 = OnnxEmbedder.langChain4jEncoder(OnnxModel.ALL_MINILM_L6_V2_Q, null);
        EmbeddingModel lc4j128 = new AllMiniLmL6V2QuantizedEmbeddingModel();
        List<String> warm = chunks.subList(0, 16);
        ragkit.embedDocuments(warm);
        lc4j256.encode(warm);
        lc4j128.embedAll(warm.stream().map(TextSegment::from).toList());
        String[] names = {"ragkit OnnxEmbedder (256 tokens)", "langchain4j embedAll, 256 tokens (before)",
                "langchain4j stock model, 128 tokens"};
        double[][] seconds = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                for (int from = 0; from < chunks.size(); from += 64) {
                    List<String> batch = chunks.subList(from, Math.min(chunks.size(), from + 64));
                    switch (i) {
                        case 0 -> ragkit.embedDocuments(batch);
                        case 1 -> lc4j256.encode(batch);
                        default -> lc4j128.embedAll(batch.stream().map(TextSegment::from).toList());
                    }
                }
                seconds[i][r] = (System.nanoTime() - start) / 1e9;
            }
        }
        for (int i = 0; i < 3; i++) {
            Arrays.sort(seconds[i]);
            double median = seconds[i][rounds / 2];
            System.out.printf("%-44s median %.2f s = %.1f chunks/s = %.1f docs/s (min %.2f s, max %.2f s)%n", names[i],
                    median, chunks.size() / median, documents / median, seconds[i][0], seconds[i][rounds - 1]);
        }
        System.out.printf("speedup_vs_before=%.2f speedup_vs_stock_128=%.2f loadavg_after=%.2f%n",
                seconds[1][rounds / 2] / seconds[0][rounds / 2], seconds[2][rounds / 2] / seconds[0][rounds / 2], load());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
