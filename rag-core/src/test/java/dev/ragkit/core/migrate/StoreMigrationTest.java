package dev.ragkit.core.migrate;

import dev.ragkit.core.retrieval.Agreement;
import static dev.ragkit.core.migrate.MigrationFixtures.DIMENSION;
import static dev.ragkit.core.migrate.MigrationFixtures.assertSameContents;
import static dev.ragkit.core.migrate.MigrationFixtures.chunk;
import static dev.ragkit.core.migrate.MigrationFixtures.chunks;
import static dev.ragkit.core.migrate.MigrationFixtures.seedNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMigrationTest {
    private static final IndexInfo INFO = new IndexInfo("test:hash-embedder", DIMENSION, "recursive(max-chars=800)");

    @TempDir
    Path dir;

    private final Random random = new Random(MigrationFixtures.SEED);

    private static MemoryVectorStore memory() {
        return MemoryVectorStore.builder().dimension(DIMENSION).build();
    }

    private StoreMigration.Builder migration(VectorStore source, VectorStore target) {
        return StoreMigration.builder(source, target).stateDirectory(dir.resolve("state")).batchSize(40)
                .retries(3, Duration.ofMillis(1)).shadowExecutor(Runnable::run);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SearchRequest query(Random random) {
        return SearchRequest.dense(MigrationFixtures.vector(random), 10);
    }

    @Nested
    class Backfill {
        @Test
        void copiesEveryChunkVectorMetadataAndTheIndexInfo() {
            MemoryVectorStore source = memory();
            MemoryVectorStore target = memory();
            source.recordIndexInfo(INFO);
            source.upsert(chunks(random, "doc-", 333));
            try (StoreMigration m = migration(source, target).open()) {
                assertThat(target.indexInfo()).as("copied when the migration opens").contains(INFO);
                List<MigrationStatus> progress = new ArrayList<>();
                BackfillReport report = m.backfill(progress::add);
                assertThat(report.chunksCopied()).isEqualTo(333);
                assertThat(report.resumed()).isFalse();
                assertThat(progress).hasSize(9); // 333 chunks in batches of 40
                assertThat(progress.get(0).chunksCopied()).isEqualTo(40);
                assertThat(progress.get(8).backfillDone()).isTrue();
                assertSameContents(source, target, "after a backfill" + seedNote());
                assertThat(m.backfill().chunksCopied()).as("a second call has nothing left to do").isZero();
            }
        }

        @Test
        void refusesASourceThatCannotScanOrReadVectors() {
            FailingStore source = new FailingStore(memory()).hide(StoreCapability.READ_VECTORS);
            assertThatThrownBy(() -> migration(source, memory()).open())
                    .isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("cannot migrate from store 'memory'")
                    .hasMessageContaining("needs [READ_VECTORS]");
            FailingStore noScan = new FailingStore(memory()).hide(StoreCapability.SCAN, StoreCapability.READ_VECTORS);
            assertThatThrownBy(() -> migration(noScan, memory()).open())
                    .hasMessageContaining("needs [SCAN, READ_VECTORS]");
        }

        @Test
        void refusesATargetBuiltWithAnotherEmbedderOrOfAnotherDimension() {
            MemoryVectorStore source = memory();
            source.recordIndexInfo(INFO);
            MemoryVectorStore target = memory();
            target.recordIndexInfo(new IndexInfo("onnx:bge-small-en-v1.5-q", DIMENSION, ""));
            assertThatThrownBy(() -> migration(source, target).open())
                    .isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("built with embedder 'onnx:bge-small-en-v1.5-q' (dimension 16)")
                    .hasMessageContaining("embedder 'test:hash-embedder'");
            MemoryVectorStore wide = MemoryVectorStore.builder().dimension(DIMENSION * 2).build();
            assertThatThrownBy(() -> migration(source, wide).open())
                    .hasMessageContaining("both must hold vectors of the same dimension");
        }

        @Test
        void refusesANonEmptyTargetUnlessAsked() {
            MemoryVectorStore target = memory();
            target.upsert(chunks(random, "old-", 3));
            assertThatThrownBy(() -> migration(memory(), target).open())
                    .hasMessageContaining("it already holds 3 chunks");
            migration(memory(), target).acceptNonEmptyTarget(true).open().close();
        }

        @Test
        void theStateDirectoryBelongsToOneMigrationAtATime() {
            MemoryVectorStore source = memory();
            MemoryVectorStore target = memory();
            try (StoreMigration m = migration(source, target).open()) {
                assertThatThrownBy(() -> migration(source, target).open())
                        .hasMessageContaining("is in use by another migration");
            }
            MemoryVectorStore other = MemoryVectorStore.builder().dimension(DIMENSION * 2).build();
            MemoryVectorStore otherTarget = MemoryVectorStore.builder().dimension(DIMENSION * 2).build();
            assertThatThrownBy(() -> migration(other, otherTarget).open())
                    .hasMessageContaining("belongs to a migration from 'memory' to 'memory' (dimension 16)");
        }

        @Test
        void aBackfillStoppedByAFailingTargetContinuesFromItsCheckpoint() {
            MemoryVectorStore source = memory();
            source.upsert(chunks(random, "doc-", 200));
            MemoryVectorStore target = memory();
            FailingStore failing = new FailingStore(target);
            try (StoreMigration m = migration(source, failing).open()) {
                failing.failNextWrites(2);
                assertThat(m.backfill().chunksCopied()).as("two failures are within the 3 attempts").isEqualTo(200);
            }
            MemoryVectorStore target2 = memory();
            FailingStore failing2 = new FailingStore(target2);
            Path state2 = dir.resolve("state2");
            int[] batches = {0};
            try (StoreMigration m = StoreMigration.builder(source, failing2).stateDirectory(state2).batchSize(40)
                    .retries(2, Duration.ofMillis(1)).open()) {
                assertThatThrownBy(() -> m.backfill(s -> {
                    if (++batches[0] == 2) {
                        failing2.failAllWrites(true);
                    }
                })).hasMessageContaining("failed on purpose");
                assertThat(m.status().chunksCopied()).isEqualTo(80);
                assertThat(m.status().backfillDone()).isFalse();
            }
            failing2.failAllWrites(false);
            try (StoreMigration m = StoreMigration.builder(source, failing2).stateDirectory(state2).batchSize(40).open()) {
                BackfillReport report = m.backfill();
                assertThat(report.resumed()).isTrue();
                assertThat(report.chunksCopied()).isEqualTo(120);
                assertThat(report.totalCopied()).isEqualTo(200);
            }
            assertSameContents(source, target2, "after a resumed backfill" + seedNote());
        }
    }

    @Nested
    class DualWrite {
        @Test
        void concurrentWritersDuringTheBackfillLeaveBothStoresIdentical() throws Exception {
            for (int round = 0; round < 5; round++) {
                Random r = new Random(MigrationFixtures.SEED + round);
                MemoryVectorStore source = memory();
                source.upsert(chunks(r, "doc-", 600));
                MemoryVectorStore target = memory();
                // A pause between reading a batch from the source and writing it to the target: the window in
                // which a dual-write could land in between and then be overwritten by the older copy.
                VectorStore slowTarget = new ForwardingVectorStore(target) {
                    @Override
                    public void upsert(List<EmbeddedChunk> chunks) {
                        if (chunks.size() > 1) {
                            pause(2);
                        }
                        super.upsert(chunks);
                    }
                };
                Path state = dir.resolve("concurrent-" + round);
                try (StoreMigration m = StoreMigration.builder(source, slowTarget).stateDirectory(state).batchSize(25)
                        .shadowExecutor(Runnable::run).open()) {
                    VectorStore store = m.store();
                    ExecutorService writers = Executors.newFixedThreadPool(4);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<?>> running = new ArrayList<>();
                    for (int w = 0; w < 4; w++) {
                        long seed = MigrationFixtures.SEED * 31 + round * 7L + w;
                        running.add(writers.submit(() -> {
                            Random wr = new Random(seed);
                            start.await();
                            for (int i = 0; i < 300; i++) {
                                String doc = "doc-" + wr.nextInt(700); // existing ids and new ones
                                if (i % 10 == 0) {
                                    pause(1);
                                }
                                if (wr.nextInt(4) == 0) {
                                    store.delete(List.of(doc + "#0"));
                                } else {
                                    store.upsert(List.of(chunk(wr, doc, 1 + wr.nextInt(1000))));
                                }
                            }
                            return null;
                        }));
                    }
                    start.countDown();
                    m.backfill();
                    for (Future<?> f : running) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    writers.shutdown();
                    assertThat(m.status().pendingRepairs()).isZero();
                    assertSameContents(source, target, "round " + round + seedNote());
                }
            }
        }

        @Test
        void aWriteFailingOnTheTargetIsRetriedThenJournaledAndRepaired() {
            MemoryVectorStore source = memory();
            MemoryVectorStore target = memory();
            FailingStore failing = new FailingStore(target);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (StoreMigration m = migration(source, failing).meterRegistry(registry).open()) {
                failing.failNextWrites(2);
                m.store().upsert(chunks(random, "a-", 5));
                assertThat(failing.writeAttempts.get()).as("two failures, then success").isEqualTo(3);
                assertThat(m.status().pendingRepairs()).isZero();
                assertThat(registry.get(MigrationMetrics.WRITE_RETRIES).tag("side", "target").counter().count())
                        .isEqualTo(2);

                failing.failAllWrites(true);
                m.store().upsert(chunks(random, "b-", 4));
                m.store().delete(List.of("a-0#0"));
                assertThat(source.count()).as("the live store took both writes").isEqualTo(8);
                assertThat(m.status().pendingRepairs()).isEqualTo(5);
                assertThat(registry.get(MigrationMetrics.REPAIRS_PENDING).gauge().value()).isEqualTo(5);

                RepairReport stillFailing = m.repair();
                assertThat(stillFailing.repairedIds()).isZero();
                assertThat(stillFailing.pendingIds()).isEqualTo(5);
                assertThat(stillFailing.lastError()).hasValueSatisfying(e -> assertThat(e).contains("on purpose"));
            }
            // The journal is durable: another process sees the pending repairs, and a reopened migration makes them.
            assertThat(StoreMigration.readStatus(dir.resolve("state")).pendingRepairs()).isEqualTo(5);
            assertThat(StoreMigration.readStatus(dir.resolve("state")).describe()).contains("5 pending repairs");
            failing.failAllWrites(false);
            try (StoreMigration m = migration(source, failing).open()) {
                assertThat(m.status().pendingRepairs()).isEqualTo(5);
                RepairReport report = m.repair();
                assertThat(report.repairedIds()).isEqualTo(5);
                assertThat(report.pendingIds()).isZero();
                assertThat(m.status().pendingRepairs()).isZero();
            }
            assertSameContents(source, target, "after repair" + seedNote());
            assertThat(target.get(List.of("a-0#0"))).as("the delete was repaired too").isEmpty();
        }

        @Test
        void aRepairCopiesTheCurrentStateNotAnOldWrite() {
            MemoryVectorStore source = memory();
            MemoryVectorStore target = memory();
            FailingStore failing = new FailingStore(target);
            try (StoreMigration m = migration(source, failing).open()) {
                failing.failAllWrites(true);
                m.store().upsert(List.of(chunk(random, "x", 1)));
                failing.failAllWrites(false);
                EmbeddedChunk newer = chunk(random, "x", 2);
                m.store().upsert(List.of(newer));
                assertThat(m.repair().repairedIds()).isEqualTo(1);
                assertThat(target.get(List.of("x#0")).get(0).metadata()).containsEntry("version", 2L);
            }
        }

        @Test
        void aWriteRejectedByTheLiveStoreLeavesNothingToRepair() {
            MemoryVectorStore source = memory();
            try (StoreMigration m = migration(source, memory()).open()) {
                EmbeddedChunk wrong = new EmbeddedChunk(chunk(random, "w", 0).chunk(), new float[DIMENSION + 1]);
                assertThatThrownBy(() -> m.store().upsert(List.of(wrong)))
                        .isInstanceOf(dev.ragkit.core.InvalidInputException.class);
                assertThat(m.status().pendingRepairs()).isZero();
            }
        }

        @Test
        void aProcessThatDiesBetweenTheTwoWritesLeavesARepairForTheNextOne() {
            MemoryVectorStore source = memory();
            MemoryVectorStore target = memory();
            boolean[] die = {false};
            VectorStore dying = new ForwardingVectorStore(target) {
                @Override
                public void upsert(List<EmbeddedChunk> chunks) {
                    if (die[0]) {
                        throw new Error("simulated death of the process between the two writes");
                    }
                    super.upsert(chunks);
                }
            };
            try (StoreMigration m = migration(source, dying).open()) {
                die[0] = true;
                assertThatThrownBy(() -> m.store().upsert(chunks(random, "d-", 3))).isInstanceOf(Error.class);
                assertThat(source.count()).isEqualTo(3);
                assertThat(target.count()).isZero();
                assertThat(m.status().pendingRepairs()).isEqualTo(3);
            }
            die[0] = false;
            assertThat(StoreMigration.readStatus(dir.resolve("state")).pendingRepairs()).isEqualTo(3);
            try (StoreMigration m = migration(source, dying).open()) {
                assertThat(m.status().pendingRepairs()).as("the next process sees the journal entry").isEqualTo(3);
                assertThatThrownBy(m::cutover).hasMessageContaining("3 chunk ids wait for repair: run repair()");
                assertThat(m.repair().repairedIds()).isEqualTo(3);
            }
            assertSameContents(source, target, "after a death between two writes" + seedNote());
        }

        @Test
        void afterCloseWritesAreRefusedAndTheStateDirectoryIsFree() {
            MemoryVectorStore source = memory();
            StoreMigration m = migration(source, memory()).open();
            VectorStore store = m.store();
            store.close(); // closing the store closes the migration, not the stores
            assertThatThrownBy(() -> store.upsert(chunks(random, "c-", 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
            assertThat(source.count()).isZero();
            migration(source, memory()).open().close();
        }

        @Test
        void theJournalIgnoresATornTailAndRefusesDamageBeforeIt() throws Exception {
            MemoryVectorStore source = memory();
            FailingStore failing = new FailingStore(memory()).failAllWrites(true);
            try (StoreMigration m = migration(source, failing).open()) {
                m.store().upsert(chunks(random, "t-", 2));
            }
            Path journal = dir.resolve("state").resolve(RepairJournal.FILE);
            Files.writeString(journal, "0badc0de I 99 TAR", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(StoreMigration.readStatus(dir.resolve("state")).pendingRepairs()).isEqualTo(2);
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            Files.writeString(journal, "0badc0de I 98 TARGET x\n" + text, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> StoreMigration.readStatus(dir.resolve("state")))
                    .hasMessageContaining("repairs.log is damaged at line 1");
        }
    }

    @Nested
    class ShadowReadAndCutover {
        @Test
        void theTargetIsQueriedOffTheCallersPath() throws Exception {
            MemoryVectorStore source = memory();
            source.upsert(chunks(random, "doc-", 50));
            FailingStore target = new FailingStore(memory());
            CountDownLatch gate = new CountDownLatch(1);
            target.holdSearches(gate);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try (StoreMigration m = migration(source, target).shadowExecutor(executor).meterRegistry(registry).open()) {
                m.backfill();
                SearchRequest request = query(random);
                // The target's search is blocked on the gate: the caller still gets the source's answer.
                List<SearchHit> hits = m.store().search(request);
                assertThat(hits).isEqualTo(source.search(request));
                assertThat(m.readiness().queries()).isZero();
                gate.countDown();
                executor.shutdown();
                assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(registry.get(MigrationMetrics.AGREEMENT).tag("from", "memory").tag("to", "memory")
                    .summary().mean()).isEqualTo(1.0);
            assertThat(registry.get(MigrationMetrics.SHADOW_LATENCY).tag("side", "source").tag("outcome", "success")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get(MigrationMetrics.SHADOW_LATENCY).tag("side", "target").tag("outcome", "success")
                    .timer().count()).isEqualTo(1);
        }

        @Test
        void cutoverWaitsForTheWindowThenReadsComeFromTheTargetUntilRollback() {
            MemoryVectorStore source = memory();
            source.upsert(chunks(random, "doc-", 120));
            FailingStore target = new FailingStore(memory());
            try (StoreMigration m = migration(source, target).agreementWindow(20).agreementThreshold(0.95).open()) {
                assertThatThrownBy(m::cutover).isInstanceOf(MigrationNotReadyException.class)
                        .hasMessageContaining("the backfill is not finished (0 of 120 source chunks copied so far)")
                        .hasMessageContaining("only 0 of the 20 queries");
                m.backfill();
                for (int i = 0; i < 19; i++) {
                    m.store().search(query(random));
                }
                assertThat(m.readiness().ready()).isFalse();
                m.store().search(query(random));
                CutoverReadiness ready = m.readiness();
                assertThat(ready.ready()).as(ready.reasons().toString()).isTrue();
                assertThat(ready.meanAgreement()).isEqualTo(1.0);

                int searchesBefore = target.searches.get();
                m.cutover();
                assertThat(m.phase()).isEqualTo(MigrationPhase.TARGET_LIVE);
                assertThat(StoreMigration.readStatus(dir.resolve("state")).phase()).isEqualTo(MigrationPhase.TARGET_LIVE);
                m.store().search(query(random));
                assertThat(target.searches.get()).isEqualTo(searchesBefore + 1);

                // Writes keep reaching the source, and a source that lags is repaired before the rollback.
                m.store().upsert(List.of(chunk(random, "after-cutover", 0)));
                assertThat(source.get(List.of("after-cutover#0"))).hasSize(1);
                m.rollback();
                assertThat(m.phase()).isEqualTo(MigrationPhase.SOURCE_LIVE);
                assertThat(m.readiness().queries()).as("the window starts afresh").isZero();
                assertSameContents(source, target, "after cutover and rollback" + seedNote());
            }
        }

        @Test
        void rollbackRepairsTheSourceFirstAndRefusesWhileItCannot() {
            MemoryVectorStore plainSource = memory();
            FailingStore source = new FailingStore(plainSource);
            source.upsert(chunks(random, "doc-", 30));
            MemoryVectorStore target = memory();
            try (StoreMigration m = migration(source, target).agreementWindow(3).agreementThreshold(1.0).open()) {
                m.backfill();
                for (int i = 0; i < 3; i++) {
                    m.store().search(query(random));
                }
                m.cutover();
                source.failAllWrites(true);
                m.store().upsert(List.of(chunk(random, "late", 0)));
                assertThat(m.status().pendingRepairs()).isEqualTo(1);
                assertThatThrownBy(m::rollback).isInstanceOf(MigrationNotReadyException.class)
                        .hasMessageContaining("1 chunk ids written to the target could not be copied to the source");
                assertThat(m.phase()).isEqualTo(MigrationPhase.TARGET_LIVE);
                source.failAllWrites(false);
                m.rollback();
                assertThat(m.phase()).isEqualTo(MigrationPhase.SOURCE_LIVE);
                assertThat(plainSource.get(List.of("late#0"))).hasSize(1);
            }
        }

        @Test
        void lowAgreementOrAFailingTargetBlocksTheCutoverWithTheFigures() {
            MemoryVectorStore source = memory();
            source.upsert(chunks(random, "doc-", 100));
            MemoryVectorStore target = memory();
            // Same ids, other vectors: the target ranks differently.
            target.upsert(chunks(new Random(MigrationFixtures.SEED + 99), "doc-", 100));
            try (StoreMigration m = migration(source, target).acceptNonEmptyTarget(true).agreementWindow(10).open()) {
                for (int i = 0; i < 10; i++) {
                    m.store().search(query(random));
                }
                m.backfill();
                assertThatThrownBy(m::cutover).isInstanceOf(MigrationNotReadyException.class)
                        .hasMessageMatching("(?s).*mean agreement@k over the last 10 queries is 0\\.\\d{3} \\(lowest"
                                + " 0\\.\\d{3}\\), below the threshold 0\\.900.*")
                        .satisfies(e -> assertThat(((MigrationNotReadyException) e).readiness().meanAgreement())
                                .isLessThan(0.9));
                // After the backfill the stores agree; the window slides past the old queries.
                for (int i = 0; i < 10; i++) {
                    m.store().search(query(random));
                }
                assertThat(m.readiness().ready()).isTrue();
            }
            FailingStore broken = new FailingStore(memory()).failSearches(true);
            try (StoreMigration m = StoreMigration.builder(source, broken).stateDirectory(dir.resolve("broken"))
                    .shadowExecutor(Runnable::run).agreementWindow(2).open()) {
                m.backfill();
                assertThat(m.store().search(query(random))).hasSize(10);
                assertThat(m.store().search(query(random))).hasSize(10);
                assertThat(m.readiness().meanAgreement()).as("a failed shadow query agrees on nothing").isZero();
            }
        }

        @Test
        void agreementAtKIsTheOverlapOfTheTopKIds() {
            List<SearchHit> a = hits("a", "b", "c", "d");
            assertThat(Agreement.ofChunks(a, hits("d", "c", "b", "a"), 4)).isEqualTo(1.0);
            assertThat(Agreement.ofChunks(a, hits("a", "b", "x", "y"), 4)).isEqualTo(0.5);
            assertThat(Agreement.ofChunks(a, hits("a", "b"), 2)).isEqualTo(1.0);
            assertThat(Agreement.ofChunks(a, hits("a"), 4)).isEqualTo(0.25);
            assertThat(Agreement.ofChunks(List.of(), List.of(), 10)).isEqualTo(1.0);
        }

        private List<SearchHit> hits(String... docs) {
            List<SearchHit> out = new ArrayList<>();
            for (String d : docs) {
                out.add(new SearchHit(chunk(random, d, 0).chunk(), 0.5));
            }
            return out;
        }
    }
}
