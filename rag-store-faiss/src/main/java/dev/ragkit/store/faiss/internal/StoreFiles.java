package dev.ragkit.store.faiss.internal;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.store.ChunkCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The files of a persistent FAISS store in one directory. A snapshot is a generation: the FAISS index
 * ({@code index-<g>.faiss}) and the side data ({@code chunks-<g>.bin}: labels, texts, metadata), each
 * written to a temp file, forced to disk and renamed; then the manifest ({@value #MANIFEST}), which
 * names the generation, is replaced the same way. The manifest rename is the commit point, so a
 * crash at any moment leaves the previous generation intact and readable. Writes made after a
 * generation go to its journal ({@code journal-<g>.log}, see {@link WriteLog}) and are replayed on
 * open. A lock file keeps a second process from writing the same directory.
 */
public final class StoreFiles implements AutoCloseable {
    /** Version of the directory layout and of the side-data format; bumped on any incompatible change. */
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "faiss-store.properties";
    private static final String LOCK = "faiss-store.lock";
    private static final int CHUNKS_MAGIC = 0x52464331; // "RFC1"

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** What the manifest records about the index, checked against the builder's settings on open. */
    public record Settings(int dimension, String index, String metric) {
    }

    /** One stored chunk and its FAISS label. */
    public record Labelled(long label, Chunk chunk) {
    }

    /** A generation read back from disk; {@code indexFile} is handed to FAISS. */
    public record Snapshot(long generation, Settings settings, long nextLabel, List<Labelled> chunks, Path indexFile) {
    }

    /** Writes the FAISS index to a path; the native write, abstracted so this class stays testable. */
    @FunctionalInterface
    public interface IndexWriter {
        void write(Path path);
    }

    private StoreFiles(Path directory, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it when absent) and locks the directory.
     *
     * @throws RagConfigurationException when the directory cannot be created or another store holds it
     */
    public static StoreFiles open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new RagConfigurationException("FAISS store directory " + directory + " cannot be created: " + e, e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return new StoreFiles(directory, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new RagConfigurationException("FAISS store directory " + directory
                    + " is already open in another store (in this or another process); close that one first");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RagConfigurationException("FAISS store directory " + directory + " cannot be locked: " + e, e);
        }
    }

    /** The directory holding the files. */
    public Path directory() {
        return directory;
    }

    /**
     * The last committed generation, or null when the directory holds none yet.
     *
     * @throws RagBackendException when the files are unreadable, from a newer format, or corrupt
     */
    public Snapshot readLatest() {
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) {
            return null;
        }
        try {
            Properties manifest = new Properties();
            manifest.load(new StringReader(Files.readString(manifestFile, StandardCharsets.UTF_8)));
            int format = Integer.parseInt(manifest.getProperty("format", "-1"));
            if (format != FORMAT_VERSION) {
                throw RagBackendException.permanent("faiss", manifestFile + " has format version " + format
                        + " but this rag-store-faiss reads version " + FORMAT_VERSION, null);
            }
            long generation = Long.parseLong(manifest.getProperty("generation"));
            Settings settings = new Settings(Integer.parseInt(manifest.getProperty("dimension")),
                    manifest.getProperty("index"), manifest.getProperty("metric"));
            Path chunksFile = directory.resolve(chunksName(generation));
            Path indexFile = directory.resolve(indexName(generation));
            long expectedCrc = Long.parseLong(manifest.getProperty("chunks.crc32"));
            long indexSize = Long.parseLong(manifest.getProperty("index.bytes"));
            if (Files.size(indexFile) != indexSize) {
                throw corrupt(indexFile, "has " + Files.size(indexFile) + " bytes but the manifest says " + indexSize);
            }
            List<Labelled> chunks = new ArrayList<>();
            long nextLabel;
            CRC32 crc = new CRC32();
            try (InputStream raw = Files.newInputStream(chunksFile);
                 DataInputStream in = new DataInputStream(new BufferedInputStream(new CheckedInputStream(raw, crc)))) {
                if (in.readInt() != CHUNKS_MAGIC || in.readInt() != FORMAT_VERSION) {
                    throw corrupt(chunksFile, "does not start with the side-data header");
                }
                nextLabel = in.readLong();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    long label = in.readLong();
                    chunks.add(new Labelled(label, ChunkCodec.readChunk(in)));
                }
                if (in.read() != -1) {
                    throw corrupt(chunksFile, "has bytes after its last chunk");
                }
            }
            if (crc.getValue() != expectedCrc) {
                throw corrupt(chunksFile, "fails its checksum");
            }
            return new Snapshot(generation, settings, nextLabel, chunks, indexFile);
        } catch (IOException | RuntimeException e) {
            if (e instanceof RagBackendException rbe) {
                throw rbe;
            }
            throw RagBackendException.permanent("faiss", "cannot read the FAISS store in " + directory + ": " + e, e);
        }
    }

    /**
     * Writes generation {@code generation} and commits it; on failure the previous generation stays
     * the current one and the error is thrown.
     */
    public void write(long generation, Settings settings, long nextLabel, List<Labelled> chunks, IndexWriter index) {
        Path indexFile = directory.resolve(indexName(generation));
        Path chunksFile = directory.resolve(chunksName(generation));
        try {
            Path indexTemp = directory.resolve(indexName(generation) + ".tmp");
            Files.deleteIfExists(indexTemp);
            index.write(indexTemp);
            force(indexTemp);
            long indexBytes = Files.size(indexTemp);
            moveAtomically(indexTemp, indexFile);

            Path chunksTemp = directory.resolve(chunksName(generation) + ".tmp");
            CRC32 crc = new CRC32();
            try (OutputStream raw = Files.newOutputStream(chunksTemp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc)))) {
                out.writeInt(CHUNKS_MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.writeLong(nextLabel);
                out.writeInt(chunks.size());
                for (Labelled c : chunks) {
                    out.writeLong(c.label());
                    ChunkCodec.writeChunk(out, c.chunk());
                }
            }
            force(chunksTemp);
            moveAtomically(chunksTemp, chunksFile);

            Properties manifest = new Properties();
            manifest.setProperty("format", Integer.toString(FORMAT_VERSION));
            manifest.setProperty("generation", Long.toString(generation));
            manifest.setProperty("dimension", Integer.toString(settings.dimension()));
            manifest.setProperty("index", settings.index());
            manifest.setProperty("metric", settings.metric());
            manifest.setProperty("count", Integer.toString(chunks.size()));
            manifest.setProperty("chunks.crc32", Long.toString(crc.getValue()));
            manifest.setProperty("index.bytes", Long.toString(indexBytes));
            StringWriter text = new StringWriter();
            manifest.store(text, "rag-store-faiss; the files named by generation are the current data");
            Path manifestTemp = directory.resolve(MANIFEST + ".tmp");
            Files.writeString(manifestTemp, text.toString(), StandardCharsets.UTF_8);
            force(manifestTemp);
            moveAtomically(manifestTemp, directory.resolve(MANIFEST));
            force(directory);
        } catch (IOException | RuntimeException e) {
            throw RagBackendException.permanent("faiss", "cannot write the FAISS store to " + directory
                    + "; the previous snapshot is kept: " + e, e);
        }
        deleteOtherGenerations(generation);
    }

    /** Removes files of generations other than {@code keep} and temp files a crash left behind. */
    public void deleteOtherGenerations(long keep) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean data = name.startsWith("index-") || name.startsWith("chunks-") || name.startsWith("journal-");
                boolean current = name.equals(indexName(keep)) || name.equals(chunksName(keep))
                        || name.equals(journal(keep).getFileName().toString());
                if ((data && !current) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // Leftovers waste space but never change what is read: the manifest names the live files.
        }
    }

    /** Releases the directory lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(lockChannel);
    }

    /** The write-ahead log of the writes made after generation {@code generation}. */
    public Path journal(long generation) {
        return directory.resolve("journal-" + generation + ".log");
    }

    private static String indexName(long generation) {
        return "index-" + generation + ".faiss";
    }

    private static String chunksName(long generation) {
        return "chunks-" + generation + ".bin";
    }

    private static RagBackendException corrupt(Path file, String problem) {
        return RagBackendException.permanent("faiss", file + " " + problem + "; the store directory is damaged", null);
    }

    private static void force(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ
                : StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
