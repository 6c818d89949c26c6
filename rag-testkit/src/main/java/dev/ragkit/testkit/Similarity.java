package dev.ragkit.testkit;

/**
 * The reference similarity tests compare stores and embedders against, so every module checks the
 * same thing. (rag-core's own tests keep a copy: rag-testkit depends on rag-core, not the reverse.)
 */
public final class Similarity {
    private Similarity() {
    }

    /** Cosine similarity of two vectors of the same length, summed in double precision. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
