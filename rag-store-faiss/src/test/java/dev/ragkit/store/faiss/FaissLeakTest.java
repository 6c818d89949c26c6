package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.store.faiss.internal.FaissNative;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store left unclosed has its native index freed when the garbage collector finds it, with a warning
 * naming the index; a closed store frees it at once and logs nothing.
 */
class FaissLeakTest {
    private static final int DIM = 8;
    private static final long GC_WAIT_MILLIS = 20_000;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    static void loadLibrary() {
        NativeLibrary.load();
    }

    @BeforeEach
    void captureLog() {
        // slf4j-simple writes to whatever System.err is at the time of the call, the cleaner's thread included.
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(originalErr);
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Runs the garbage collector until {@code done} holds, at most {@link #GC_WAIT_MILLIS}. */
    private static boolean collectUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + GC_WAIT_MILLIS * 1_000_000;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        return done.getAsBoolean();
    }

    private static FaissVectorStore open(Path dir) {
        FaissVectorStore store = FaissVectorStore.builder().dimension(DIM).index("HNSW32").directory(dir).build();
        List<EmbeddedChunk> chunks = TestData.chunks(new Random(TestData.SEED), DIM, 3);
        store.upsert(chunks);
        store.delete(List.of(chunks.get(0).chunk().id()));
        return store;
    }

    /** Opens a store, writes to it and drops it without closing it. */
    private static void leakOne(Path dir) {
        FaissVectorStore leaked = open(dir);
        assertThat(leaked.count()).isEqualTo(2);
    }

    @Test
    void aLeakedStoreIsFreedByTheGarbageCollectorWithAWarning(@TempDir Path dir) throws InterruptedException {
        long before = FaissNative.liveHandles();
        leakOne(dir);
        assertThat(FaissNative.liveHandles()).as("native indexes while the store is alive").isEqualTo(before + 1);
        String warning = "FAISS index 'HNSW32' in " + dir + " was never closed; freed by the garbage collector";

        // The warning is logged right after the index is freed.
        assertThat(collectUntil(() -> log().contains(warning)))
                .as("within %d ms of garbage collection, the log has the warning: %s", GC_WAIT_MILLIS, log()).isTrue();

        assertThat(log()).contains("WARN");
        // Other tests' leaked stores may be freed meanwhile too, never fewer than this one.
        assertThat(FaissNative.liveHandles()).as("native indexes after the leak was cleaned").isLessThanOrEqualTo(before);
    }

    @Test
    void aClosedStoreFreesItsIndexAtOnceAndLogsNothing(@TempDir Path dir) throws InterruptedException {
        long before = FaissNative.liveHandles();
        FaissVectorStore store = open(dir);
        store.compact(); // a new handle replaces the first; the cleaner must follow it

        store.close();
        store.close();

        assertThat(FaissNative.liveHandles()).isEqualTo(before);
        store = null;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(log()).doesNotContain("was never closed");
    }

    @Test
    void aStoreLeakedAfterCompactionFreesTheNewIndex() throws InterruptedException {
        long before = FaissNative.liveHandles();
        leakCompacted();
        String warning = "FAISS index 'HNSW32' in memory was never closed; freed by the garbage collector";

        assertThat(collectUntil(() -> log().contains(warning))).as("warning logged: %s", log()).isTrue();
        assertThat(FaissNative.liveHandles()).isLessThanOrEqualTo(before);
    }

    private static void leakCompacted() {
        FaissVectorStore store = FaissVectorStore.builder().dimension(DIM).index("HNSW32").build();
        List<EmbeddedChunk> chunks = TestData.chunks(new Random(TestData.SEED), DIM, 3);
        store.upsert(chunks);
        store.delete(List.of(chunks.get(0).chunk().id()));
        store.compact();
        assertThat(store.tombstones()).isZero();
    }
}
