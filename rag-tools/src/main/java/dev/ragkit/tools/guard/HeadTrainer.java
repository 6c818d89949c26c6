package dev.ragkit.tools.guard;

import java.util.Arrays;
import java.util.List;

/**
 * Fits a logistic regression on dense vectors by full-batch gradient descent (Adam), on standardised
 * features, and returns the weights in the original feature space. Deterministic: no randomness at
 * all (full batch, zero start), so the same rows give the same head.
 */
final class HeadTrainer {
    /** L2 penalty on the standardised weights (per unit of mean loss). */
    static final double L2 = Double.parseDouble(System.getProperty("ragkit.heads.l2", "1e-3"));
    static final int ITERATIONS = Integer.getInteger("ragkit.heads.iterations", 300);
    private static final double RATE = 0.05;

    private HeadTrainer() {
    }

    /** Weights {@code w[0..d-1]} and bias {@code w[d]} over the raw vectors. */
    static double[] fit(List<float[]> x, boolean[] y, double[] rowWeight) {
        int n = x.size();
        int d = x.get(0).length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += rowWeight[i];
            for (int j = 0; j < d; j++) {
                mean[j] += rowWeight[i] * x.get(i)[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x.get(i)[j] - mean[j];
                sd[j] += rowWeight[i] * c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / total) + 1e-6;
        }
        float[][] z = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (float) ((x.get(i)[j] - mean[j]) / sd[j]);
            }
        }
        double[] w = new double[d + 1];
        double[] m = new double[d + 1];
        double[] v = new double[d + 1];
        double[] g = new double[d + 1];
        for (int it = 1; it <= ITERATIONS; it++) {
            Arrays.fill(g, 0);
            for (int i = 0; i < n; i++) {
                double s = w[d];
                float[] zi = z[i];
                for (int j = 0; j < d; j++) {
                    s += w[j] * zi[j];
                }
                double p = 1 / (1 + Math.exp(-s));
                double e = (p - (y[i] ? 1 : 0)) * rowWeight[i] / total;
                for (int j = 0; j < d; j++) {
                    g[j] += e * zi[j];
                }
                g[d] += e;
            }
            for (int j = 0; j < d; j++) {
                g[j] += L2 * w[j];
            }
            for (int j = 0; j <= d; j++) {
                m[j] = 0.9 * m[j] + 0.1 * g[j];
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
                double mh = m[j] / (1 - Math.pow(0.9, it));
                double vh = v[j] / (1 - Math.pow(0.999, it));
                w[j] -= RATE * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        // Back to the raw vectors: w·(x - mean)/sd + b = (w/sd)·x + (b - Σ w mean/sd).
        double[] raw = new double[d + 1];
        double bias = w[d];
        for (int j = 0; j < d; j++) {
            raw[j] = w[j] / sd[j];
            bias -= w[j] * mean[j] / sd[j];
        }
        raw[d] = bias;
        return raw;
    }

    static double probability(double[] head, float[] x) {
        int d = x.length;
        double s = head[d];
        for (int j = 0; j < d; j++) {
            s += head[j] * x[j];
        }
        return 1 / (1 + Math.exp(-s));
    }
}
