package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying ONNX Runtime's libraries into the cache, on a fake ONNX Runtime jar. */
class OrtNativeLibrariesTest {
    private static final String PLATFORM = "linux-x64";

    /** A jar holding {@code files} (library name to content) as ONNX Runtime lays them out. */
    private static URLClassLoader fakeOnnxRuntimeJar(Path jar, Map<String, String> files) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new JarEntry("ai/onnxruntime/native/" + PLATFORM + "/"
                        + OrtNativeLibraries.fileName(file.getKey())));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    @Test
    void copiesOnceThenReusesAndReplacesWhatDiffers(@TempDir Path dir) throws IOException {
        Map<String, String> files = Map.of("onnxruntime", "main library", "onnxruntime4j_jni", "jni library",
                "onnxruntime_providers_shared", "provider");
        Path cache = dir.resolve("cache/1.20.0-" + PLATFORM);
        try (URLClassLoader loader = fakeOnnxRuntimeJar(dir.resolve("ort.jar"), files)) {
            assertThat(OrtNativeLibraries.install(cache, PLATFORM, loader)).contains(cache);
            Path main = cache.resolve(OrtNativeLibraries.fileName("onnxruntime"));
            assertThat(main).hasContent("main library");
            assertThat(cache.resolve(OrtNativeLibraries.fileName("onnxruntime4j_jni"))).hasContent("jni library");
            assertThat(cache.resolve(OrtNativeLibraries.fileName("onnxruntime_providers_shared"))).hasContent("provider");
            assertThat(cache.resolve(OrtNativeLibraries.fileName("onnxruntime_providers_cuda"))).doesNotExist();

            FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
            Files.setLastModifiedTime(main, marked);
            OrtNativeLibraries.install(cache, PLATFORM, loader);
            assertThat(Files.getLastModifiedTime(main)).as("a matching copy is kept").isEqualTo(marked);

            // Same size, other bytes (another build of the same version): the CRC tells them apart.
            Files.writeString(main, "main librarx");
            OrtNativeLibraries.install(cache, PLATFORM, loader);
            assertThat(main).hasContent("main library");
            try (Stream<Path> list = Files.list(cache)) {
                assertThat(list.map(p -> p.getFileName().toString())).as("no partial copies left")
                        .noneMatch(name -> name.endsWith(".part"));
            }
        }
    }

    @Test
    void doesNothingWithoutTheLibrariesForThisPlatform(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = fakeOnnxRuntimeJar(dir.resolve("ort.jar"), Map.of("onnxruntime", "main only"))) {
            assertThat(OrtNativeLibraries.install(cache, PLATFORM, loader)).isEmpty();
        }
        assertThat(cache).doesNotExist();
    }

    @Test
    void hostSettingsAreRecognised() {
        Map<String, String> properties = new HashMap<>();
        assertThat(OrtNativeLibraries.hostSetting(properties::get)).isEmpty();
        for (String key : new String[] {"onnxruntime.native.path", "onnxruntime.native.onnxruntime.path",
                "onnxruntime.native.onnxruntime4j_jni.skip"}) {
            properties.clear();
            properties.put(key, "x");
            assertThat(OrtNativeLibraries.hostSetting(properties::get)).contains(key);
        }
    }

    @Test
    void platformNamesAreOnnxRuntimes() {
        assertThat(OrtNativeLibraries.platform("Linux", "amd64")).contains("linux-x64");
        assertThat(OrtNativeLibraries.platform("Linux", "aarch64")).contains("linux-aarch64");
        assertThat(OrtNativeLibraries.platform("Mac OS X", "aarch64")).contains("osx-aarch64");
        assertThat(OrtNativeLibraries.platform("Windows 11", "amd64")).contains("win-x64");
        assertThat(OrtNativeLibraries.platform("SunOS", "sparcv9")).isEqualTo(Optional.empty());
    }
}
