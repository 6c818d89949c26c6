package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the native library, each case in a fresh JVM (a JVM loads a library once): from the jar's
 * resources, and failing with a message that names the run-time packages.
 */
class NativeLibraryLoadTest {
    @TempDir
    Path dir;

    private String runProbe(String... jvmOptions) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>();
        command.add(java.toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                LoadProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("probe exit code; output:\n%s", out).isZero();
        return out;
    }

    @Test
    void theLibraryIsExtractedFromTheClassPathAndLoaded() throws Exception {
        String out = runProbe("-D" + NativeLibrary.VARIANT_PROPERTY + "=baseline");
        assertThat(out).contains("loaded FaissVectorStore[index=Flat").contains("from libragkit_faiss.so")
                .doesNotContain("attempt");
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("extracted into java.io.tmpdir")
                    .contains("libragkit_faiss.so");
        }
    }

    @Test
    void theAvx2VariantGivesTheSameResultsAsTheBaseline() throws Exception {
        boolean shipped = NativeLibrary.class.getResource(
                "/dev/ragkit/store/faiss/native/linux-x86_64/libragkit_faiss_avx2.so") != null;
        String auto = runProbe();
        if (!shipped || !cpuHasAvx2()) {
            // Nothing to compare: auto must then have chosen the baseline library.
            assertThat(auto).contains("from libragkit_faiss.so");
        }
        assumeTrue(shipped, "libragkit_faiss_avx2.so was not built (the build printed why, see "
                + "src/main/native/Makefile): the AVX2 variant is not compared with the baseline");
        assumeTrue(cpuHasAvx2(), "this CPU lacks AVX2 or FMA: the AVX2 variant cannot run here");
        assertThat(auto).as("auto on an AVX2 CPU").contains("from libragkit_faiss_avx2.so");
        String avx2 = runProbe("-D" + NativeLibrary.VARIANT_PROPERTY + "=avx2");
        String baseline = runProbe("-D" + NativeLibrary.VARIANT_PROPERTY + "=baseline");
        List<String> fast = results(avx2);
        List<String> slow = results(baseline);
        assertThat(fast).hasSize(10).hasSameSizeAs(slow);
        for (int i = 0; i < fast.size(); i++) {
            String[] a = fast.get(i).split(" ");
            String[] b = slow.get(i).split(" ");
            assertThat(a.length).isEqualTo(b.length);
            for (int j = 3; j < a.length; j++) {
                String[] ha = a[j].split("=");
                String[] hb = b[j].split("=");
                assertThat(ha[0]).as("hit %d of %s", j - 3, fast.get(i)).isEqualTo(hb[0]);
                assertThat(Double.parseDouble(ha[1])).isCloseTo(Double.parseDouble(hb[1]), within(1e-5));
            }
        }
    }

    @Test
    void anUnknownVariantIsRefused() throws Exception {
        String out = runProbe("-D" + NativeLibrary.VARIANT_PROPERTY + "=sse9");
        assertThat(out).contains("ragkit.faiss.variant was 'sse9' but it must be auto, baseline or avx2");
    }

    private static List<String> results(String out) {
        return out.lines().filter(l -> l.startsWith("result ")).toList();
    }

    private static boolean cpuHasAvx2() throws IOException {
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElse("");
        return flags.contains(" avx2") && flags.contains(" fma");
    }

    @Test
    void aLibraryThatCannotBeLoadedNamesThePackagesToInstall() throws Exception {
        // Not an ELF file: dlopen fails as it does when libopenblas.so.0 or libgomp.so.1 is missing.
        Path broken = Files.writeString(dir.resolve("libragkit_faiss.so"), "not a shared object");
        String out = runProbe("-Dragkit.faiss.library=" + broken);
        assertThat(out).contains("attempt 1: dev.ragkit.core.RagConfigurationException: cannot load the FAISS native library")
                .contains("apt-get install libopenblas0 libgomp1");
        assertThat(out).as("the second attempt gets the same clear error, not a NoClassDefFoundError")
                .contains("attempt 2: dev.ragkit.core.RagConfigurationException: cannot load the FAISS native library");
    }

    @Test
    void aMissingLibraryFileIsNamed() throws Exception {
        String out = runProbe("-Dragkit.faiss.library=" + dir.resolve("nowhere.so"));
        assertThat(out).contains("nowhere.so does not exist");
    }
}
