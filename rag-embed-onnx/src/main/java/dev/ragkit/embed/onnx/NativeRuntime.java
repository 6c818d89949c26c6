package dev.ragkit.embed.onnx;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Gives ONNX Runtime and DJL's tokenizer library one cache directory for the native libraries they
 * copy out of their jars. Left alone, ONNX Runtime copies its library (16 MB) into a new
 * {@code onnxruntime-java*} folder of the temporary directory on every start and leaves the emptied
 * folder behind (it marks the files and the folder for deletion at exit, the folder first, and the JVM
 * deletes them in reverse order, so the folder is still full when its turn comes); DJL copies its
 * tokenizer library (14 MB) to {@code ~/.djl.ai}. Done once per JVM, before either library loads.
 */
final class NativeRuntime {
    private static boolean prepared;

    private NativeRuntime() {
    }

    /**
     * {@code $XDG_CACHE_HOME/ragkit} when that variable holds an absolute path, else
     * {@code ~/.cache/ragkit} (the XDG base directory convention).
     */
    static Path defaultCacheDirectory() {
        return defaultCacheDirectory(System::getenv, System.getProperty("user.home"));
    }

    static Path defaultCacheDirectory(Function<String, String> environment, String userHome) {
        String xdg = environment.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ragkit");
        }
        return Path.of(userHome, ".cache", "ragkit");
    }

    /**
     * Turns DJL's telemetry off and, the first time only, points ONNX Runtime at
     * {@code <cacheDirectory>/onnxruntime} and DJL at {@code <cacheDirectory>/djl}, except where the
     * host set their own properties. The libraries load once per JVM, so later directories are ignored.
     */
    static synchronized void prepare(Path cacheDirectory) {
        DjlSettings.disableTelemetry();
        if (prepared) {
            return;
        }
        prepared = true;
        Path root = cacheDirectory.toAbsolutePath();
        OrtNativeLibraries.useCacheDirectory(root.resolve("onnxruntime"));
        DjlSettings.useCacheDirectory(root.resolve("djl"));
    }
}
