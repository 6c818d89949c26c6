package dev.ragkit.core.store;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Durable files of a {@link MemoryVectorStore}: a snapshot plus an append-only journal of the writes
 * made since. Every write is one checksummed journal record, forced to disk before it is applied in
 * memory; a record cut short by a crash fails its checksum and is dropped when the store reopens, so
 * the store reopens at the last complete write. Snapshots are written to a temporary file, forced,
 * and renamed over the old one, so a crash while compacting leaves the previous snapshot intact.
 * A lock file keeps a second process from opening the same directory.
 */
final class StoreJournal implements AutoCloseable {
    static final int MAGIC = 0x524B4D53;          // "RKMS"
    static final int FORMAT_VERSION = 1;
    private static final byte UPSERT = 1;
    private static final byte DELETE = 2;
    private static final String SNAPSHOT = "snapshot.bin";
    private static final String JOURNAL = "journal.bin";
    private static final int HEADER_BYTES = 12;

    private final Path directory;
    private final int dimension;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel journal;

    /** What the directory held when opened. */
    interface Loader {
        void upsert(Chunk chunk, float[] vector);

        void delete(String id);
    }

    private StoreJournal(Path directory, int dimension, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.dimension = dimension;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating when absent) the store files in {@code directory} and replays them into {@code loader}. */
    static StoreJournal open(Path directory, int dimension, Loader loader) {
        try {
            Files.createDirectories(directory);
            FileChannel lockChannel = FileChannel.open(directory.resolve("lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new RagConfigurationException("memory store directory " + directory
                        + " is already open in another store or process; close that one first");
            }
            StoreJournal files = new StoreJournal(directory, dimension, lockChannel, lock);
            try {
                files.load(loader);
            } catch (IOException | RuntimeException e) {
                files.close();
                throw e;
            }
            return files;
        } catch (IOException e) {
            throw RagBackendException.permanent("memory", "cannot open store directory " + directory + ": " + e, e);
        }
    }

    private void load(Loader loader) throws IOException {
        Path snapshot = directory.resolve(SNAPSHOT);
        if (Files.exists(snapshot)) {
            readSnapshot(snapshot, loader);
        }
        Path journalPath = directory.resolve(JOURNAL);
        if (!Files.exists(journalPath)) {
            resetJournal();
            return;
        }
        journal = FileChannel.open(journalPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long validEnd = replayJournal(loader);
        if (validEnd < journal.size()) {
            // A record cut short by a crash: drop it so the next append starts on a clean boundary.
            journal.truncate(validEnd);
            journal.force(true);
        }
        journal.position(validEnd);
    }

    private void readSnapshot(Path snapshot, Loader loader) throws IOException {
        byte[] bytes = Files.readAllBytes(snapshot);
        if (bytes.length < HEADER_BYTES + 12) {
            throw new IOException("snapshot " + snapshot + " is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException("snapshot " + snapshot + " fails its checksum");
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8));
        checkHeader(in, snapshot);
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            ChunkCodec.Stored s = ChunkCodec.readEmbedded(in);
            loader.upsert(s.chunk(), s.vector());
        }
    }

    private void checkHeader(DataInputStream in, Path file) throws IOException {
        int magic = in.readInt();
        int version = in.readInt();
        int fileDimension = in.readInt();
        if (magic != MAGIC) {
            throw new RagConfigurationException(file + " is not a Ragkit memory store file");
        }
        if (version != FORMAT_VERSION) {
            throw new RagConfigurationException(file + " has format version " + version
                    + " but this Ragkit reads version " + FORMAT_VERSION);
        }
        if (fileDimension != dimension) {
            throw new RagConfigurationException("memory store in " + directory + " holds vectors of dimension "
                    + fileDimension + " but the store was opened with dimension " + dimension);
        }
    }

