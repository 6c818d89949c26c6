package dev.ragkit.examples.cli;

import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Generated corpora and index inspection for the CLI tests. */
final class TestCorpus {
    private static final String[] WORDS = {"index", "vector", "chunk", "store", "query", "answer", "citation",
        "embedding", "ingestion", "retrieval", "hybrid", "keyword", "dense", "filter", "metadata", "journal",
        "snapshot", "provider", "guard", "pipeline", "latency", "recall", "score", "document", "batch"};

    private TestCorpus() {
    }

    /**
     * Writes {@code documents} Markdown files of several paragraphs under {@code dir} (half of them
     * in a {@code fr/} folder), with text drawn from a fixed word list by {@code seed}.
     */
    static void write(Path dir, int documents, long seed) throws IOException {
        Random random = new Random(seed);
        for (int d = 0; d < documents; d++) {
            StringBuilder text = new StringBuilder("# Document " + d + "\n\n");
            int paragraphs = 2 + random.nextInt(4);
            for (int p = 0; p < paragraphs; p++) {
                int sentences = 3 + random.nextInt(5);
                for (int s = 0; s < sentences; s++) {
                    int words = 6 + random.nextInt(10);
                    for (int w = 0; w < words; w++) {
                        text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                    }
                    text.append(" ").append(d).append('.').append(p).append('.').append(s).append(". ");
                }
                text.append("\n\n");
            }
            Path file = dir.resolve((d % 2 == 0 ? "en/" : "fr/") + "doc-" + d + ".md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
    }

    /** Chunk id to content hash of every chunk persisted in an index directory of the CLI's default store. */
    static Map<String, String> storedChunks(Path index, int dimension) {
        Map<String, String> chunks = new TreeMap<>();
        String store = CliConfig.DEFAULT_STORE;
        ProviderConfig config = ProviderConfig.of("store", store,
                Map.of("dimension", Integer.toString(dimension), "directory", index.toString()));
        try (VectorStore opened = ProviderRegistry.discover().store(store).create(config)) {
            String cursor = null;
            do {
                ScanPage page = opened.scan(null, cursor, 500);
                for (Chunk c : page.chunks()) {
                    chunks.put(c.id(), c.contentHash());
                }
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the index in " + index, e);
        }
        return chunks;
    }
}
