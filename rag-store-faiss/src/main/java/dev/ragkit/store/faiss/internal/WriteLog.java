package dev.ragkit.store.faiss.internal;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.store.ChunkCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The write-ahead journal of a persistent FAISS store: every write since the last snapshot, appended
 * and forced to disk before the write is applied, so that a write which returned survives a crash.
 * Each record is {@code length, crc32, payload}; reading stops at the first incomplete or damaged
 * record (the tail a crash can leave) and the file is cut back to the last whole record.
 */
public final class WriteLog implements AutoCloseable {
    private static final byte UPSERT = 1;
    private static final byte DELETE = 2;
    private static final byte TRAIN = 3;
    private static final int MAX_RECORD = 1 << 30;

    private final Path file;
    private final FileChannel channel;

    /** One logged write. */
    public sealed interface Op permits Upsert, Delete, Train {
    }

    /** Chunks with their vectors as stored (already normalised for cosine). */
    public record Upsert(List<Chunk> chunks, List<float[]> vectors) implements Op {
    }

    /** Ids removed. */
    public record Delete(List<String> ids) implements Op {
    }

    /** An explicit training sample. */
    public record Train(List<float[]> vectors) implements Op {
    }

    /** The whole records of a journal and the byte length they span. */
    public record Contents(List<Op> ops, long validBytes) {
    }

    private WriteLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Reads {@code file} (absent: empty), stopping at the first incomplete or damaged record. */
    public static Contents read(Path file) {
        List<Op> ops = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Contents(ops, 0);
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            long size = Files.size(file);
            long offset = 0;
            while (size - offset >= 8) {
                int length = in.readInt();
                int crc = in.readInt();
                if (length <= 0 || length > MAX_RECORD || size - offset - 8 < length) {
                    break;
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                CRC32 check = new CRC32();
                check.update(payload);
                if ((int) check.getValue() != crc) {
                    break;
                }
                ops.add(decode(payload));
                offset += 8 + length;
            }
            return new Contents(ops, offset);
        } catch (IOException e) {
            throw RagBackendException.permanent("faiss", "cannot read the journal " + file + ": " + e, e);
        }
    }

    /** Opens {@code file} for appending after its first {@code validBytes} bytes, cutting off the rest. */
    public static WriteLog open(Path file, long validBytes) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(validBytes);
            channel.position(validBytes);
            return new WriteLog(file, channel);
        } catch (IOException e) {
            throw RagBackendException.permanent("faiss", "cannot open the journal " + file + ": " + e, e);
        }
    }

    /** Appends one record and forces it to disk; the write is durable when this returns. */
    public void append(Op op) {
        byte[] payload = encode(op);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer buffer = ByteBuffer.allocate(8 + payload.length);
        buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try {
            long start = channel.position();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            } catch (IOException e) {
                // Leave no partial record behind a failed append: the write is reported as failed.
                channel.truncate(start);
                channel.position(start);
                throw e;
            }
        } catch (IOException e) {
            throw RagBackendException.permanent("faiss", "cannot append to the journal " + file
                    + "; nothing was written: " + e, e);
        }
    }

    /** Closes the file; every record was already forced to disk. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // every record was forced when appended
        }
    }

    private static byte[] encode(Op op) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            if (op instanceof Upsert u) {
                out.writeByte(UPSERT);
                out.writeInt(u.chunks().size());
                for (int i = 0; i < u.chunks().size(); i++) {
                    ChunkCodec.writeChunk(out, u.chunks().get(i));
                    writeVector(out, u.vectors().get(i));
                }
            } else if (op instanceof Delete d) {
                out.writeByte(DELETE);
                out.writeInt(d.ids().size());
                for (String id : d.ids()) {
                    ChunkCodec.writeString(out, id);
                }
            } else if (op instanceof Train t) {
                out.writeByte(TRAIN);
                out.writeInt(t.vectors().size());
                for (float[] v : t.vectors()) {
                    writeVector(out, v);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static Op decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte type = in.readByte();
        int n = in.readInt();
        switch (type) {
            case UPSERT: {
                List<Chunk> chunks = new ArrayList<>(n);
                List<float[]> vectors = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    chunks.add(ChunkCodec.readChunk(in));
                    vectors.add(readVector(in));
                }
                return new Upsert(chunks, vectors);
            }
            case DELETE: {
                List<String> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(ChunkCodec.readString(in));
                }
                return new Delete(ids);
            }
            case TRAIN: {
                List<float[]> vectors = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    vectors.add(readVector(in));
                }
                return new Train(vectors);
            }
            default:
                throw new IOException("unknown journal record type " + type);
        }
    }

    private static void writeVector(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readVector(DataInputStream in) throws IOException {
        int d = in.readInt();
        if (d < 0 || d > (1 << 20)) {
            throw new IOException("corrupt vector length " + d);
        }
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
