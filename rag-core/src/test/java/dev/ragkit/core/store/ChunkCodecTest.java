package dev.ragkit.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Chunk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

    private static byte[] encode(Chunk chunk, float[] vector) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChunkCodec.writeChunk(new DataOutputStream(bytes), chunk, vector);
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void roundTripOfEveryMetadataTypeUnicodeAndVector() throws IOException {
        Chunk chunk = Chunk.of("docs/guide-é.md", 42, "Élève « œuvre » 😀 日本語\nligne 2",
                Map.of("title", "Guide", "year", 2021, "weight", -0.125, "draft", false, "big", Long.MIN_VALUE, "empty", ""));
        float[] vector = {0.5f, -0.25f, Float.MIN_VALUE, -Float.MAX_VALUE};
        ChunkCodec.Stored stored = ChunkCodec.readEmbedded(in(encode(chunk, vector)));
        assertThat(stored.chunk()).isEqualTo(chunk);
        assertThat(stored.chunk().id()).isEqualTo("docs/guide-é.md#42");
        assertThat(stored.chunk().metadata().get("year")).isInstanceOf(Long.class);
        assertThat(stored.chunk().metadata().get("weight")).isInstanceOf(Double.class);
        assertThat(stored.vector()).containsExactly(vector);
    }

    @Test
    void consecutiveChunksReadBackInOrder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Chunk a = Chunk.of("a", 0, "one", Map.of());
        Chunk b = Chunk.of("b", 3, "two", Map.of("k", true));
        ChunkCodec.writeChunk(out, a, new float[] {1});
        ChunkCodec.writeChunk(out, b, new float[] {2, 3});
        ChunkCodec.writeString(out, "tail");
        DataInputStream in = in(bytes.toByteArray());
        assertThat(ChunkCodec.readEmbedded(in).chunk()).isEqualTo(a);
        assertThat(ChunkCodec.readEmbedded(in).chunk()).isEqualTo(b);
        assertThat(ChunkCodec.readString(in)).isEqualTo("tail");
        assertThat(in.available()).isZero();
    }

    @Test
    void corruptInputFailsWithIoException() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeInt(-1);
        assertThatThrownBy(() -> ChunkCodec.readString(in(bytes.toByteArray()))).isInstanceOf(IOException.class)
                .hasMessageContaining("-1");

        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        new DataOutputStream(huge).writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> ChunkCodec.readString(in(huge.toByteArray()))).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");

        byte[] good = encode(Chunk.of("a", 0, "t", Map.of("k", "v")), new float[] {1, 2});
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> ChunkCodec.readEmbedded(in(truncated))).isInstanceOf(EOFException.class);

        // The metadata type tag follows docId (4+1), index (4), text (4+1), hash (4+64), count (4), key (4+1).
        byte[] badType = good.clone();
        badType[4 + 1 + 4 + 4 + 1 + 4 + 64 + 4 + 4 + 1] = 9;
        assertThatThrownBy(() -> ChunkCodec.readEmbedded(in(badType))).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown metadata type 9");
    }
}
