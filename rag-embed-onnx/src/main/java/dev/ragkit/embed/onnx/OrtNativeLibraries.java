package dev.ragkit.embed.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies ONNX Runtime's native libraries out of its jar once, into a cache directory, and points ONNX
 * Runtime at them through its documented system property {@code onnxruntime.native.path}, so that it
 * no longer copies them into a new {@code onnxruntime-java*} folder of the temporary directory on
 * every start (a folder ONNX Runtime 1.20 leaves behind, emptied, at every exit).
 *
 * <p>The directory is {@code <root>/<ONNX Runtime version>-<os>-<arch>}, e.g.
 * {@code ~/.cache/ragkit/onnxruntime/1.20.0-linux-x64}. A file there is used when its size and CRC-32
 * match the jar's entry and replaced otherwise; copies are written under a temporary name and renamed,
 * so concurrent JVMs never load a partial file. Nothing is done when the host set
 * {@code onnxruntime.native.path} or a per-library {@code onnxruntime.native.<library>.path} or
 * {@code .skip} property, or when the class path has no library for this platform.
 */
final class OrtNativeLibraries {
    private static final Logger LOG = LoggerFactory.getLogger(OrtNativeLibraries.class);

    /** ONNX Runtime's property: the directory holding all its native libraries. */
    static final String NATIVE_PATH = "onnxruntime.native.path";
    /** The libraries ONNX Runtime loads itself, in its naming. */
    static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    /**
     * Provider libraries that GPU builds ship; the main library loads them from its own folder, so
     * they are copied next to it when present.
     */
    static final List<String> PROVIDERS = List.of("onnxruntime_providers_shared", "onnxruntime_providers_cuda",
            "onnxruntime_providers_rocm", "onnxruntime_providers_dnnl", "onnxruntime_providers_openvino",
            "onnxruntime_providers_tensorrt");

    private OrtNativeLibraries() {
    }

    /**
     * Prepares {@code root/<version>-<os-arch>} and sets {@code onnxruntime.native.path} to it, unless
     * the host chose where the libraries come from; returns the directory set, if any. Failures are
     * logged as a warning and leave ONNX Runtime's own behaviour.
     */
    static synchronized Optional<Path> useCacheDirectory(Path root) {
        Optional<String> hostChoice = hostSetting(System::getProperty);
        if (hostChoice.isPresent()) {
            LOG.debug("ONNX Runtime's native libraries left to the host's system property {}", hostChoice.get());
            return Optional.empty();
        }
        Optional<String> platform = platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        String version = Objects.requireNonNullElse(OrtEnvironment.class.getPackage().getImplementationVersion(),
                "unversioned");
        Path directory = root.resolve(version + "-" + platform.get());
        try {
            Optional<Path> installed = install(directory, platform.get(), OrtEnvironment.class.getClassLoader());
            installed.ifPresent(d -> System.setProperty(NATIVE_PATH, d.toString()));
            return installed;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot put ONNX Runtime's native libraries in {} ({}); ONNX Runtime copies them to the "
                    + "temporary directory instead. Set rag.embedder.onnx.cache-dir to a writable folder.",
                    directory, e.toString());
            return Optional.empty();
        }
    }

    /** The system property through which the host chose ONNX Runtime's native libraries, if any. */
    static Optional<String> hostSetting(Function<String, String> properties) {
        if (properties.apply(NATIVE_PATH) != null) {
            return Optional.of(NATIVE_PATH);
        }
        for (String library : LIBRARIES) {
            for (String suffix : List.of(".path", ".skip")) {
                String key = "onnxruntime.native." + library + suffix;
                if (properties.apply(key) != null) {
                    return Optional.of(key);
                }
            }
        }
        return Optional.empty();
    }

    /** ONNX Runtime's name for this platform's resource folder ({@code linux-x64}, {@code osx-aarch64}...). */
    static Optional<String> platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ENGLISH);
        String arch = osArch.toLowerCase(Locale.ENGLISH);
        String detectedOs = os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
        String detectedArch = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
                : arch.startsWith("aarch64") ? "aarch64" : arch.startsWith("ppc64") ? "ppc64" : null;
        return detectedOs == null || detectedArch == null ? Optional.empty()
                : Optional.of(detectedOs + "-" + detectedArch);
    }

    /** The file name ONNX Runtime gives a library on this platform ({@code libonnxruntime.so}...). */
    static String fileName(String library) {
        return System.mapLibraryName(library).replace("jnilib", "dylib");
    }

    /**
     * Copies into {@code directory} every library {@code loader} has for {@code platform} and that the
     * directory lacks or holds in another version; empty when the two main libraries are not there.
     */
    static Optional<Path> install(Path directory, String platform, ClassLoader loader) throws IOException {
        for (String library : LIBRARIES) {
            if (loader.getResource(resourceName(platform, library)) == null) {
                return Optional.empty();
            }
        }
        Files.createDirectories(directory);
        for (List<String> group : List.of(LIBRARIES, PROVIDERS)) {
            for (String library : group) {
                URL resource = loader.getResource(resourceName(platform, library));
                if (resource != null) {
                    copyUnlessPresent(resource, directory.resolve(fileName(library)));
                }
            }
        }
        return Optional.of(directory);
    }

    private static String resourceName(String platform, String library) {
        return "ai/onnxruntime/native/" + platform + "/" + fileName(library);
    }

    /** Size and CRC-32 of a resource; the CRC is -1 when the resource is not a jar entry. */
    private record Expected(long size, long crc) {
    }

    /** Copies {@code resource} to {@code target} unless it is there already; true when it copied. */
    static boolean copyUnlessPresent(URL resource, Path target) throws IOException {
        Expected expected = expected(resource);
        if (Files.isRegularFile(target) && matches(target, expected)) {
            return false;
        }
        Path part = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        try {
            CRC32 crc = new CRC32();
            URLConnection connection = resource.openConnection();
            connection.setUseCaches(false);
            try (InputStream in = new CheckedInputStream(connection.getInputStream(), crc)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if ((expected.size() >= 0 && Files.size(part) != expected.size())
                    || (expected.crc() >= 0 && crc.getValue() != expected.crc())) {
                throw new IOException("the copy of " + resource + " differs from the original");
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // Another JVM may have put the same file there first (Windows does not replace on rename).
                if (!(Files.isRegularFile(target) && matches(target, expected))) {
                    throw e;
                }
            }
            LOG.debug("Copied {} to {}", resource, target);
            return true;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static Expected expected(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false);
        if (connection instanceof JarURLConnection jar) {
            try (JarFile file = jar.getJarFile()) {
                JarEntry entry = file.getJarEntry(jar.getEntryName());
                return new Expected(entry.getSize(), entry.getCrc());
            }
        }
        long size = connection.getContentLengthLong();
        connection.getInputStream().close();
        return new Expected(size, -1);
    }

    private static boolean matches(Path file, Expected expected) throws IOException {
        if (expected.size() >= 0 && Files.size(file) != expected.size()) {
            return false;
        }
        if (expected.crc() < 0) {
            return expected.size() >= 0;
        }
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return crc.getValue() == expected.crc();
    }
}
