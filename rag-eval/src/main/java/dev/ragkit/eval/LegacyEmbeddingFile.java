package dev.ragkit.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The embedding cache files of the format before {@link CachingEmbedder} used the core's caches
 * ({@code RKEMBC01}: a header with the dimension and embedder id, then records of kind, SHA-256 of the
 * text, the vector and a CRC-32, little-endian), read only: their keys are hashes of the text alone, so
 * they cannot be converted without the texts, and are looked up when a text is missing from the new file.
 * A file of another embedder or dimension, or a damaged one, is ignored from where it stops making sense.
 */
final class LegacyEmbeddingFile {
    private static final byte[] MAGIC = "RKEMBC01".getBytes(StandardCharsets.US_ASCII);
    private static final LegacyEmbeddingFile NONE = new LegacyEmbeddingFile(Map.of());

    /** Vectors by kind ('D' or 'Q') followed by the hex SHA-256 of the text. */
    private final Map<String, float[]> vectors;

    private LegacyEmbeddingFile(Map<String, float[]> vectors) {
        this.vectors = vectors;
    }

    /** The vectors of {@code file} when it exists and belongs to {@code embedderId} and {@code dimension}; else none. */
    static LegacyEmbeddingFile read(Path file, String embedderId, int dimension) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the earlier-format embedding cache " + file, e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] id = embedderId.getBytes(StandardCharsets.UTF_8);
        if (in.remaining() < MAGIC.length + 8) {
            return NONE;
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        int fileDimension = in.getInt();
        int idLength = in.getInt();
        if (!Arrays.equals(magic, MAGIC) || fileDimension != dimension || idLength != id.length
                || in.remaining() < idLength) {
            return NONE;
        }
        byte[] fileId = new byte[idLength];
        in.get(fileId);
        if (!Arrays.equals(fileId, id)) {
            return NONE;
        }
        int recordBytes = 1 + 32 + 4 * dimension + 4;
        Map<String, float[]> vectors = new HashMap<>();
        CRC32 crc = new CRC32();
        while (in.remaining() >= recordBytes) {
            int start = in.position();
            crc.reset();
            crc.update(bytes, start, recordBytes - 4);
            if ((int) crc.getValue() != in.getInt(start + recordBytes - 4)) {
                break; // a torn or corrupt record: the rest is not trusted
            }
            char kind = (char) in.get();
            byte[] hash = new byte[32];
            in.get(hash);
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = in.getFloat();
            }
            in.getInt();
            vectors.put(kind + HexFormat.of().formatHex(hash), v);
        }
        return new LegacyEmbeddingFile(vectors);
    }

    /** The document vector of {@code text} (a copy), or null. */
    float[] document(String text) {
        return find('D', text);
    }

    /** The query vector of {@code text} (a copy), or null. */
    float[] query(String text) {
        return find('Q', text);
    }

    private float[] find(char kind, String text) {
        if (vectors.isEmpty()) {
            return null;
        }
        float[] v = vectors.get(kind + sha256(text));
        return v == null ? null : v.clone();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
