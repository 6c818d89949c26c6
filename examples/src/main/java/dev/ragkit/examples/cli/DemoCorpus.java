package dev.ragkit.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The sample corpus bundled in this module ({@code demo-corpus/} on the class path). */
final class DemoCorpus {
    static final String RESOURCE_DIR = "demo-corpus";

    private DemoCorpus() {
    }

    /**
     * Copies the corpus into {@code target} (created if needed) and returns the files written,
     * relative to {@code target}. Works whether the classes run from a folder or from the jar.
     */
    static List<Path> extractTo(Path target) {
        URI location;
        try {
            location = DemoCorpus.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the examples classes: " + e.getMessage(), e);
        }
        Path codeSource = Path.of(location);
        try {
            if (Files.isDirectory(codeSource)) {
                return copyTree(codeSource.resolve(RESOURCE_DIR), target);
            }
            try (FileSystem jar = FileSystems.newFileSystem(codeSource, (ClassLoader) null)) {
                return copyTree(jar.getPath("/" + RESOURCE_DIR), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the demo corpus to " + target + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> copyTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IllegalStateException("the demo corpus is missing from " + source + "; rebuild the examples module");
        }
        List<Path> written = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                // Resolve part by part: the jar's paths belong to another file system.
                Path relative = Path.of("");
                for (Path part : source.relativize(file)) {
                    relative = relative.resolve(part.toString());
                }
                Path out = target.resolve(relative);
                Files.createDirectories(out.getParent());
                Files.copy(file, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                written.add(relative);
            }
        }
        return written;
    }
}
