package dev.ragkit.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.store.MemoryVectorStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a backfilling JVM with SIGKILL (twice, at random batches), then finishes the backfill in this
 * JVM: it continues from the checkpoint rather than from the start, and the target ends identical to
 * the source. Kills a JVM during dual-writes: the journal's open entries repair what the target missed.
 */
class StoreMigrationCrashTest {
    private static final int CHUNKS = 3_000;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void aBackfillKilledMidWayContinuesFromItsCheckpointAndEndsIdentical() throws Exception {
        Random random = new Random(MigrationFixtures.SEED);
        Path sourceDir = dir.resolve("source");
        Path targetDir = dir.resolve("target");
        Path stateDir = dir.resolve("state");
        try (MemoryVectorStore source = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                .directory(sourceDir).build()) {
            source.upsert(MigrationFixtures.chunks(random, "doc-", CHUNKS));
        }
        long lastSeen = 0;
        for (int round = 0; round < 2; round++) {
            int killAfter = 3 + random.nextInt(10);
            Process child = start(sourceDir, targetDir, stateDir);
            long seenThisRound = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int lines = 0;
                String line;
                while ((line = out.readLine()) != null) {
                    assertThat(line).as("the child's output" + MigrationFixtures.seedNote()).startsWith("copied ");
                    seenThisRound = Long.parseLong(line.substring("copied ".length()));
                    if (++lines == killAfter) {
                        child.destroyForcibly(); // SIGKILL, inside the next batch or between two
                        break;
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            String context = "round " + round + ", killed after " + killAfter + " batches" + MigrationFixtures.seedNote();
            assertThat(seenThisRound).as("the child copied batches before the kill; " + context).isPositive();
            // The checkpoint is at least the last confirmed batch, and a resumed run never restarts from 0.
            MigrationStatus status = StoreMigration.readStatus(stateDir);
            assertThat(status.chunksCopied()).as(context).isGreaterThanOrEqualTo(seenThisRound)
                    .isGreaterThan(lastSeen).isLessThan(CHUNKS);
            assertThat(status.backfillDone()).as(context).isFalse();
            lastSeen = status.chunksCopied();
        }
        try (MemoryVectorStore source = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                .directory(sourceDir).build();
             MemoryVectorStore target = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                     .directory(targetDir).build();
             StoreMigration migration = StoreMigration.builder(source, target).stateDirectory(stateDir)
                     .batchSize(BATCH).open()) {
            BackfillReport report = migration.backfill();
            assertThat(report.resumed()).isTrue();
            assertThat(report.chunksCopied()).as("only the rest is copied").isEqualTo(CHUNKS - lastSeen);
            assertThat(report.totalCopied()).isEqualTo(CHUNKS);
            assertThat(migration.status().backfillDone()).isTrue();
            MigrationFixtures.assertSameContents(source, target, "after two kills" + MigrationFixtures.seedNote());
        }
    }

    @Test
    void aProcessKilledBetweenTheTwoWritesOfADualWriteLeavesRepairsThatMakeBothEqual() throws Exception {
        Random random = new Random(MigrationFixtures.SEED);
        Path sourceDir = dir.resolve("source");
        Path targetDir = dir.resolve("target");
        Path stateDir = dir.resolve("state");
        int roundsWithRepairs = 0;
        for (int round = 0; round < 3; round++) {
            int killAfter = 2 + random.nextInt(5);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    DualWriteCrashChild.class.getName(), sourceDir.toString(), targetDir.toString(), stateDir.toString(),
                    Long.toString(MigrationFixtures.SEED + round)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int lines = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                while (out.readLine() != null) {
                    if (++lines == killAfter) {
                        Thread.sleep(15); // into the next write: source done, target sleeping
                        child.destroyForcibly();
                        break;
                    }
                }
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            String context = "round " + round + ", killed after " + killAfter + " writes" + MigrationFixtures.seedNote();
            assertThat(lines).as("the child wrote before the kill; " + context).isEqualTo(killAfter);
            long pending = StoreMigration.readStatus(stateDir).pendingRepairs();
            if (pending > 0) {
                roundsWithRepairs++;
            }
            try (MemoryVectorStore source = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                    .directory(sourceDir).build();
                 MemoryVectorStore target = MemoryVectorStore.builder().dimension(MigrationFixtures.DIMENSION)
                         .directory(targetDir).build();
                 StoreMigration migration = StoreMigration.builder(source, target).stateDirectory(stateDir).open()) {
                RepairReport report = migration.repair();
                assertThat(report.pendingIds()).as(context).isZero();
                assertThat(report.repairedIds()).as(context).isEqualTo(pending);
                MigrationFixtures.assertSameContents(source, target, context);
            }
        }
        assertThat(roundsWithRepairs).as("some kill landed between the two writes" + MigrationFixtures.seedNote())
                .isPositive();
    }

    private static Process start(Path source, Path target, Path state) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                BackfillCrashChild.class.getName(), source.toString(), target.toString(), state.toString(),
                Integer.toString(BATCH)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
