package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {
    private static final int DIMENSION = 24;

    @TempDir
    Path dir;

    static List<EmbeddedChunk> chunks(long seed, int n) {
        Random random = new Random(seed);
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[DIMENSION];
            for (int j = 0; j < DIMENSION; j++) {
                v[j] = (float) random.nextGaussian();
            }
            out.add(new EmbeddedChunk(Chunk.of("doc-" + i, 0, "text " + i, Map.of("n", i)), v));
        }
        return out;
    }

    private Path source(int n) {
        Path source = dir.resolve("source");
        try (MemoryVectorStore store = MemoryVectorStore.builder().dimension(DIMENSION).directory(source).build()) {
            store.recordIndexInfo(new IndexInfo("test:embedder", DIMENSION, ""));
            store.upsert(chunks(5, n));
        }
        return source;
    }

    @Test
    void copiesAStoreThenReportsAndResumesNothing() {
        Path source = source(700);
        Path target = dir.resolve("target");
        CliRun run = CliRun.run("migrate", "--from", "memory:" + source, "--to", "memory:" + target, "--batch", "100",
                "--queries", "30");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString())
                .contains("copied=700 total=700 resumed=false pending_repairs=0 agreement_mean=1.000 agreement_min=1.000");
        assertThat(run.err()).contains("agreement@10 over 30 queries: mean 1.000");
        try (MemoryVectorStore copy = MemoryVectorStore.builder().dimension(DIMENSION).directory(target).readOnly(true).build()) {
            assertThat(copy.count()).isEqualTo(700);
            assertThat(copy.indexInfo()).hasValueSatisfying(i -> assertThat(i.embedder()).isEqualTo("test:embedder"));
            assertThat(copy.get(List.of("doc-42#0")).get(0).metadata()).containsEntry("n", 42L);
        }

        CliRun status = CliRun.run("migrate", "status", "--to", "memory:" + target);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("backfill done (700 chunks copied), 0 pending repairs, reads from source")
                .contains("phase=SOURCE_LIVE copied=700 backfill_done=true pending_repairs=0");

        CliRun again = CliRun.run("migrate", "--from", "memory:" + source, "--to", "memory:" + target, "--queries", "0");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("copied=0 total=700 resumed=true pending_repairs=0");
        assertThat(again.out()).doesNotContain("agreement");

        CliRun repair = CliRun.run("migrate", "repair", "--from", "memory:" + source, "--to", "memory:" + target);
        assertThat(repair.out()).as(repair.toString()).contains("repaired=0 pending_repairs=0");
    }

    @Test
    void copiesAFaissIndexIntoTheMemoryStore() {
        Path source = dir.resolve("faiss");
        try (FaissVectorStore store = FaissVectorStore.builder().dimension(DIMENSION).index("Flat").directory(source)
                .build()) {
            store.recordIndexInfo(new IndexInfo("test:embedder", DIMENSION, ""));
            store.upsert(chunks(7, 500));
        }
        Path target = dir.resolve("memory");
        CliRun run = CliRun.run("migrate", "--from", "faiss:" + source, "--to", "memory:" + target, "--batch", "64");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString())
                .contains("copied=500 total=500 resumed=false pending_repairs=0 agreement_mean=1.000 agreement_min=1.000");
        CliRun status = CliRun.run("migrate", "status", "--state", target + ".migration");
        assertThat(status.out()).as(status.toString()).contains("migration faiss -> memory: backfill done (500 chunks copied)");
        try (FaissVectorStore faiss = FaissVectorStore.builder().dimension(DIMENSION).index("Flat").directory(source)
                .readOnly(true).build();
             MemoryVectorStore copy = MemoryVectorStore.builder().dimension(DIMENSION).directory(target).readOnly(true)
                     .build()) {
            assertThat(copy.count()).isEqualTo(500);
            List<String> ids = List.of("doc-0#0", "doc-250#0", "doc-499#0");
            assertThat(copy.get(ids)).isEqualTo(faiss.get(ids));
        }
    }

    @Test
    void refusesWhatWouldNotEndIdentical() {
        Path source = source(10);
        Path target = dir.resolve("busy");
        try (MemoryVectorStore store = MemoryVectorStore.builder().dimension(DIMENSION).directory(target).build()) {
            store.upsert(chunks(9, 3).subList(0, 3));
        }
        CliRun run = CliRun.run("migrate", "--from", "memory:" + source, "--to", "memory:" + target);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("it already holds 3 chunks");

        CliRun other = CliRun.run("migrate", "--from", "memory:" + source, "--to", "memory:" + dir.resolve("t2"),
                "--dimension", "8");
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(2);
        assertThat(other.err()).contains("dimension");
    }

    @Test
    void explainsItsUsageErrors() {
        assertThat(CliRun.run("migrate", "--to", "memory:x").err()).contains("migrate needs --from STORE[:DIR]");
        assertThat(CliRun.run("migrate", "--from", "memory", "--to", "memory:x").err())
                .contains("store 'memory' keeps its data in a directory: give it as memory:DIR");
        assertThat(CliRun.run("migrate", "status").err()).contains("migrate status needs --state DIR or --to STORE:DIR");
        CliRun none = CliRun.run("migrate", "status", "--state", dir.resolve("nothing").toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no store migration was started in");
        assertThat(CliRun.run("migrate", "--from", "memory:" + dir.resolve("absent"), "--to", "memory:y").err())
                .contains("there is no store in");
        assertThat(CliRun.run("migrate", "cutover").err()).contains("unknown word 'cutover'");
        assertThat(CliRun.run("migrate", "--help").out()).contains("Usage: ragkit migrate --from STORE[:DIR]");
    }
}
