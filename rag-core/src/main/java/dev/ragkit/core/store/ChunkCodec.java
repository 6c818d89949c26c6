package dev.ragkit.core.store;

import dev.ragkit.core.model.Chunk;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary form of chunks (and vectors) for stores' files: the memory store's journal and snapshot,
 * the FAISS store's side data, {@link StoreWrite} records. Strings are length-prefixed UTF-8; metadata values are tagged by type.
 * A change here is a file format change: bump the format version of every store that uses it.
 */
public final class ChunkCodec {
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;

    private ChunkCodec() {
    }

    /** Writes a chunk followed by its vector. */
    public static void writeChunk(DataOutput out, Chunk chunk, float[] vector) throws IOException {
        writeChunk(out, chunk);
        writeVector(out, vector);
    }

    /** Writes a length-prefixed vector. */
    public static void writeVector(DataOutput out, float[] vector) throws IOException {
        out.writeInt(vector.length);
        for (float f : vector) {
            out.writeFloat(f);
        }
    }

    /** Reads a vector written by {@link #writeVector}; a negative or huge length is corruption. */
    public static float[] readVector(DataInput in) throws IOException {
        int dimension = in.readInt();
        if (dimension < 0 || dimension > (1 << 20)) {
            throw new IOException("corrupt vector length " + dimension);
        }
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = in.readFloat();
        }
        return vector;
    }

    /** Writes a chunk: document id, index, text, content hash and metadata. */
    public static void writeChunk(DataOutput out, Chunk chunk) throws IOException {
        writeString(out, chunk.documentId());
        out.writeInt(chunk.index());
        writeString(out, chunk.text());
        writeString(out, chunk.contentHash());
        out.writeInt(chunk.metadata().size());
        for (Map.Entry<String, Object> e : chunk.metadata().entrySet()) {
            writeString(out, e.getKey());
            Object v = e.getValue();
            if (v instanceof String s) {
                out.writeByte(STRING);
                writeString(out, s);
            } else if (v instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (v instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else {
                out.writeByte(BOOLEAN);
                out.writeBoolean((Boolean) v);
            }
        }
    }

    record Stored(Chunk chunk, float[] vector) {
    }

    /** Reads a chunk followed by its vector, as {@link #writeChunk(DataOutput, Chunk, float[])} wrote them. */
    static Stored readEmbedded(DataInput in) throws IOException {
        Chunk chunk = readChunk(in);
        return new Stored(chunk, readVector(in));
    }

    /**
     * Reads a chunk as {@link #writeChunk(DataOutput, Chunk)} wrote it.
     *
     * @throws IOException when the input ends early or holds an unknown metadata type
     */
    public static Chunk readChunk(DataInput in) throws IOException {
        String documentId = readString(in);
        int index = in.readInt();
        String text = readString(in);
        String hash = readString(in);
        int entries = in.readInt();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = readString(in);
            byte type = in.readByte();
            Object value = switch (type) {
                case STRING -> readString(in);
                case LONG -> in.readLong();
                case DOUBLE -> in.readDouble();
                case BOOLEAN -> in.readBoolean();
                default -> throw new IOException("unknown metadata type " + type);
            };
            metadata.put(key, value);
        }
        return new Chunk(Chunk.idOf(documentId, index), documentId, index, text, hash, metadata);
    }

    /** Writes a length-prefixed UTF-8 string. */
    public static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads a string written by {@link #writeString}; a negative or huge length is corruption. */
    public static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 28)) {
            throw new IOException("corrupt string length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
