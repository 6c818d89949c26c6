package dev.ragkit.store.faiss.internal;

import dev.ragkit.core.RagConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Loads {@code libragkit_faiss.so}: from the path in system property {@value #PATH_PROPERTY} when set,
 * else from the jar (extracted once into a content-addressed folder under {@code java.io.tmpdir}).
 * The jar may hold two variants: baseline x86-64, and one whose FAISS distance kernels use AVX2 and
 * FMA, chosen only when the CPU has both ({@value #VARIANT_PROPERTY} = {@code auto}, the default,
 * {@code baseline} or {@code avx2}). A failure is remembered and rethrown with the same message on
 * every later call.
 */
public final class NativeLibrary {
    /** System property naming a library file to load instead of the one in the jar. */
    public static final String PATH_PROPERTY = "ragkit.faiss.library";
    /** System property choosing the variant from the jar: {@code auto} (default), {@code baseline}, {@code avx2}. */
    public static final String VARIANT_PROPERTY = "ragkit.faiss.variant";
    /** The run-time packages the library needs besides the JVM. */
    public static final String RUNTIME_PACKAGES = "libopenblas0 libgomp1";

    private static final String PLATFORM = "linux-x86_64";
    private static final String BASELINE = "libragkit_faiss.so";
    private static final String AVX2 = "libragkit_faiss_avx2.so";
    private static final String RESOURCES = "/dev/ragkit/store/faiss/native/" + PLATFORM + "/";

    private static volatile boolean loaded;
    private static volatile String loadedFile;
    private static volatile RagConfigurationException failure;

    private NativeLibrary() {
    }

    /**
     * Loads the library once per class loader.
     *
     * @throws RagConfigurationException naming the platform or the packages to install when it cannot be loaded
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (NativeLibrary.class) {
            if (loaded) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                String override = System.getProperty(PATH_PROPERTY);
                Path file = override != null && !override.isBlank() ? Path.of(override) : extract();
                loadFile(file);
                loadedFile = file.getFileName().toString();
                loaded = true;
            } catch (RagConfigurationException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** The file name of the library loaded, e.g. {@code libragkit_faiss_avx2.so}; null before {@link #load()}. */
    public static String loadedFile() {
        return loadedFile;
    }

    /** Whether /proc/cpuinfo lists both avx2 and fma. */
    static boolean cpuHasAvx2() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    List<String> flags = Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return flags.contains("avx2") && flags.contains("fma");
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown CPU: the baseline library runs everywhere
        }
        return false;
    }

    private static String chooseVariant() {
        String wanted = System.getProperty(VARIANT_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        boolean shipped = NativeLibrary.class.getResource(RESOURCES + AVX2) != null;
        switch (wanted) {
            case "baseline":
                return BASELINE;
            case "avx2":
                if (!shipped) {
                    throw new RagConfigurationException(VARIANT_PROPERTY + " was 'avx2' but this rag-store-faiss jar was"
                            + " built without the AVX2 variant (the FAISS source package was not available at build time)");
                }
                if (!cpuHasAvx2()) {
                    throw new RagConfigurationException(VARIANT_PROPERTY + " was 'avx2' but this CPU lacks AVX2 or FMA;"
                            + " use auto or baseline");
                }
                return AVX2;
            case "auto":
                return shipped && cpuHasAvx2() ? AVX2 : BASELINE;
            default:
                throw new RagConfigurationException(VARIANT_PROPERTY + " was '" + wanted
                        + "' but it must be auto, baseline or avx2");
        }
    }

    /** The platform string of this JVM, e.g. {@code linux-x86_64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String normalisedOs = os.startsWith("linux") ? "linux" : os.replace(' ', '-');
        String normalisedArch = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return normalisedOs + "-" + normalisedArch;
    }

    private static Path extract() {
        if (!PLATFORM.equals(platform())) {
            throw new RagConfigurationException("rag-store-faiss ships a native library for " + PLATFORM
                    + " only, but this JVM runs on " + platform() + "; build one with src/main/native/Makefile "
                    + "and set -D" + PATH_PROPERTY + "=<path>, or use another store");
        }
        String fileName = chooseVariant();
        String resource = RESOURCES + fileName;
        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new RagConfigurationException("the rag-store-faiss jar has no native library at " + resource
                        + "; it was built without the native step (run scripts/setup-faiss.sh, then rebuild)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new RagConfigurationException("cannot read the FAISS native library from the jar: " + e, e);
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ragkit-faiss-" + sha256(bytes).substring(0, 16));
        Path target = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(dir);
            // Several JVMs may extract at once: each writes its own temp file and renames it into place.
            Path temp = Files.createTempFile(dir, fileName, ".tmp");
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new RagConfigurationException("cannot extract the FAISS native library to " + dir + ": " + e, e);
        }
    }

    private static void loadFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RagConfigurationException("the FAISS native library " + file + " does not exist");
        }
        try {
            System.load(file.toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            throw new RagConfigurationException("cannot load the FAISS native library " + file + ": " + e.getMessage()
                    + ". It needs OpenBLAS and OpenMP at run time: install the Debian/Ubuntu packages "
                    + RUNTIME_PACKAGES + " (apt-get install " + RUNTIME_PACKAGES + ")", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
