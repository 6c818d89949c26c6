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

    public static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * Maps a cosine similarity onto Ragkit's score scale: [0, 1], higher is more similar. Negative
     * cosines (opposite meaning) are 0: no text-embedding model ranks them as relevant.
     */
    public static double cosineScore(double cosine) {
        return Math.max(0.0, Math.min(1.0, cosine));
    }
}
