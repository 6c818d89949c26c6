package dev.ragkit.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process is killed (SIGKILL) in the middle of its writes, three times over the same
 * directory: every batch it reported committed must be there after a reopen, and every batch present
 * must be whole (a write is all or nothing).
 */
class LuceneCrashSafetyTest {
    @TempDir
    Path directory;

    @Test
    void killedWriterLosesNoCommittedBatchAndLeavesNoHalfBatch() throws Exception {
        int lastReported = -1;
        for (int round = 0; round < 3; round++) {
            Path dir = directory.resolve("store");
            lastReported = Math.max(lastReported, runAndKill(dir, 4 + 3 * round));
            try (LuceneVectorStore store = LuceneVectorStore.builder().dimension(8).directory(dir).build()) {
                TreeMap<Long, Integer> perBatch = new TreeMap<>();
                String cursor = null;
                do {
                    ScanPage page = store.scan(null, cursor, 500);
                    for (Chunk c : page.chunks()) {
                        perBatch.merge((Long) c.metadata().get("batch"), 1, Integer::sum);
                    }
                    cursor = page.nextCursor().orElse(null);
                } while (cursor != null);
                assertThat(perBatch.values()).as("chunks per batch after round %d: %s", round, perBatch)
                        .allMatch(n -> n == 50);
                assertThat(perBatch.isEmpty() ? -1 : perBatch.lastKey()).as("last batch after round %d", round)
                        .isGreaterThanOrEqualTo((long) lastReported);
                assertThat(store.count()).isEqualTo(50L * perBatch.size());
                assertThat(store.search(dev.ragkit.core.model.SearchRequest.keyword("batch", 5)
                        .withFilter(Filter.eq("batch", 0)))).as("keyword search after the crash").hasSize(5);
            }
        }
    }

    /** Starts the writer, waits for {@code batches} reports, kills it; returns the last batch it reported. */
    private static int runAndKill(Path dir, int batches) throws Exception {
        String classPath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", classPath + File.pathSeparator
                + System.getProperty("ragkit.test.classpath", ""), CrashWriter.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        int last = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            int seen = 0;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("committed ")) {
                    last = Integer.parseInt(line.substring("committed ".length()));
                    if (++seen == batches) {
                        writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(last).as("the writer reported commits; its output: %s", output).isGreaterThanOrEqualTo(0);
        return last;
    }
}
