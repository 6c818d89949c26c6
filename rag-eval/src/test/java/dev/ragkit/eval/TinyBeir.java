package dev.ragkit.eval;

import dev.ragkit.core.spi.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A small BEIR folder written for tests, and a bag-of-words embedder that makes dense retrieval meaningful. */
final class TinyBeir {
    private TinyBeir() {
    }

    /** Four documents, three test queries (one judged only not-relevant), SciFact-like query metadata. */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir.resolve("qrels"));
            Files.writeString(dir.resolve("corpus.jsonl"), String.join("\n",
                    "{\"_id\": \"d1\", \"title\": \"Aspirin\", \"text\": \"Aspirin reduces the risk of heart attack.\", \"metadata\": {}}",
                    "{\"_id\": \"d2\", \"title\": \"Vitamin D\", \"text\": \"Vitamin D deficiency weakens bones.\"}",
                    "{\"_id\": \"d3\", \"title\": \"Sleep\", \"text\": \"Short sleep impairs memory consolidation.\"}",
                    "{\"_id\": \"d4\", \"title\": \"\", \"text\": \"Exercise improves heart health and sleep.\"}",
                    ""));
            Files.writeString(dir.resolve("queries.jsonl"), String.join("\n",
                    "{\"_id\": \"q1\", \"text\": \"aspirin heart attack risk\", \"metadata\": {\"d1\": [{\"sentences\": [0], \"label\": \"SUPPORT\"}]}}",
                    "{\"_id\": \"q2\", \"text\": \"vitamin deficiency bones\", \"metadata\": {}}",
                    "{\"_id\": \"q3\", \"text\": \"sleep memory\", \"metadata\": {}}",
                    "{\"_id\": \"q4\", \"text\": \"not judged\"}"));
            Files.writeString(dir.resolve("qrels").resolve("test.tsv"), String.join("\n",
                    "query-id\tcorpus-id\tscore",
                    "q1\td1\t1",
                    "q2\td2\t2",
                    "q2\td4\t0",
                    "q3\td3\t1",
                    "q3\td4\t1",
                    ""));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hashes lowercase words into 64 buckets: texts sharing words get similar vectors. */
    static class BagOfWords implements Embedder {
        int documentCalls;
        int queryCalls;
        final List<String> embedded = new ArrayList<>();

        @Override
        public String id() {
            return "test:bag-of-words";
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public synchronized List<float[]> embedDocuments(List<String> texts) {
            documentCalls++;
            embedded.addAll(texts);
            List<float[]> out = new ArrayList<>();
            texts.forEach(t -> out.add(vector(t)));
            return out;
        }

        @Override
        public synchronized float[] embedQuery(String query) {
            queryCalls++;
            return vector(query);
        }

        static float[] vector(String text) {
            float[] v = new float[64];
            for (String w : text.toLowerCase().split("[^a-z0-9]+")) {
                if (w.length() > 2) {
                    v[Math.floorMod(w.hashCode(), 64)] += 1;
                }
            }
            v[63] += 0.01f; // never the zero vector
            return v;
        }
    }
}
