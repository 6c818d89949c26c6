package dev.ragkit.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default cache directory and which host settings of DJL are respected. */
class NativeRuntimeTest {
    @Test
    void defaultCacheDirectoryFollowsXdg() {
        assertThat(NativeRuntime.defaultCacheDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/app")::get, "/home/u"))
                .isEqualTo(Path.of("/var/cache/app/ragkit"));
        assertThat(NativeRuntime.defaultCacheDirectory(Map.<String, String>of()::get, "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/ragkit"));
        // The XDG specification ignores empty and relative values.
        assertThat(NativeRuntime.defaultCacheDirectory(Map.of("XDG_CACHE_HOME", "")::get, "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/ragkit"));
        assertThat(NativeRuntime.defaultCacheDirectory(Map.of("XDG_CACHE_HOME", "cache")::get, "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/ragkit"));
    }

    @Test
    void djlCacheSettingsOfTheHostAreRecognised() {
        Map<String, String> environment = new HashMap<>();
        Map<String, String> properties = new HashMap<>();
        assertThat(DjlSettings.hostCacheSetting(environment::get, properties::get)).isEmpty();
        environment.put("DJL_CACHE_DIR", "/data/djl");
        assertThat(DjlSettings.hostCacheSetting(environment::get, properties::get))
                .contains("environment variable DJL_CACHE_DIR");
        environment.clear();
        properties.put("ENGINE_CACHE_DIR", "/data/engines");
        assertThat(DjlSettings.hostCacheSetting(environment::get, properties::get))
                .contains("system property ENGINE_CACHE_DIR");
    }

    @Test
    void buildingAnEmbedderPointsOnnxRuntimeAndDjlAtTheCache() {
        OnnxEmbedder.builder().build();
        Path cache = NativeRuntime.defaultCacheDirectory().toAbsolutePath();
        if (DjlSettings.hostCacheSetting(System::getenv, p -> null).isEmpty()) {
            assertThat(System.getProperty(DjlSettings.ENGINE_CACHE_DIR)).isEqualTo(cache.resolve("djl").toString());
        }
        assertThat(System.getProperty(OrtNativeLibraries.NATIVE_PATH)).startsWith(cache.resolve("onnxruntime").toString());
    }
}
