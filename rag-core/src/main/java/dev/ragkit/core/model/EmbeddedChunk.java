package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk with its embedding, as written to a {@link dev.ragkit.core.spi.VectorStore}.
 * The vector is copied in and out, so an instance never changes.
 */
public final class EmbeddedChunk {
    private final Chunk chunk;
    private final float[] vector;

    public EmbeddedChunk(Chunk chunk, float[] vector) {
        this.chunk = Objects.requireNonNull(chunk, "chunk");
        if (vector == null || vector.length == 0) {
            throw new InvalidInputException("chunk '" + chunk.id() + "' vector was empty");
        }
        Vectors.requireFinite("chunk '" + chunk.id() + "' vector", vector);
        this.vector = vector.clone();
    }

    public Chunk chunk() {
        return chunk;
    }

    /** A copy of the embedding. */
    public float[] vector() {
        return vector.clone();
    }

    public int dimension() {
        return vector.length;
    }

    public String id() {
        return chunk.id();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedChunk that && chunk.equals(that.chunk) && Arrays.equals(vector, that.vector);
    }

    @Override
    public int hashCode() {
        return 31 * chunk.hashCode() + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "EmbeddedChunk[" + chunk.id() + ", dimension=" + vector.length + "]";
    }
}