    /** Replays every complete record; returns the offset just past the last one. */
    private long replayJournal(Loader loader) throws IOException {
        InputStream raw = java.nio.channels.Channels.newInputStream(journal.position(0));
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw));
        checkHeader(in, directory.resolve(JOURNAL));
        long offset = HEADER_BYTES;
        while (true) {
            int length;
            long checksum;
            byte[] payload;
            try {
                length = in.readInt();
                checksum = in.readLong();
                // A garbled length in a torn last record must end the replay, not allocate gigabytes.
                if (length <= 0 || length > journal.size() - offset - 12) {
                    return offset;
                }
                payload = new byte[length];
                in.readFully(payload);
            } catch (EOFException e) {
                return offset;
            }
            CRC32 crc = new CRC32();
            crc.update(payload);
            if (crc.getValue() != checksum) {
                return offset;
            }
            apply(payload, loader);
            offset += 12 + length;
        }
    }

    private static void apply(byte[] payload, Loader loader) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte op = in.readByte();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            if (op == UPSERT) {
                ChunkCodec.Stored s = ChunkCodec.readEmbedded(in);
                loader.upsert(s.chunk(), s.vector());
            } else if (op == DELETE) {
                loader.delete(ChunkCodec.readString(in));
            } else {
                throw new IOException("unknown journal operation " + op);
            }
        }
    }

    /** Durably records an upsert of these chunks (vectors already normalised). */
    void appendUpsert(List<Chunk> chunks, List<float[]> vectors) {
        append(out -> {
            try {
                out.writeByte(UPSERT);
                out.writeInt(chunks.size());
                for (int i = 0; i < chunks.size(); i++) {
                    ChunkCodec.writeChunk(out, chunks.get(i), vectors.get(i));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Durably records a delete of these ids. */
    void appendDelete(Collection<String> ids) {
        append(out -> {
            try {
                out.writeByte(DELETE);
                out.writeInt(ids.size());
                for (String id : ids) {
                    ChunkCodec.writeString(out, id);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private void append(Consumer<DataOutputStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.accept(new DataOutputStream(bytes));
        byte[] payload = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(12 + payload.length);
        record.putInt(payload.length).putLong(crc.getValue()).put(payload).flip();
        long before;
        try {
            before = journal.position();
        } catch (IOException e) {
            throw RagBackendException.permanent("memory", "journal unavailable: " + e, e);
        }
        try {
            while (record.hasRemaining()) {
                journal.write(record);
            }
            journal.force(false);
        } catch (IOException e) {
            try {
                // Undo the partial record so the journal stays a sequence of complete writes.
                journal.truncate(before);
                journal.position(before);
            } catch (IOException ignored) {
                // The checksum drops the partial record on the next open anyway.
            }
            throw RagBackendException.retriable("memory", "cannot write journal in " + directory + ": " + e, e);
        }
    }

    long journalBytes() {
        try {
            return journal.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes a snapshot of {@code entries} and empties the journal. */
    void compact(Map<String, ? extends Map.Entry<Chunk, float[]>> entries) {
        try {
            Path temp = directory.resolve(SNAPSHOT + ".tmp");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(dimension);
            out.writeInt(entries.size());
            for (Map.Entry<Chunk, float[]> e : entries.values()) {
                ChunkCodec.writeChunk(out, e.getKey(), e.getValue());
            }
            CRC32 crc = new CRC32();
            byte[] body = bytes.toByteArray();
            crc.update(body);
            out.writeLong(crc.getValue());
            writeDurably(temp, bytes.toByteArray());
            Files.move(temp, directory.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
            resetJournal();
        } catch (IOException e) {
            throw RagBackendException.retriable("memory", "cannot write snapshot in " + directory + ": " + e, e);
        }
    }

    private void resetJournal() throws IOException {
        if (journal != null) {
            journal.close();
        }
        Path temp = directory.resolve(JOURNAL + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(FORMAT_VERSION).putInt(dimension);
        writeDurably(temp, header.array());
        Files.move(temp, directory.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        journal = FileChannel.open(directory.resolve(JOURNAL), StandardOpenOption.READ, StandardOpenOption.WRITE);
        journal.position(journal.size());
    }

    private static void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private void forceDirectory() {
        // Makes the rename itself durable; some file systems refuse to open a directory, which is harmless.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        try {
            if (journal != null) {
                journal.close();
            }
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            throw RagBackendException.permanent("memory", "cannot close store files in " + directory + ": " + e, e);
        }
    }
}
