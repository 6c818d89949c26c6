package dev.ragkit.core.store;

import dev.ragkit.core.model.Chunk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One write of an embedded store, as a {@link StoreJournal} record: the journal holds the writes made
 * since the last snapshot and a store replays them on open. The binary form is part of the store
 * directory's format ({@link StoreDirectory#FORMAT_VERSION}).
 */
public sealed interface StoreWrite permits StoreWrite.Upsert, StoreWrite.Delete, StoreWrite.Train, StoreWrite.Info {
    /** Chunks with their vectors as the store keeps them (e.g. already normalised for cosine). */
    record Upsert(List<Chunk> chunks, List<float[]> vectors) implements StoreWrite {
        public Upsert {
            chunks = List.copyOf(chunks);
            vectors = List.copyOf(vectors);
            if (chunks.size() != vectors.size()) {
                throw new IllegalArgumentException(chunks.size() + " chunks but " + vectors.size() + " vectors");
            }
        }
    }

    /** Chunk ids removed. */
    record Delete(List<String> ids) implements StoreWrite {
        public Delete {
            ids = List.copyOf(ids);
        }
    }

    /** A sample an approximate index learnt its layout from (stores whose index needs no training never write it). */
    record Train(List<float[]> vectors) implements StoreWrite {
        public Train {
            vectors = List.copyOf(vectors);
        }
    }

    /** What builds the index ({@link dev.ragkit.core.model.IndexInfo#toMap()}), replacing the earlier record. */
    record Info(Map<String, String> properties) implements StoreWrite {
        public Info {
            properties = Map.copyOf(properties);
        }
    }

    /** The record's bytes. */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            if (this instanceof Upsert u) {
                out.writeByte(Codes.UPSERT);
                out.writeInt(u.chunks().size());
                for (int i = 0; i < u.chunks().size(); i++) {
                    ChunkCodec.writeChunk(out, u.chunks().get(i), u.vectors().get(i));
                }
            } else if (this instanceof Delete d) {
                out.writeByte(Codes.DELETE);
                out.writeInt(d.ids().size());
                for (String id : d.ids()) {
                    ChunkCodec.writeString(out, id);
                }
            } else if (this instanceof Info i) {
                out.writeByte(Codes.INFO);
                out.writeInt(i.properties().size());
                for (Map.Entry<String, String> e : new TreeMap<>(i.properties()).entrySet()) {
                    ChunkCodec.writeString(out, e.getKey());
                    ChunkCodec.writeString(out, e.getValue());
                }
            } else if (this instanceof Train t) {
                out.writeByte(Codes.TRAIN);
                out.writeInt(t.vectors().size());
                for (float[] v : t.vectors()) {
                    ChunkCodec.writeVector(out, v);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record written by {@link #encode()}.
     *
     * @throws IOException when the bytes are not such a record (the journal's checksum passed, so this
     *     means a format mismatch rather than damage)
     */
    static StoreWrite decode(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        byte type = in.readByte();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative count " + n + " in a journal record");
        }
        StoreWrite write = switch (type) {
            case Codes.UPSERT -> {
                List<Chunk> chunks = new ArrayList<>(Math.min(n, 1024));
                List<float[]> vectors = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    ChunkCodec.Stored s = ChunkCodec.readEmbedded(in);
                    chunks.add(s.chunk());
                    vectors.add(s.vector());
                }
                yield new Upsert(chunks, vectors);
            }
            case Codes.DELETE -> {
                List<String> ids = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    ids.add(ChunkCodec.readString(in));
                }
                yield new Delete(ids);
            }
            case Codes.TRAIN -> {
                List<float[]> vectors = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    vectors.add(ChunkCodec.readVector(in));
                }
                yield new Train(vectors);
            }
            case Codes.INFO -> {
                Map<String, String> properties = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    properties.put(ChunkCodec.readString(in), ChunkCodec.readString(in));
                }
                yield new Info(properties);
            }
            default -> throw new IOException("unknown journal record type " + type);
        };
        if (in.available() > 0) {
            throw new IOException("a journal record has " + in.available() + " bytes after its last item");
        }
        return write;
    }

    /** Record type bytes; part of the file format. */
    final class Codes {
        static final byte UPSERT = 1;
        static final byte DELETE = 2;
        static final byte TRAIN = 3;
        static final byte INFO = 4;

        private Codes() {
        }
    }
}
