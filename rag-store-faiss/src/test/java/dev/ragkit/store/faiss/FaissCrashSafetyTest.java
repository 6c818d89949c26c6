package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills writer processes (SIGKILL) and reopens their directory: during snapshot writes (the directory
 * always reopens with whole batches, at least the last confirmed one), and between flushes (every
 * upsert that returned is replayed from the journal), plus a torn journal tail.
 */
class FaissCrashSafetyTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void killingTheWriterMidFlushNeverCorruptsTheLastGoodSnapshot() throws Exception {
        Random random = new Random(TestData.SEED);
        long lastConfirmed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int flushesBeforeKill = 1 + random.nextInt(3);
            Process writer = startWriter();
            long killedDuring = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int seen = 0;
                String line;
                while ((line = out.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("flushed")) {
                        lastConfirmed = Long.parseLong(parts[1]);
                        assertThat(Long.parseLong(parts[2])).isEqualTo(CrashWriter.countAfter(lastConfirmed));
                    } else if (parts[0].equals("flushing") && ++seen == flushesBeforeKill) {
                        // The writer is now inside flush(): kill it there.
                        killedDuring = Long.parseLong(parts[1]);
                        writer.destroyForcibly();
                        break;
                    }
                }
            } finally {
                writer.destroyForcibly();
                writer.waitFor();
            }
            String context = "round " + round + ", killed while flushing batch " + killedDuring
                    + ", last confirmed flush " + lastConfirmed + TestData.seedNote();
            assertThat(killedDuring).as("the writer reached a flush; " + context).isPositive();
            lastConfirmed = checkDirectory(lastConfirmed, killedDuring, context);
        }
    }

    /** Opens the directory after a kill and checks it holds one whole flushed state; returns its batch. */
    private long checkDirectory(long lastConfirmed, long killedDuring, String context) {
        try (FaissVectorStore store = CrashWriter.open(dir)) {
            long count = store.count();
            long batches = count == 0 ? 0 : CrashWriter.inferBatches(count);
            assertThat(batches).as("flushed state found; " + context).isBetween(lastConfirmed, killedDuring);
            // Every chunk of that state is there, with the text it was written with.
            for (long b = 1; b <= batches; b++) {
                List<EmbeddedChunk> batch = CrashWriter.batch(TestData.SEED, b);
                int from = b < batches ? CrashWriter.DELETES : 0;
                List<String> ids = batch.subList(from, batch.size()).stream().map(EmbeddedChunk::id).toList();
                List<Chunk> got = store.get(ids);
                assertThat(got).as("chunks of batch %d; %s", b, context).hasSize(ids.size());
            }
            // The newest batch's vectors are searchable and find themselves.
            if (batches > 0) {
                List<EmbeddedChunk> newest = CrashWriter.batch(TestData.SEED, batches);
                int found = 0;
                for (EmbeddedChunk c : newest.subList(newest.size() - 50, newest.size())) {
                    List<SearchHit> hits = store.search(SearchRequest.dense(c.vector(), 1));
                    if (!hits.isEmpty() && hits.get(0).id().equals(c.id())) {
                        found++;
                    }
                }
                assertThat(found).as("newest vectors finding themselves; " + context).isGreaterThanOrEqualTo(45);
            }
            return batches;
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
                        .as("temp files left after a reopen; " + context).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void writesThatReturnedSurviveAKillWithoutAnyFlush() throws Exception {
        Random random = new Random(TestData.SEED + 1);
        long confirmed = 0;
        for (int round = 0; round < 3; round++) {
            int writesBeforeKill = 1 + random.nextInt(3);
            Process writer = startWriter("journal");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int seen = 0;
                String line;
                while ((line = out.readLine()) != null) {
                    String[] parts = line.split(" ");
                    confirmed = Long.parseLong(parts[1]);
                    if (++seen == writesBeforeKill) {
                        // The writer is already inside its next upsert (journal append, then FAISS add).
                        writer.destroyForcibly();
                        break;
                    }
                }
            } finally {
                writer.destroyForcibly();
                writer.waitFor();
            }
            String context = "journal round " + round + ", last confirmed write " + confirmed + TestData.seedNote();
            try (FaissVectorStore store = CrashWriter.open(dir)) {
                long count = store.count();
                assertThat(count % CrashWriter.BATCH).as("whole upserts only; " + context).isZero();
                long batches = count / CrashWriter.BATCH;
                assertThat(batches).as("no acknowledged write lost; " + context).isGreaterThanOrEqualTo(confirmed);
                for (long b = 1; b <= batches; b++) {
                    List<String> ids = CrashWriter.batch(TestData.SEED, b).stream().map(EmbeddedChunk::id).toList();
                    assertThat(store.get(ids)).as("chunks of batch %d; %s", b, context).hasSize(ids.size());
                }
                EmbeddedChunk last = CrashWriter.batch(TestData.SEED, batches).get(7);
                assertThat(store.search(SearchRequest.dense(last.vector(), 1)).get(0).id())
                        .as("a vector of the newest batch finds itself; " + context).isEqualTo(last.id());
                confirmed = batches;
            }
        }
    }

    @Test
    void anIvfIndexIsRetrainedFromItsJournalAfterAKill() throws Exception {
        Process writer = startWriter("journal", "IVF16,Flat");
        long confirmed;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            out.readLine();
            confirmed = Long.parseLong(out.readLine().split(" ")[1]);
            writer.destroyForcibly();
        } finally {
            writer.destroyForcibly();
            writer.waitFor();
        }
        try (FaissVectorStore store = CrashWriter.open(dir, "IVF16,Flat")) {
            assertThat(store.isTrained()).as("trained again from the first logged upsert").isTrue();
            assertThat(store.count() / CrashWriter.BATCH).as("batches" + TestData.seedNote()).isGreaterThanOrEqualTo(confirmed);
            EmbeddedChunk probe = CrashWriter.batch(TestData.SEED, 2).get(11);
            // nprobe 16 = nlist: exact, so the vector must find itself.
            assertThat(store.search(SearchRequest.dense(probe.vector(), 1)).get(0).id()).isEqualTo(probe.id());
        }
    }

    @Test
    void aTornJournalTailIsCutOffAndTheWholeRecordsKept() throws Exception {
        List<EmbeddedChunk> first = CrashWriter.batch(TestData.SEED, 1);
        Process writer = startWriter("journal");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).startsWith("written 1 ");
        } finally {
            writer.destroyForcibly();
            writer.waitFor();
        }
        Path journal;
        try (Stream<Path> files = Files.list(dir)) {
            journal = files.filter(p -> p.getFileName().toString().startsWith("journal-")).findFirst().orElseThrow();
        }
        // Simulate a record cut short by the crash: a plausible header and half a payload.
        byte[] torn = {0, 0, 1, 0, 1, 2, 3, 4, 9, 9, 9};
        Files.write(journal, torn, java.nio.file.StandardOpenOption.APPEND);
        try (FaissVectorStore store = CrashWriter.open(dir)) {
            assertThat(store.count()).isGreaterThanOrEqualTo(CrashWriter.BATCH);
            assertThat(store.get(first.stream().map(EmbeddedChunk::id).toList())).hasSize(first.size());
            store.upsert(CrashWriter.batch(TestData.SEED, 99));
        }
        try (FaissVectorStore store = CrashWriter.open(dir)) {
            assertThat(store.get(List.of(CrashWriter.batch(TestData.SEED, 99).get(0).id()))).hasSize(1);
        }
    }

    private Process startWriter() throws IOException {
        return startWriter("flush");
    }

    private Process startWriter(String mode) throws IOException {
        return startWriter(mode, "HNSW32");
    }

    private Process startWriter(String mode, String index) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Long.toString(TestData.SEED), mode, index));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
