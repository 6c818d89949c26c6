package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An embedder left unclosed gives its ONNX session back when the garbage collector finds it, with a
 * warning naming the model; a closed one gives it back at once and logs nothing.
 */
class OnnxSessionLeakTest {
    private static final OnnxModel MODEL = OnnxModel.ALL_MINILM_L6_V2_Q;
    /** An intra-op thread count no other test uses, so that the session below is this test's alone. */
    private static final int THREADS = 3;
    private static final String SESSION = MODEL.configName() + "@" + THREADS;
    private static final String LEAK_WARNING = "ONNX session of model '" + MODEL.configName()
            + "' (intra-op threads " + THREADS + ") was never closed; freed by the garbage collector";
    private static final long GC_WAIT_MILLIS = 20_000;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

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

    private static OnnxEmbedder open() {
        NativeRuntime.prepare(NativeRuntime.defaultCacheDirectory());
        return new OnnxEmbedder(MODEL, 64, OrtEncoder.load(MODEL, THREADS, 1, null));
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

    /** Opens an embedder, uses it and drops it without closing it; returns only its hold on the session. */
    private static OrtEncoder.Release leakOne() {
        OnnxEmbedder leaked = open();
        assertThat(leaked.embedQuery("a leaked embedder still works")).hasSize(MODEL.dimension());
        return ((OrtEncoder) leaked.encoder()).release();
    }

    @Test
    void aLeakedEmbedderIsReleasedByTheGarbageCollectorWithAWarning() throws InterruptedException {
        OrtEncoder.Release release = leakOne();
        assertThat(OrtEncoder.openSessions()).as("sessions open while the embedder is alive").contains(SESSION);

        assertThat(collectUntil(release::released)).as("released within %d ms of garbage collection", GC_WAIT_MILLIS)
                .isTrue();

        assertThat(release.leaked()).as("released by the cleaner").isTrue();
        assertThat(OrtEncoder.openSessions()).as("sessions open after the leak was cleaned").doesNotContain(SESSION);
        assertThat(collectUntil(() -> log().contains(LEAK_WARNING))).as("warning in the log: %s", log()).isTrue();
        assertThat(log()).contains("WARN");
    }

    @Test
    void aClosedEmbedderIsReleasedAtOnceWithoutAWarning() throws InterruptedException {
        OnnxEmbedder embedder = open();
        OrtEncoder.Release release = ((OrtEncoder) embedder.encoder()).release();

        embedder.close();
        embedder.close();

        assertThat(release.released()).as("released by close").isTrue();
        assertThat(release.leaked()).as("leaked").isFalse();
        assertThat(OrtEncoder.openSessions()).doesNotContain(SESSION);
        assertThatThrownBy(() -> embedder.embedQuery("after close")).isInstanceOf(RagException.class)
                .hasMessage("embedder onnx:" + MODEL.configName() + " is closed");
        assertThatThrownBy(() -> embedder.embedDocuments(List.of("after close"))).isInstanceOf(RagException.class)
                .hasMessageContaining("is closed");
        // Give a wrongly registered cleaning action every chance to run and log.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(log()).doesNotContain("was never closed");
    }

    @Test
    void theSessionStaysOpenUntilTheLastEmbedderOnItCloses() {
        OnnxEmbedder first = open();
        OnnxEmbedder second = open();

        first.close();

        assertThat(OrtEncoder.openSessions()).contains(SESSION);
        assertThat(second.embedQuery("still served")).hasSize(MODEL.dimension());
        second.close();
        assertThat(OrtEncoder.openSessions()).doesNotContain(SESSION);
    }
}
