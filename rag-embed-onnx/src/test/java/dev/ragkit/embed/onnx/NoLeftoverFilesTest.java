package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs an embedder in fresh JVMs, with the temporary directory and the home directory pointed at
 * empty folders, and checks what stays behind: nothing in the temporary directory, only the cache
 * directory in the home, and native libraries copied there once and reused.
 */
class NoLeftoverFilesTest {
    private static final String ORT_LIBRARY = OrtNativeLibraries.fileName("onnxruntime");

    @Test
    void twoRunsLeaveNothingInTheTemporaryDirectoryAndReuseTheCache(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> options = List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home);

        ChildJvm.run(options, e -> true, "embed", "-").requireSuccess();
        assertThat(entries(tmp)).as("temporary directory after run 1").isEmpty();
        Path cache = home.resolve(".cache/ragkit");
        Path ortLibrary = onlyFile(cache.resolve("onnxruntime"), ORT_LIBRARY);
        Path djlLibrary = onlyFile(cache.resolve("djl"), System.mapLibraryName("tokenizers"));
        BasicFileAttributes ortBefore = Files.readAttributes(ortLibrary, BasicFileAttributes.class);
        BasicFileAttributes djlBefore = Files.readAttributes(djlLibrary, BasicFileAttributes.class);

        ChildJvm.run(options, e -> true, "embed", "-").requireSuccess();
        assertThat(entries(tmp)).as("temporary directory after run 2").isEmpty();
        assertThat(filesUnder(home)).as("files under the home directory")
                .allMatch(f -> f.startsWith(cache), "are in " + cache);
        BasicFileAttributes ortAfter = Files.readAttributes(ortLibrary, BasicFileAttributes.class);
        assertThat(ortAfter.fileKey()).as("ONNX Runtime library copied once").isEqualTo(ortBefore.fileKey());
        assertThat(ortAfter.lastModifiedTime()).isEqualTo(ortBefore.lastModifiedTime());
        assertThat(Files.readAttributes(djlLibrary, BasicFileAttributes.class).lastModifiedTime())
                .as("DJL tokenizer library copied once").isEqualTo(djlBefore.lastModifiedTime());
    }

    @Test
    void hostSettingsOfOnnxRuntimeAndDjlWin(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path home = Files.createDirectories(dir.resolve("home"));
        // The host's own choices: ONNX Runtime from a folder it filled, DJL's cache elsewhere.
        Path hostOrt = Files.createDirectories(dir.resolve("host-ort"));
        OrtNativeLibraries.install(hostOrt, OrtNativeLibraries.platform(System.getProperty("os.name"),
                System.getProperty("os.arch")).orElseThrow(), getClass().getClassLoader());
        Path hostDjl = dir.resolve("host-djl");
        Path ragkitCache = dir.resolve("ragkit-cache");

        ChildJvm.run(List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-D" + OrtNativeLibraries.NATIVE_PATH + "=" + hostOrt, "-DDJL_CACHE_DIR=" + hostDjl),
                e -> true, "embed", ragkitCache.toString()).requireSuccess();

        assertThat(ragkitCache.resolve("onnxruntime")).as("Ragkit's ONNX Runtime cache, unused").doesNotExist();
        assertThat(ragkitCache.resolve("djl")).as("Ragkit's DJL cache, unused").doesNotExist();
        onlyFile(hostDjl, System.mapLibraryName("tokenizers"));
        assertThat(entries(tmp)).as("temporary directory").isEmpty();
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** The one file called {@code name} under {@code directory}. */
    private static Path onlyFile(Path directory, String name) throws IOException {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(directory)) {
            found = walk.filter(p -> p.getFileName().toString().equals(name)).toList();
        }
        assertThat(found).as(name + " under " + directory).hasSize(1);
        return found.get(0);
    }
}
