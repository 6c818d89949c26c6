package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;

/** Small checks and arithmetic on embedding vectors, shared by the core and the adapters. */
public final class Vectors {
    private Vectors() {
    }

    /** Throws naming {@code what} and the position when the vector holds NaN or an infinity. */
    public static void requireFinite(String what, float[] vector) {
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidInputException(what + " has " + vector[i] + " at position " + i
                        + "; every component must be a finite number");
            }
        }
    }

    /** Throws naming {@code what} when the vector's dimension is not {@code expected}. */
    public static void requireDimension(String what, float[] vector, int expected) {
        if (vector.length != expected) {
            throw new InvalidInputException(what + " has dimension " + vector.length
                    + " but the store holds vectors of dimension " + expected);
        }
    }

    /** A unit-length copy; a zero vector is rejected because it has no direction to compare. */
    public static float[] normalised(String what, float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        if (sum == 0) {
            throw new InvalidInputException(what + " is a zero vector; cosine similarity is undefined for it");
        }
        double norm = Math.sqrt(sum);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    /** The dot product of two vectors of one length. */
    public static float dot(float[] a, float[] b) {
        // Four independent sums: one running sum makes every addition wait for the previous one,
        // and the JIT may not reorder float additions itself.
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (int end = a.length - 3; i < end; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Maps a cosine similarity onto Ragkit's score scale: [0, 1], higher is more similar. Negative
     * cosines (opposite meaning) are 0: no text-embedding model ranks them as relevant.
     */
    public static double cosineScore(double cosine) {
        return Math.max(0.0, Math.min(1.0, cosine));
    }
}
