package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of folders nested deeper than the system lets a path name: {@code <top>/level/level/...}
 * with a text file at the bottom. Every system call takes a whole path, which may not be longer
 * than PATH_MAX (4,096 bytes on Linux), so the chain is built through symbolic links ("hops") kept
 * outside the tree: each points a few hundred levels further down, relative to the previous one, so
 * that no path handed to the system is long. It is deleted the same way, bottom hop first.
 */
public final class DeepFolder implements AutoCloseable {
    private static final String LEVEL = "level";
    private static final int LEVELS_PER_HOP = 300;

    private final Path top;
    private final int depth;
    private final List<Path> hops = new ArrayList<>();

    /**
     * Creates {@code top} (a new folder) with {@code depth} nested folders below it and a file
     * {@code bottom.txt} in the deepest one; the hops go in {@code links}, a folder outside {@code top}.
     *
     * @param shallowFile written ten levels down, within reach of a path
     */
    public DeepFolder(Path top, Path links, int depth, String shallowFile) throws IOException {
        this.top = top;
        this.depth = depth;
        Files.createDirectories(links);
        Files.createDirectories(top);
        hops.add(Files.createSymbolicLink(links.resolve("hop0"), top.toAbsolutePath()));
        Path current = hops.get(0);
        int sinceHop = 0;
        for (int level = 1; level <= depth; level++) {
            current = Files.createDirectory(current.resolve(LEVEL));
            if (level == 10) {
                Files.writeString(current.resolve("shallow.txt"), shallowFile);
            }
            if (++sinceHop == LEVELS_PER_HOP) {
                Path hop = links.resolve("hop" + hops.size());
                // Relative to the folder of the links: "hop<n-1>/level/level/...".
                hops.add(Files.createSymbolicLink(hop, links.relativize(current)));
                current = hop;
                sinceHop = 0;
            }
        }
        Files.writeString(current.resolve("bottom.txt"), "Out of reach.");
    }

    /** The path of the deepest folder spelt out from the top, as a walk of the tree meets it. */
    public Path deepest() {
        Path path = top;
        for (int level = 0; level < depth; level++) {
            path = path.resolve(LEVEL);
        }
        return path;
    }

    /** Fails unless the system refuses the deepest folder's path: else the tree would prove nothing. */
    public void assertTheSystemRefusesItsPath() {
        assertThatThrownBy(() -> Files.readAttributes(deepest(), BasicFileAttributes.class))
                .as("a path of %d characters should be refused by the system", deepest().toString().length())
                .isInstanceOf(FileSystemException.class);
    }

    /** Deletes the tree below {@code top}, bottom hop first so that every path stays short, then the hops. */
    @Override
    public void close() throws IOException {
        for (int i = hops.size() - 1; i >= 0; i--) {
            // "hop/." names the folder the link points to, so the walk starts there instead of at the link.
            Path start = hops.get(i).resolve(".");
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (!dir.equals(start)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        for (Path hop : hops) {
            Files.delete(hop);
        }
    }
}
