package dev.ragkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.StoreDamagedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link VersionedIndex} must meet. A store's tests extend this class and implement
 * {@link #openIndex(Path)}; every check then runs against that store:
 *
 * <pre>{@code
 * class FaissVersionedIndexConformanceTest extends VersionedIndexConformanceTest {
 *     protected VersionedIndex openIndex(Path root) {
 *         return new FaissVectorStoreProvider().versioned(ProviderConfig.of("store", "faiss",
 *                 Map.of("directory", root.toString(), "live-refresh", "50ms"))).orElseThrow();
 *     }
 * }
 * }</pre>
 *
 * <p>It checks numbering (never reused), that building a version leaves the live one alone,
 * ready/promote/rollback/drop and their refusals, properties, reopening, detection of a damaged
 * catalog, that a live store follows the alias (from the same handle at once, from another handle
 * within the refresh interval), that a reader searching through a series of promotes and rollbacks
 * never fails nor sees an empty or half-built version, and, by killing a child JVM (SIGKILL) that
 * runs this same test class, that a crash while building a version or while promoting leaves exactly
 * one version live, complete, with its data. The child JVM instantiates the concrete test class with
 * its no-argument constructor and calls {@link #openIndex(Path)}, so that constructor must work
 * outside JUnit.
 *
 * <p>Data is random with a fixed seed ({@code -Dragkit.testkit.seed}), printed in failures; every
 * failure starts with {@code Contract broken:} and the check's name.
 */
@ExtendWith(ContractFailures.class)
public abstract class VersionedIndexConformanceTest {
    private static final long SEED = Long.getLong("ragkit.testkit.seed", 20240611L);
    private static final int DIMENSION = 16;
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path root;

    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * Opens a new handle on the versioned index kept under {@code root} (or in a server namespace derived
     * from it): two calls with the same root are two handles on one index, as two processes would have.
     * The kit closes every handle and store it opened after each check.
     */
    protected abstract VersionedIndex openIndex(Path root);

    /**
     * The longest a live store may take to see another handle's promote, as configured in
     * {@link #openIndex}; the kit waits this long plus a margin. One second by default.
     */
    protected Duration liveRefresh() {
        return Duration.ofSeconds(1);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    // ---- helpers ----

    private VersionedIndex index() {
        return track(openIndex(root));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    static IndexInfo info() {
        return new IndexInfo("kit:hash", DIMENSION, "kit(chunk=1)");
    }

    /** How many chunks version {@code n} holds: distinct per version, so a count names the version. */
    static int size(int n) {
        return 20 + n;
    }

    /** Chunk {@code j} of version {@code n}: id {@code v<n>-<j>}, a vector drawn from the seed. */
    static EmbeddedChunk chunk(int n, int j) {
        Random random = new Random(SEED * 1_000_003L + n * 10_007L + j);
        float[] vector = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return new EmbeddedChunk(Chunk.of("v" + n + "-" + j, j, "chunk " + j + " of version " + n,
                Map.of("version", (long) n)), vector);
    }

    static List<EmbeddedChunk> chunks(int n) {
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int j = 0; j < size(n); j++) {
            out.add(chunk(n, j));
        }
        return out;
    }

    /** Creates the next version, fills it with its chunks and marks it ready; returns its number. */
    static int build(VersionedIndex index) {
        int n = index.create(info()).number();
        try (VectorStore store = index.open(n)) {
            store.upsert(chunks(n));
            store.flush();
        }
        index.markReady(n, "fingerprint-" + n, size(n), size(n));
        return n;
    }

    /** A dense query that every version answers with its own chunks only. */
    private static SearchRequest query() {
        return SearchRequest.dense(chunk(0, 0).vector(), 5);
    }

    /** The version whose chunks the hits are; fails when they are empty or mix versions. */
    private static int versionOf(List<SearchHit> hits, String context) {
        assertThat(hits).as("hits of a live version; " + context).isNotEmpty();
        String prefix = hits.get(0).id().substring(0, hits.get(0).id().indexOf('-') + 1);
        assertThat(hits).as("all hits from one version; " + context)
                .allSatisfy(h -> assertThat(h.id()).startsWith(prefix));
        return Integer.parseInt(prefix.substring(1, prefix.length() - 1));
    }

    /** Checks that the store holds exactly version {@code n}'s data. */
    static void assertHolds(VectorStore store, int n, String context) {
        assertThat(store.count()).as("chunks of v" + n + "; " + context).isEqualTo(size(n));
        List<String> ids = chunks(n).stream().map(EmbeddedChunk::id).toList();
        assertThat(store.get(ids)).as("every chunk of v" + n + "; " + context).hasSize(ids.size());
        assertThat(versionOf(store.search(query()), context)).as("version searched; " + context).isEqualTo(n);
    }

    private static String seed() {
        return " (seed " + SEED + ")";
    }

    // ---- checks ----

    @Nested
    @DisplayName("versions")
    class Versions {
        @Test
        @DisplayName("versions are numbered from 1 in creation order and a number is never reused, even after a drop")
        void numbering() {
            VersionedIndex index = index();
            assertThat(index.versions()).as("a new index has no versions").isEmpty();
            assertThat(index.live()).as("a new index has no live version").isEmpty();
            assertThat(index.create(info()).number()).isEqualTo(1);
            IndexVersion second = index.create(info());
            assertThat(second.number()).isEqualTo(2);
            assertThat(second.state()).isEqualTo(IndexVersion.State.BUILDING);
            assertThat(second.builtWith()).isEqualTo(info());
            index.drop(2);
            assertThat(index.create(info()).number()).as("the number after a dropped v2").isEqualTo(3);
            assertThat(index().create(info()).number()).as("numbering through another handle").isEqualTo(4);
            assertThat(index.versions()).extracting(IndexVersion::number).containsExactly(1, 3, 4);
        }

        @Test
        @DisplayName("creating and filling a version does not touch the live one")
        void createLeavesLiveAlone() {
            VersionedIndex index = index();
            int v1 = build(index);
            index.promote(v1);
            VectorStore live = track(index.openLive());
            IndexVersion v2 = index.create(info());
            try (VectorStore building = index.open(v2.number())) {
                building.upsert(chunks(v2.number()));
                building.flush();
                assertThat(index.live()).hasValue(v1);
                assertHolds(live, v1, "while v2 is built" + seed());
            }
            assertHolds(live, v1, "after v2 was built" + seed());
        }

        @Test
        @DisplayName("a named version can be opened, written, closed and opened again with its data")
        void openNamedVersion() {
            VersionedIndex index = index();
            int n = index.create(info()).number();
            try (VectorStore store = index.open(n)) {
                store.upsert(chunks(n));
                store.flush();
            }
            try (VectorStore store = index.open(n)) {
                assertThat(store.count()).as("written chunks after reopening v" + n).isEqualTo(size(n));
            }
            assertThatThrownBy(() -> index.open(99)).as("opening an unknown version")
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("v99");
        }

        @Test
        @DisplayName("markReady records the fingerprint and counts, durably")
        void markReady() {
            VersionedIndex index = index();
            int n = build(index);
            IndexVersion ready = index.versions().get(0);
            assertThat(ready.state()).isEqualTo(IndexVersion.State.READY);
            assertThat(ready.sourceFingerprint()).isEqualTo("fingerprint-" + n);
            assertThat(ready.documents()).isEqualTo(size(n));
            assertThat(ready.chunks()).isEqualTo(size(n));
            assertThat(index().versions()).as("the record seen by a new handle").containsExactly(ready);
        }

        @Test
        @DisplayName("drop refuses the live version and removes any other one")
        void drop() {
            VersionedIndex index = index();
            int v1 = build(index);
            int v2 = build(index);
            index.promote(v1);
            assertThatThrownBy(() -> index.drop(v1)).as("dropping the live version")
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("v" + v1);
            index.drop(v2);
            assertThat(index.versions()).extracting(IndexVersion::number).containsExactly(v1);
            assertThatThrownBy(() -> index.drop(v2)).as("dropping a dropped version")
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> index.open(v2)).as("opening a dropped version")
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Nested
    @DisplayName("alias")
    class Alias {
        @Test
        @DisplayName("promote refuses a building version and an unknown one, leaving the alias as it was")
        void promoteRefusals() {
            VersionedIndex index = index();
            int v1 = build(index);
            index.promote(v1);
            int building = index.create(info()).number();
            assertThatThrownBy(() -> index.promote(building)).as("promoting a BUILDING version")
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("v" + building);
            assertThatThrownBy(() -> index.promote(42)).as("promoting an unknown version")
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("v42");
            assertThat(index.live()).hasValue(v1);
        }

        @Test
        @DisplayName("rollback returns to the previous live versions in turn, then fails clearly")
        void rollback() {
            VersionedIndex index = index();
            int v1 = build(index);
            int v2 = build(index);
            int v3 = build(index);
            assertThatThrownBy(index::rollback).as("rollback before any promote").isInstanceOf(RagException.class)
                    .hasMessageContaining("roll back");
            index.promote(v1);
            index.promote(v2);
            index.promote(v3);
            assertThat(index.rollback()).isEqualTo(v2);
            assertThat(index.live()).hasValue(v2);
            assertThat(index().live()).as("live through a new handle after rollback").hasValue(v2);
            assertThat(index.rollback()).isEqualTo(v1);
            assertThatThrownBy(index::rollback).as("rollback with no earlier live version left")
                    .isInstanceOf(RagException.class).hasMessageContaining("roll back");
            assertThat(index.live()).hasValue(v1);
        }

        @Test
        @DisplayName("openLive before any promote fails clearly")
        void openLiveWithoutLive() {
            VersionedIndex index = index();
            build(index);
            assertThatThrownBy(index::openLive).isInstanceOf(RagException.class).hasMessageContaining("live");
        }

        @Test
        @DisplayName("a live store follows promote and rollback through the same handle at once")
        void liveFollowsSameHandle() {
            VersionedIndex index = index();
            int v1 = build(index);
            int v2 = build(index);
            index.promote(v1);
            VectorStore live = track(index.openLive());
            assertHolds(live, v1, "before promote" + seed());
            index.promote(v2);
            assertHolds(live, v2, "right after promote" + seed());
            index.rollback();
            assertHolds(live, v1, "right after rollback" + seed());
        }

        @Test
        @DisplayName("a live store follows a promote made through another handle within the refresh interval")
        void liveFollowsAnotherHandle() throws InterruptedException {
            VersionedIndex index = index();
            int v1 = build(index);
            int v2 = build(index);
            index.promote(v1);
            VectorStore live = track(index.openLive());
            assertHolds(live, v1, "before promote" + seed());
            index().promote(v2);
            long deadline = System.nanoTime() + liveRefresh().toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (live.count() != size(v2) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertHolds(live, v2, "within " + liveRefresh().toMillis() + " ms (+5 s margin) of another handle's"
                    + " promote" + seed());
        }
    }

    @Nested
    @DisplayName("properties and reopening")
    class Durability {
        @Test
        @DisplayName("properties round-trip, null removes a key, bad keys are refused, and they survive reopening")
        void properties() {
            VersionedIndex index = index();
            assertThat(index.properties()).isEmpty();
            index.putProperties(Map.of("rollout.share", "0.1", "rollout.candidate", "2"));
            Map<String, String> change = new HashMap<>();
            change.put("rollout.share", null);
            change.put("migration.cursor", "a=b\nc: d # e");
            index.putProperties(change);
            Map<String, String> expected = Map.of("rollout.candidate", "2", "migration.cursor", "a=b\nc: d # e");
            assertThat(index.properties()).isEqualTo(expected);
            assertThatThrownBy(() -> index.putProperties(Map.of("Bad Key", "x"))).as("a key outside [a-z0-9.-]+")
                    .isInstanceOf(InvalidInputException.class);
            assertThat(index().properties()).as("properties through a new handle").isEqualTo(expected);
        }

        @Test
        @DisplayName("versions, states and the live version survive reopening")
        void catalogSurvivesReopen() {
            VersionedIndex index = index();
            int v1 = build(index);
            int v2 = build(index);
            index.create(info());
            index.promote(v1);
            index.promote(v2);
            List<IndexVersion> versions = index.versions();
            index.close();
            VersionedIndex again = index();
            assertThat(again.versions()).isEqualTo(versions);
            assertThat(again.live()).hasValue(v2);
            assertThat(again.rollback()).as("rollback history after reopening").isEqualTo(v1);
            assertHolds(track(again.openLive()), v1, "after reopen and rollback" + seed());
        }

        @Test
        @DisplayName("a damaged catalog is detected and named, and left as it was")
        void damagedCatalog() throws IOException {
            VersionedIndex index = index();
            assumeTrue(index instanceof DirectoryVersionedIndex, "the catalog check applies to directory indexes");
            int v1 = build(index);
            index.promote(v1);
            Path catalog = root.resolve(DirectoryVersionedIndex.CATALOG);
            byte[] bytes = Files.readAllBytes(catalog);
            int at = new String(bytes, StandardCharsets.UTF_8).indexOf("live=") + 5;
            bytes[at] = (byte) (bytes[at] == '7' ? '8' : '7');
            Files.write(catalog, bytes);
            VersionedIndex damaged = index();
            assertThatThrownBy(damaged::live).as("reading a catalog whose live entry was changed on disk")
                    .isInstanceOf(StoreDamagedException.class).hasMessageContaining(DirectoryVersionedIndex.CATALOG)
                    .hasMessageContaining("checksum");
            assertThatThrownBy(() -> damaged.create(info())).isInstanceOf(StoreDamagedException.class);
            assertThat(Files.readAllBytes(catalog)).as("the damaged catalog is left as it was").isEqualTo(bytes);
            assertThat(root.resolve("v" + v1)).as("the version directory is kept").isDirectory();
        }

        @Test
        @DisplayName("a catalog temporary file left by a crash is ignored")
        void leftoverTemporaryCatalog() throws IOException {
            VersionedIndex index = index();
            assumeTrue(index instanceof DirectoryVersionedIndex, "the catalog file applies to directory indexes");
            int v1 = build(index);
            index.promote(v1);
            Files.write(root.resolve(DirectoryVersionedIndex.CATALOG + ".tmp"), "format=1\nlive=9".getBytes(
                    StandardCharsets.UTF_8));
            VersionedIndex again = index();
            assertThat(again.live()).hasValue(v1);
            int v2 = build(again);
            again.promote(v2);
            assertThat(index().live()).hasValue(v2);
        }
    }

    @Nested
    @DisplayName("serving during changes")
    class Serving {
        @Test
        @DisplayName("a reader searching through repeated promotes and rollbacks never fails nor sees an empty,"
                + " mixed or building version")
        void readerDuringSwitches() throws Exception {
            VersionedIndex index = index();
            VersionedIndex other = index();
            int v1 = build(index);
            int v2 = build(index);
            int v3 = build(index);
            index.promote(v1);
            int building = index.create(info()).number();
            VectorStore live = track(index.openLive());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong searches = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        int seen = versionOf(live.search(query()), "search " + searches.get() + seed());
                        if (seen != v1 && seen != v2 && seen != v3) {
                            throw new AssertionError("search " + searches.get() + " saw v" + seen
                                    + ", which was never ready and promoted" + seed());
                        }
                        searches.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                        return;
                    }
                }
            }, "kit-reader");
            reader.start();
            Random random = new Random(SEED);
            try (VectorStore half = index.open(building)) {
                int[] ready = {v1, v2, v3};
                for (int step = 0; step < 40 && failures.isEmpty(); step++) {
                    half.upsert(List.of(chunk(building, step)));
                    VersionedIndex via = random.nextBoolean() ? index : other;
                    int target = ready[random.nextInt(ready.length)];
                    if (random.nextInt(4) == 0) {
                        try {
                            via.rollback();
                        } catch (RagException noHistory) {
                            via.promote(target);
                        }
                    } else {
                        via.promote(target);
                    }
                    assertThatThrownBy(() -> via.promote(building)).isInstanceOf(InvalidInputException.class);
                    Thread.sleep(5);
                }
            } finally {
                stop.set(true);
                reader.join(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("the reader failed after " + searches.get() + " searches" + seed(),
                        failures.peek());
            }
            assertThat(searches.get()).as("searches made during the switches").isPositive();
        }
    }

    @Nested
    @DisplayName("crashes")
    class Crashes {
        @Test
        @DisplayName("killing a process while it builds a version leaves the live version live and complete, and"
                + " the build can resume")
        void killWhileBuilding() throws Exception {
            VersionedIndex index = index();
            int v1 = build(index);
            index.promote(v1);
            index.close();
            Random random = new Random(SEED);
            for (int round = 0; round < 2; round++) {
                int kills = 1 + random.nextInt(3);
                String context = "round " + round + ", killed after " + kills + " batches" + seed();
                String lastLine = runChildAndKill("build", kills);
                assertThat(lastLine).as("the child reported its writes; " + context).startsWith("wrote");
                VersionedIndex reopened = index();
                assertThat(reopened.live()).as("live after the kill; " + context).hasValue(v1);
                try (VectorStore live = reopened.openLive()) {
                    assertHolds(live, v1, context);
                }
                IndexVersion crashed = reopened.versions().get(reopened.versions().size() - 1);
                assertThat(crashed.state()).as("the interrupted version; " + context)
                        .isEqualTo(IndexVersion.State.BUILDING);
                assertThatThrownBy(() -> reopened.promote(crashed.number()))
                        .isInstanceOf(InvalidInputException.class);
            }
            // Resume the last interrupted build to completion and serve it.
            VersionedIndex index2 = index();
            int resumed = index2.versions().get(index2.versions().size() - 1).number();
            try (VectorStore store = index2.open(resumed)) {
                assertThat(store.count()).as("chunks the killed builder had flushed").isPositive();
                List<EmbeddedChunk> all = chunks(resumed);
                store.upsert(all);
                store.flush();
            }
            index2.markReady(resumed, "resumed", size(resumed), size(resumed));
            index2.promote(resumed);
            assertHolds(track(index2.openLive()), resumed, "after resuming the build" + seed());
        }

        @Test
        @DisplayName("killing a process while it promotes and rolls back leaves exactly one complete version live")
        void killWhilePromoting() throws Exception {
            VersionedIndex index = index();
            List<Integer> ready = List.of(build(index), build(index), build(index));
            index.promote(ready.get(0));
            index.close();
            Random random = new Random(SEED + 1);
            for (int round = 0; round < 3; round++) {
                int kills = 2 + random.nextInt(25);
                String context = "round " + round + ", killed after " + kills + " steps" + seed();
                runChildAndKill("promote", kills);
                VersionedIndex reopened = index();
                OptionalInt live = reopened.live();
                assertThat(live).as("a live version after the kill; " + context).isPresent();
                assertThat(ready).as("the live version is one that was ready; " + context).contains(live.getAsInt());
                assertThat(reopened.versions()).as("versions after the kill; " + context)
                        .extracting(IndexVersion::number).containsExactlyElementsOf(ready);
                try (VectorStore served = reopened.openLive()) {
                    assertHolds(served, live.getAsInt(), context);
                }
            }
        }

        /**
         * Runs this test class's {@link CrashChild} in a new JVM and kills it (SIGKILL) once it printed
         * {@code lines} lines; returns the last line it printed.
         */
        private String runChildAndKill(String mode, int lines) throws Exception {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), VersionedIndexConformanceTest.this.getClass().getName(),
                    root.toString(), mode);
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String last = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (int seen = 0; seen < lines; seen++) {
                    String line = out.readLine();
                    if (line == null) {
                        child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        throw new AssertionError("the child JVM (" + mode + ") ended after " + seen + " lines with"
                                + " exit code " + child.exitValue() + " before it could be killed" + seed());
                    }
                    last = line;
                }
                child.destroyForcibly();
            } finally {
                child.destroyForcibly();
                child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return last;
        }
    }

    /**
     * The process the crash checks kill: it opens the index of the concrete test class named in its
     * arguments and works on it forever, printing a line after each step. Arguments: test class, root,
     * mode ({@code build}: create a version and fill it batch after batch, flushing each; {@code promote}:
     * promote the ready versions and roll back in turn).
     */
    public static final class CrashChild {
        private CrashChild() {
        }

        public static void main(String[] args) throws Exception {
            Constructor<?> constructor = Class.forName(args[0]).getDeclaredConstructor();
            constructor.setAccessible(true);
            VersionedIndexConformanceTest kit = (VersionedIndexConformanceTest) constructor.newInstance();
            VersionedIndex index = kit.openIndex(Path.of(args[1]));
            Random random = new Random(System.nanoTime());
            if (args[2].equals("build")) {
                int n = index.create(info()).number();
                try (VectorStore store = index.open(n)) {
                    for (int j = 0; ; j++) {
                        store.upsert(List.of(chunk(n, j % size(n))));
                        store.flush();
                        System.out.println("wrote " + j);
                    }
                }
            }
            List<Integer> ready = index.versions().stream().filter(v -> v.state() == IndexVersion.State.READY)
                    .map(IndexVersion::number).toList();
            for (long step = 0; ; step++) {
                if (random.nextInt(3) == 0) {
                    try {
                        index.rollback();
                    } catch (RagException noHistory) {
                        index.promote(ready.get(random.nextInt(ready.size())));
                    }
                } else {
                    index.promote(ready.get(random.nextInt(ready.size())));
                }
                index.putProperties(Map.of("kit.step", Long.toString(step)));
                System.out.println("step " + step);
            }
        }
    }
}
