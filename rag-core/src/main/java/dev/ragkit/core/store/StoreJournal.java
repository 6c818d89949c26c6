package dev.ragkit.core.store;

import dev.ragkit.core.RagBackendException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The write-ahead journal of one generation of a {@link StoreDirectory}: every write made since that
 * generation's snapshot, appended and forced to disk before the store applies it, so a write that
 * returned survives a crash.
 *
 * <p>A file is a header (magic, format, generation, checksum) followed by records
 * {@code mark, length, crc32c(length), crc32c(payload), payload}. Reading tells two endings apart:
 * <ul>
 *   <li>a <em>torn tail</em>, what a crash during an append leaves: the last record is incomplete (or
 *       ends in zeros, as a file system may leave after a power cut) and nothing valid follows it. Its
 *       write never returned, so it is ignored; the file is cut back to the last whole record just
 *       before the next append, never on open;</li>
 *   <li><em>damage</em>: a bad record followed by a valid one, or a complete last record that fails its
 *       checksum. Cutting there would drop writes that returned, so reading fails with a
 *       {@link StoreDamagedException} naming the file and the byte offset.</li>
 * </ul>
 * The mark and the length's own checksum let a reader find valid records after a damaged one, and
 * keep a flipped bit in a length from passing as a torn tail.
 */
final class StoreJournal implements AutoCloseable {
    private static final int MAGIC = 0x524B4A32; // "RKJ2"
    /** Starts every record; 0xF0 0x9F then 0x52 cannot occur in UTF-8 text. */
    private static final int RECORD_MARK = 0xF09F524A;
    static final int HEADER_BYTES = 20;
    private static final int RECORD_HEADER_BYTES = 16;
    /** A power cut may leave a file extended with zeros: that many at the very end mark a torn tail. */
    private static final int ZERO_TAIL_BYTES = 8;
    private static final int SCAN_BLOCK = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private long end;
    private boolean tailToCut;

    /** The whole records of a journal, and where the last one ends. */
    record Contents(List<byte[]> records, long validBytes, long fileBytes) {
        boolean hasTornTail() {
            return validBytes < fileBytes;
        }
    }

    private StoreJournal(Path file, FileChannel channel, long end, boolean tailToCut) {
        this.file = file;
        this.channel = channel;
        this.end = end;
        this.tailToCut = tailToCut;
    }

