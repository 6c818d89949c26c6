package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.store.StoreDamagedException;
import dev.ragkit.store.faiss.internal.FaissNative;
import dev.ragkit.store.faiss.internal.FaissNativeException;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI binding on files it must refuse (random bytes, truncated indexes, FAISS layouts Ragkit does
 * not use), on paths outside the Basic Multilingual Plane, and on the caller's OpenMP setting. A
 * refused file must surface as {@link FaissNativeException} with no handle left behind; each read is
 * repeated and followed by real work because heap corruption often only shows later.
 */
class FaissNativeDamagedFilesTest {
    private static final int DIM = 8;
    private static final int REPEATS = 5;
    /**
     * Bytes before the wrapped index in an IndexIDMap2 file of FAISS 1.7.3: fourcc (4), d (int32),
     * ntotal (int64), two int64 dummies, is_trained (1 byte), metric_type (int32); a metric_arg float
     * follows only for metrics past L2, which Ragkit never creates.
     */
    private static final int IDMAP2_HEADER = 4 + 4 + 8 + 8 + 8 + 1 + 4;

    @TempDir
    Path dir;

    private final Random random = new Random(TestData.SEED);

    @BeforeAll
    static void loadLibrary() {
        NativeLibrary.load();
    }

    @Test
    void randomBytesAreRefused() throws IOException {
        for (int size : new int[] {0, 1, 3, 4, 64, 4096}) {
            expectRefused(file("random-" + size, randomBytes(size)), "Flat");
        }
        // Known fourccs followed by garbage get past the type check into FAISS's field readers.
        for (String fourcc : List.of("IxM2", "IxFI", "IHNf", "IwFl")) {
            byte[] bytes = randomBytes(256);
            System.arraycopy(fourcc.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
            expectRefused(file("random-" + fourcc, bytes), "Flat");
        }
        assertProcessHealthy();
    }

    @Test
    void truncatedIndexesAreRefused() throws IOException {
        for (String factory : List.of("Flat", "HNSW32", "IVF4,Flat")) {
            byte[] whole = indexBytes(factory, 200);
            int n = whole.length;
            for (int cut : new int[] {1, 4, 20, IDMAP2_HEADER, IDMAP2_HEADER + 4, n / 3, n / 2, n - 9, n - 8, n - 1}) {
                expectRefused(file(factory.replace(',', '_') + "-cut-" + cut, Arrays.copyOf(whole, cut)), factory);
            }
        }
        assertProcessHealthy();
    }

    @Test
    void aBareFlatIndexIsRefusedByTheLayoutCheck() throws IOException {
        byte[] wrapped = indexBytes("Flat", 20);
        assertThat(fourcc(wrapped, 0)).isEqualTo("IxM2");
        assertThat(fourcc(wrapped, IDMAP2_HEADER)).as("the wrapped index right after the IndexIDMap2 header").startsWith("IxF");
        // FAISS reads one index and ignores what follows (here the id map), so the rest is a bare IndexFlat.
        Path bare = file("bare-flat", Arrays.copyOfRange(wrapped, IDMAP2_HEADER, wrapped.length));
        expectRefused(bare, "Flat", "unexpected FAISS index layout for 'Flat'");
        assertProcessHealthy();
    }

    @Test
    void anIvfIndexInsideAnIdMapIsRefusedByTheLayoutCheck() throws IOException {
        byte[] ivf = indexBytes("IVF4,Flat", 200);
        assertThat(fourcc(ivf, 0)).isEqualTo("IwFl");
        expectRefused(file("ivf-in-idmap", wrapInIdMap2(ivf)), "IVF4,Flat", "unexpected FAISS index layout for 'IVF4,Flat'");
        assertProcessHealthy();
    }

    @Test
    void anIdMapInsideAnIdMapIsRefusedAsUnsupported() throws IOException {
        byte[] wrapped = indexBytes("Flat", 20);
        expectRefused(file("idmap-in-idmap", wrapInIdMap2(wrapped)), "Flat", "not supported by Ragkit");
        assertProcessHealthy();
    }

    @Test
    void aPathOutsideTheBasicMultilingualPlaneRoundTrips() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("index-\uD83D\uDE00"));
        Path file = folder.resolve("flat-\uD83D\uDE00.faiss");
        long before = FaissNative.liveHandles();
        float[] x = vectors(50);
        long h = FaissNative.create(DIM, "Flat", FaissNative.L2, 0);
        try {
            FaissNative.add(h, x, labels(50), 1);
            FaissNative.write(h, file);
        } finally {
            FaissNative.destroy(h);
        }
        assertThat(file).isRegularFile();
        try (Stream<Path> listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactly("index-\uD83D\uDE00");
        }
        long read = FaissNative.read(file, "Flat");
        try {
            assertThat(FaissNative.count(read)).isEqualTo(50);
            assertThat(nearest(read, Arrays.copyOfRange(x, 17 * DIM, 18 * DIM))).isEqualTo(17);
        } finally {
            FaissNative.destroy(read);
        }
        assertThat(FaissNative.liveHandles()).isEqualTo(before);
    }

    @Test
    void aStoreInAFolderOutsideTheBasicMultilingualPlaneReopens() {
        Path folder = dir.resolve("store-\uD83D\uDE00");
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(DIM).index("Flat").directory(folder).build()) {
            s.upsert(TestData.chunks(random, DIM, 3));
        }
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(DIM).index("Flat").directory(folder).build()) {
            assertThat(s.count()).isEqualTo(3);
        }
    }

    @Test
    void aStoreWithAForeignIndexFileNamesTheFile() throws IOException {
        try (FaissVectorStore s = FaissVectorStore.builder().dimension(DIM).index("Flat").directory(dir).build()) {
            s.upsert(TestData.chunks(random, DIM, 3));
        }
        Path indexFile;
        try (Stream<Path> listed = Files.list(dir)) {
            indexFile = listed.filter(p -> p.getFileName().toString().matches("index-\\d+\\.faiss")).findFirst().orElseThrow();
        }
        byte[] wrapped = Files.readAllBytes(indexFile);
        // Same size, so only the checksum stops it before FAISS (the direct reads above cover FAISS's own checks).
        byte[] bare = Arrays.copyOf(Arrays.copyOfRange(wrapped, IDMAP2_HEADER, wrapped.length), wrapped.length);
        Files.write(indexFile, bare);
        long before = FaissNative.liveHandles();
        for (int i = 0; i < REPEATS; i++) {
            assertThatThrownBy(() -> FaissVectorStore.builder().dimension(DIM).index("Flat").directory(dir).build())
                    .isInstanceOf(StoreDamagedException.class)
                    .hasMessageStartingWith(indexFile + " fails its checksum");
        }
        assertThat(FaissNative.liveHandles()).isEqualTo(before);
        assertProcessHealthy();
    }

    @Test
    void theCallersOpenMpSettingIsKept() {
        int before = FaissNative.maxThreads();
        int other = before == 2 ? 3 : 2; // differs from the caller's setting, so a leak would show
        float[] x = vectors(200);
        long ivf = FaissNative.create(DIM, "IVF4,Flat", FaissNative.L2, 0);
        long flat = FaissNative.create(DIM, "Flat", FaissNative.L2, 0);
        long rebuilt = 0;
        try {
            FaissNative.train(ivf, 200, x, other);
            assertThat(FaissNative.maxThreads()).as("after train").isEqualTo(before);
            FaissNative.add(flat, x, labels(200), other);
            assertThat(FaissNative.maxThreads()).as("after add").isEqualTo(before);
            assertThat(nearest(flat, Arrays.copyOfRange(x, 5 * DIM, 6 * DIM))).isEqualTo(5);
            assertThat(FaissNative.maxThreads()).as("after search").isEqualTo(before);
            rebuilt = FaissNative.rebuild(flat, new long[] {1, 5, 9}, other);
            assertThat(FaissNative.maxThreads()).as("after rebuild").isEqualTo(before);
            assertThat(FaissNative.count(rebuilt)).isEqualTo(3);
        } finally {
            FaissNative.destroy(ivf);
            FaissNative.destroy(flat);
            if (rebuilt != 0) {
                FaissNative.destroy(rebuilt);
            }
        }
    }

    @Test
    void failedOmpWorkStillRestoresTheSetting() {
        int before = FaissNative.maxThreads();
        long ivf = FaissNative.create(DIM, "IVF4,Flat", FaissNative.L2, 0);
        try {
            assertThatThrownBy(() -> FaissNative.add(ivf, vectors(2), labels(2), before == 2 ? 3 : 2))
                    .isInstanceOf(FaissNativeException.class).hasMessageContaining("not trained");
            assertThat(FaissNative.maxThreads()).isEqualTo(before);
        } finally {
            FaissNative.destroy(ivf);
        }
    }

    /** Reads the file several times: each read must throw, and no handle may be left alive. */
    private static void expectRefused(Path file, String factory, String... messageParts) {
        long before = FaissNative.liveHandles();
        for (int i = 0; i < REPEATS; i++) {
            var thrown = assertThatThrownBy(() -> FaissNative.read(file, factory))
                    .as(file.getFileName().toString()).isInstanceOf(FaissNativeException.class);
            for (String part : messageParts) {
                thrown.hasMessageContaining(part);
            }
        }
        assertThat(FaissNative.liveHandles()).as("live handles after reading " + file.getFileName()).isEqualTo(before);
    }

    /** Creates, fills and searches an index: a process with a damaged heap tends to fail here. */
    private void assertProcessHealthy() {
        long before = FaissNative.liveHandles();
        float[] x = vectors(100);
        long h = FaissNative.create(DIM, "Flat", FaissNative.L2, 0);
        try {
            FaissNative.add(h, x, labels(100), 1);
            assertThat(nearest(h, Arrays.copyOfRange(x, 17 * DIM, 18 * DIM))).isEqualTo(17);
        } finally {
            FaissNative.destroy(h);
        }
        assertThat(FaissNative.liveHandles()).isEqualTo(before);
    }

    private static long nearest(long handle, float[] query) {
        float[] distances = new float[3];
        long[] found = new long[3];
        assertThat(FaissNative.search(handle, query, 3, null, 0, 0, 0, distances, found)).isEqualTo(3);
        return found[0];
    }

    /** A filled index (inner product, trained when it needs it) as FAISS writes it. */
    private byte[] indexBytes(String factory, int n) throws IOException {
        float[] x = vectors(n);
        long h = FaissNative.create(DIM, factory, FaissNative.INNER_PRODUCT, 0);
        try {
            if (!FaissNative.isTrained(h)) {
                FaissNative.train(h, n, x, 1);
            }
            FaissNative.add(h, x, labels(n), 1);
            Path file = dir.resolve("valid-" + factory.replace(',', '_') + ".faiss");
            FaissNative.write(h, file);
            return Files.readAllBytes(file);
        } finally {
            FaissNative.destroy(h);
        }
    }

    /** Puts the header of an empty IndexIDMap2 before the index and an empty id map after it. */
    private static byte[] wrapInIdMap2(byte[] index) {
        ByteBuffer out = ByteBuffer.allocate(IDMAP2_HEADER + index.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put("IxM2".getBytes(StandardCharsets.US_ASCII)).putInt(DIM).putLong(0).putLong(1 << 20).putLong(1 << 20)
                .put((byte) 1).putInt(0);
        out.put(index).putLong(0);
        return out.array();
    }

    private static String fourcc(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.US_ASCII);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name + ".faiss"), bytes);
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private float[] vectors(int n) {
        float[] x = new float[n * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static long[] labels(int n) {
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
        }
        return labels;
    }
}
