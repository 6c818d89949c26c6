package dev.ragkit.core.cache;

import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.store.ChunkCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Bytes of the cached values, in the stores' own chunk format; a format byte first, so a changed layout is a miss, not garbage. */
final class CacheCodec {
    private static final byte VECTOR_V1 = 1;
    private static final byte HITS_V1 = 2;

    private CacheCodec() {
    }

    static byte[] vector(float[] vector) {
        return write(out -> {
            out.writeByte(VECTOR_V1);
            ChunkCodec.writeVector(out, vector);
        });
    }

    static float[] readVector(byte[] bytes) throws IOException {
        DataInputStream in = open(bytes, VECTOR_V1);
        return ChunkCodec.readVector(in);
    }

    static byte[] hits(List<SearchHit> hits) {
        return write(out -> {
            out.writeByte(HITS_V1);
            out.writeInt(hits.size());
            for (SearchHit hit : hits) {
                ChunkCodec.writeChunk(out, hit.chunk());
                out.writeDouble(hit.score());
            }
        });
    }

    static List<SearchHit> readHits(byte[] bytes) throws IOException {
        DataInputStream in = open(bytes, HITS_V1);
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("corrupt hit count " + n);
        }
        List<SearchHit> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hits.add(new SearchHit(ChunkCodec.readChunk(in), in.readDouble()));
        }
        return List.copyOf(hits);
    }

    private static DataInputStream open(byte[] bytes, byte format) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        byte found = in.readByte();
        if (found != format) {
            throw new IOException("cached value has format " + found + " but " + format + " was expected");
        }
        return in;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a cache value in memory", e);
        }
        return bytes.toByteArray();
    }
}