    /** The header of a new, empty journal of {@code generation}. */
    static byte[] header(long generation) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(StoreDirectory.FORMAT_VERSION).putLong(generation);
        header.putInt(crc(header.array(), 0, 16));
        return header.array();
    }

    /**
     * Reads every record of the journal of {@code generation}. Writes nothing.
     *
     * @throws StoreDamagedException when the header is wrong or the journal is damaged (see the class
     *     comment); the message names the file and the offset
     * @throws IOException when the file cannot be read (e.g. it is missing)
     */
    static Contents read(Path file, long generation) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new StoreDamagedException(file, "has " + size + " bytes, fewer than a journal header; "
                        + recovery(), null);
            }
            ByteBuffer header = readFully(ch, 0, HEADER_BYTES);
            int magic = header.getInt(0);
            int format = header.getInt(4);
            long fileGeneration = header.getLong(8);
            if (magic != MAGIC || header.getInt(16) != crc(header.array(), 0, 16)) {
                throw new StoreDamagedException(file, "does not start with a valid journal header; " + recovery(), null);
            }
            if (format != StoreDirectory.FORMAT_VERSION || fileGeneration != generation) {
                throw new StoreDamagedException(file, "is the journal of generation " + fileGeneration + " (format "
                        + format + ") but the manifest expects generation " + generation + " (format "
                        + StoreDirectory.FORMAT_VERSION + "); " + recovery(), null);
            }
            List<byte[]> records = new ArrayList<>();
            long offset = HEADER_BYTES;
            while (offset < size) {
                Record r = readRecord(ch, offset, size);
                if (r.payload != null) {
                    records.add(r.payload);
                    offset += RECORD_HEADER_BYTES + r.payload.length;
                    continue;
                }
                long next = nextValidRecord(ch, offset + 1, size);
                if (next >= 0) {
                    throw new StoreDamagedException(file, "has a damaged record at byte " + offset + " (" + r.problem
                            + ") followed by valid records from byte " + next + "; " + records.size()
                            + " records before it are intact. Nothing was changed. " + recovery(), null);
                }
                if (!r.incomplete && !endsInZeros(ch, size)) {
                    throw new StoreDamagedException(file, "has a damaged last record at byte " + offset + " ("
                            + r.problem + "); it is complete, so it is damage rather than a write cut short by a"
                            + " crash. Nothing was changed. " + recovery(), null);
                }
                return new Contents(records, offset, size); // a torn tail: its write never returned
            }
            return new Contents(records, offset, size);
        }
    }

    private static String recovery() {
        return "To recover, restore the store directory from a backup, or re-ingest into a new directory;"
                + " to keep only the last snapshot (losing the writes made after it), replace the journal by"
                + " an empty one of the same generation with a backup of the damaged file kept aside";
    }

    /** A record read at an offset: its payload, or why there is none. */
    private record Record(byte[] payload, String problem, boolean incomplete) {
    }

    private static Record readRecord(FileChannel ch, long offset, long size) throws IOException {
        if (size - offset < RECORD_HEADER_BYTES) {
            return new Record(null, "a record header cut short", true);
        }
        ByteBuffer h = readFully(ch, offset, RECORD_HEADER_BYTES);
        if (h.getInt(0) != RECORD_MARK) {
            return new Record(null, "no record mark", false);
        }
        int length = h.getInt(4);
        if (h.getInt(8) != crc(h.array(), 4, 4) || length < 1) {
            return new Record(null, "a damaged record length", false);
        }
        if (length > size - offset - RECORD_HEADER_BYTES) {
            return new Record(null, "a record of " + length + " bytes cut short", true);
        }
        ByteBuffer payload = readFully(ch, offset + RECORD_HEADER_BYTES, length);
        if (h.getInt(12) != crc(payload.array(), 0, length)) {
            return new Record(null, "a record that fails its checksum", false);
        }
        return new Record(payload.array(), null, false);
    }

    /** The offset of the first valid record at or after {@code from}, or -1. */
    private static long nextValidRecord(FileChannel ch, long from, long size) throws IOException {
        long blockStart = from;
        while (blockStart + 4 <= size) {
            int length = (int) Math.min(SCAN_BLOCK, size - blockStart);
            ByteBuffer block = readFully(ch, blockStart, length);
            for (int i = 0; i + 4 <= length; i++) {
                if (block.getInt(i) == RECORD_MARK && readRecord(ch, blockStart + i, size).payload != null) {
                    return blockStart + i;
                }
            }
            blockStart += length - 3; // overlap so a mark across two blocks is seen
            if (length < SCAN_BLOCK) {
                break;
            }
        }
        return -1;
    }

    private static boolean endsInZeros(FileChannel ch, long size) throws IOException {
        if (size < HEADER_BYTES + ZERO_TAIL_BYTES) {
            return false;
        }
        ByteBuffer tail = readFully(ch, size - ZERO_TAIL_BYTES, ZERO_TAIL_BYTES);
        for (byte b : tail.array()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens the journal for appending after {@code contents}' last whole record. A torn tail is cut
     * just before the first append, so an open that never writes changes nothing.
     */
    static StoreJournal openForAppend(Path file, Contents contents) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        return new StoreJournal(file, channel, contents.validBytes(), contents.hasTornTail());
    }

    /** Appends one record and forces it to disk: the write is durable when this returns. */
    void append(byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
        record.putInt(RECORD_MARK).putInt(payload.length);
        record.putInt(crc(record.array(), 4, 4)).putInt(crc(payload, 0, payload.length)).put(payload).flip();
        try {
            if (tailToCut) {
                channel.truncate(end); // the torn tail of a crash: a write that never returned
                tailToCut = false;
            }
            long position = end;
            try {
                while (record.hasRemaining()) {
                    position += channel.write(record, position);
                }
                channel.force(false);
            } catch (IOException e) {
                // Leave no partial record behind a failed append: the write is reported as failed.
                channel.truncate(end);
                throw e;
            }
            end = position;
        } catch (IOException e) {
            throw RagBackendException.permanent("store", "cannot append to the journal " + file
                    + "; nothing was written: " + e, e);
        }
    }

    /** Bytes of the journal, header included. */
    long bytes() {
        return end;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // every record was forced when appended
        }
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        buffer.flip();
        return buffer;
    }
}
