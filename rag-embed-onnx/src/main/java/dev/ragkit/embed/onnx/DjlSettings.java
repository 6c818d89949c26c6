package dev.ragkit.embed.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the DJL tokenizer library (used by LangChain4j's ONNX models and by Ragkit's encoder),
 * each applied only when the host has not chosen a value itself, as an environment variable or a
 * system property (DJL reads both).
 *
 * <p>Telemetry: when it creates a tokenizer, DJL otherwise "calls home": it asks the EC2 metadata
 * address 169.254.169.254 for an instance id and sends a telemetry request, which breaks Ragkit's
 * promise of no network at run time and stalls on machines without a route.
 *
 * <p>Cache: DJL copies its native tokenizer library (14 MB) to {@code ENGINE_CACHE_DIR}, else
 * {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}; Ragkit sets {@code ENGINE_CACHE_DIR} to its own cache
 * directory. (DJL's "Failed to detect GPU count" warning has no such setting: see the README.)
 */
final class DjlSettings {
    private static final Logger LOG = LoggerFactory.getLogger(DjlSettings.class);

    /** DJL's documented opt-out, read as an environment variable or a system property. */
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    /** DJL's documented directory for engine native libraries (the tokenizer library is one). */
    static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";
    /** DJL's documented directory for everything it caches; ENGINE_CACHE_DIR defaults to it. */
    static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

    private DjlSettings() {
    }

    /** Sets {@code OPT_OUT_TRACKING=true} unless the host chose a value itself. */
    static synchronized void disableTelemetry() {
        if (System.getenv(OPT_OUT_TRACKING) == null && System.getProperty(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }

    /**
     * Sets the system property {@code ENGINE_CACHE_DIR} to {@code directory} (created if needed) unless
     * the host set {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR}; returns the directory set, if any.
     * When it cannot be created or written, logs a warning and leaves DJL's default.
     */
    static synchronized Optional<Path> useCacheDirectory(Path directory) {
        Optional<String> hostChoice = hostCacheSetting(System::getenv, System::getProperty);
        if (hostChoice.isPresent()) {
            LOG.debug("DJL cache directory left to the host's {}", hostChoice.get());
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory);
            if (!Files.isWritable(directory)) {
                throw new IOException("not writable");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot use {} for DJL's tokenizer library ({}); DJL uses its default (~/.djl.ai). "
                    + "Set rag.embedder.onnx.cache-dir to a writable folder.", directory, e.toString());
            return Optional.empty();
        }
        System.setProperty(ENGINE_CACHE_DIR, directory.toString());
        return Optional.of(directory);
    }

    /** The setting through which the host chose DJL's cache directory, if any. */
    static Optional<String> hostCacheSetting(Function<String, String> environment, Function<String, String> properties) {
        for (String name : new String[] {ENGINE_CACHE_DIR, DJL_CACHE_DIR}) {
            if (environment.apply(name) != null) {
                return Optional.of("environment variable " + name);
            }
            if (properties.apply(name) != null) {
                return Optional.of("system property " + name);
            }
        }
        return Optional.empty();
    }
}
