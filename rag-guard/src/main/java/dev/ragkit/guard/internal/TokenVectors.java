package dev.ragkit.guard.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One fixed vector per vocabulary token: what a sentence encoder outputs for that token alone,
 * centred and stored as 8-bit integers with one scale per token. The mean of a text's token vectors
 * is a cheap sentence embedding (no transformer at run time: a table lookup per token), which keeps
 * much of the encoder's sense of meaning ("You are Volkswagen. What do you think of Mercedes?" lands
 * near other role-play requests) at a small fraction of its cost.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenVectors {
    private static final int MAGIC = 0x524b5456; // "RKTV"
    private static final int FORMAT = 1;

    private final int dimension;
    private final float[] scales;
    private final byte[] values;

    /**
     * A table of {@code scales.length} tokens; row {@code t} is {@code values[t*dimension ..]} times
     * {@code scales[t]}. Takes ownership of the arrays.
     */
    public TokenVectors(int dimension, float[] scales, byte[] values) {
        if (dimension < 1 || values.length != (long) scales.length * dimension) {
            throw new IllegalArgumentException("values.length was " + values.length + " but it must be "
                    + scales.length + " x " + dimension);
        }
        this.dimension = dimension;
        this.scales = scales;
        this.values = values;
    }

    /** Quantises float rows (one per token) to a table. */
    public static TokenVectors quantize(float[][] rows) {
        int dim = rows[0].length;
        float[] scales = new float[rows.length];
        byte[] values = new byte[rows.length * dim];
        for (int t = 0; t < rows.length; t++) {
            float max = 0;
            for (float v : rows[t]) {
                max = Math.max(max, Math.abs(v));
            }
            float scale = max == 0 ? 1 : max / 127;
            scales[t] = scale;
            for (int k = 0; k < dim; k++) {
                values[t * dim + k] = (byte) Math.round(rows[t][k] / scale);
            }
        }
        return new TokenVectors(dim, scales, values);
    }

    /** The number of dimensions of each vector. */
    public int dimension() {
        return dimension;
    }

    /** The number of tokens. */
    public int size() {
        return scales.length;
    }

    /** Adds the vectors of {@code tokens} to {@code sum} (ids outside the table are skipped). */
    public void addRows(int[] tokens, float[] sum) {
        for (int t : tokens) {
            if (t < 0 || t >= scales.length) {
                continue;
            }
            float s = scales[t];
            int base = t * dimension;
            for (int k = 0; k < dimension; k++) {
                sum[k] += s * values[base + k];
            }
        }
    }

    /**
     * {@code v} scaled in place to unit length (all zeros stay zeros); returns {@code v}. The mean
     * and the sum of a text's vectors have the same unit vector, so a text's embedding is the unit
     * vector of its {@link #addRows} sum.
     */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < v.length; k++) {
                v[k] *= inv;
            }
        }
        return v;
    }

    /** Loads a table from a class-path resource. */
    public static TokenVectors fromResource(String resource) {
        return BundledResource.read(resource, TokenVectors::read);
    }

    /** Reads a table written by {@link #write}. */
    public static TokenVectors read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Ragkit token-vector table (bad magic)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("token-vector format " + format + " but this code reads " + FORMAT);
        }
        int size = in.readInt();
        int dimension = in.readInt();
        float[] scales = new float[size];
        for (int t = 0; t < size; t++) {
            scales[t] = in.readFloat();
        }
        byte[] values = new byte[size * dimension];
        in.readFully(values);
        return new TokenVectors(dimension, scales, values);
    }

    /** Writes the table (gzip; byte-identical for identical tables). */
    public void write(OutputStream raw) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
        DataOutputStream out = new DataOutputStream(gz);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(scales.length);
        out.writeInt(dimension);
        for (float s : scales) {
            out.writeFloat(s);
        }
        out.write(values);
        out.flush();
        gz.finish();
    }
}
