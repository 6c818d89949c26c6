package dev.ragkit.embed.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Retrieval quality of each model on BEIR SciFact (exact cosine search, title + text, the 300 test
 * queries), to compare with the published MTEB figures. A command-line tool, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.ragkit.embed.onnx.SciFactCheck \
 *     /work/shared/data/scifact [texts per model call, default 1] [model name filter]
 * </pre>
 *
 * Reads only {@code _id} and {@code text} of the queries (their metadata holds the answers).
 */
public final class SciFactCheck {
    private SciFactCheck() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/work/shared/data/scifact");
        List<String> docIds = new ArrayList<>();
        List<String> docTexts = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("corpus.jsonl"))) {
            docIds.add(OnnxThroughput.field(line, "_id"));
            String title = OnnxThroughput.field(line, "title");
            String text = OnnxThroughput.field(line, "text");
            docTexts.add(((title == null ? "" : title) + " " + (text == null ? "" : text)).strip());
        }
        Map<String, Set<String>> qrels = new HashMap<>();
        List<String> qrelLines = Files.readAllLines(dir.resolve("qrels/test.tsv"));
        for (String line : qrelLines.subList(1, qrelLines.size())) {
            String[] cols = line.split("\t");
            if (Integer.parseInt(cols[2]) > 0) {
                qrels.computeIfAbsent(cols[0], k -> new HashSet<>()).add(cols[1]);
            }
        }
        List<String> queryIds = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
            String id = OnnxThroughput.field(line, "_id");
            if (qrels.containsKey(id)) {
                queryIds.add(id);
                queryTexts.add(OnnxThroughput.field(line, "text"));
            }
        }
        System.out.printf("corpus=%d test_queries=%d%n", docIds.size(), queryIds.size());
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        int textsPerCall = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String only = args.length > 2 ? args[2] : "";
        for (OnnxModel model : OnnxModel.values()) {
            if (!model.configName().contains(only)) {
                continue;
            }
            OnnxEmbedder embedder = OnnxEmbedder.builder().model(model).executor(pool).textsPerModelCall(textsPerCall)
                    .build();
            long start = System.nanoTime();
            List<float[]> docs = embedder.embedDocuments(docTexts);
            double seconds = (System.nanoTime() - start) / 1e9;
            double ndcg = 0;
            double recall = 0;
            for (int q = 0; q < queryIds.size(); q++) {
                float[] query = embedder.embedQuery(queryTexts.get(q));
                List<String> top = top10(query, docs, docIds);
                Set<String> relevant = qrels.get(queryIds.get(q));
                double dcg = 0;
                int found = 0;
                for (int i = 0; i < top.size(); i++) {
                    if (relevant.contains(top.get(i))) {
                        dcg += 1 / (Math.log(i + 2) / Math.log(2));
                        found++;
                    }
                }
                double ideal = 0;
                for (int i = 0; i < Math.min(10, relevant.size()); i++) {
                    ideal += 1 / (Math.log(i + 2) / Math.log(2));
                }
                ndcg += dcg / ideal;
                recall += (double) found / relevant.size();
            }
            System.out.printf("model=%s ndcg@10=%.4f recall@10=%.4f corpus_embed_s=%.1f docs_per_s=%.1f%n",
                    model.configName(), ndcg / queryIds.size(), recall / queryIds.size(), seconds,
                    docIds.size() / seconds);
        }
    }

    private static List<String> top10(float[] query, List<float[]> docs, List<String> ids) {
        double[] best = new double[10];
        int[] bestIndex = new int[10];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(bestIndex, -1);
        for (int d = 0; d < docs.size(); d++) {
            float[] v = docs.get(d);
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += (double) query[i] * v[i];
            }
            if (dot > best[9]) {
                int i = 9;
                while (i > 0 && best[i - 1] < dot) {
                    best[i] = best[i - 1];
                    bestIndex[i] = bestIndex[i - 1];
                    i--;
                }
                best[i] = dot;
                bestIndex[i] = d;
            }
        }
        List<String> out = new ArrayList<>();
        for (int i : bestIndex) {
            if (i >= 0) {
                out.add(ids.get(i));
            }
        }
        return out;
    }
}
