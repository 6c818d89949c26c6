package dev.ragkit.guard.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A logistic-regression model over {@link FeatureHasher} vectors, with the decision threshold that
 * was chosen by cross-validation on its training data.
 *
 * <p>File format (gzip): magic {@code RKLM}, format version, hasher version, hash bits, bias,
 * threshold, quantisation step, number of non-zero weights, then for each one the gap to the
 * previous index (unsigned varint) and the weight in steps (short). Format 2 (written only when the
 * model has thresholds per language) appends their number and, for each, the language code (UTF) and
 * its threshold (float); a model without them is written in format 1, byte for byte as before, and
 * both formats are read. Immutable and thread-safe.
 */
public final class LinearModel {
    private static final int MAGIC = 0x524b4c4d; // "RKLM"
    private static final int FORMAT = 1;
    private static final int FORMAT_WITH_LANGUAGES = 2;

    private final int bits;
    private final float[] weights;
    private final float bias;
    private final float threshold;
    private final Map<String, Float> languageThresholds;

    /** A model over {@code 2^bits} hashed features; takes ownership of {@code weights}. */
    public LinearModel(int bits, float[] weights, float bias, float threshold) {
        this(bits, weights, bias, threshold, Map.of());
    }

    /**
     * A model with its own threshold for some languages ({@code fr}, {@code en}...: the codes of
     * {@code GuardLanguage}); {@code threshold} holds for the others. Takes ownership of {@code weights}.
     */
    public LinearModel(int bits, float[] weights, float bias, float threshold, Map<String, Float> languageThresholds) {
        if (weights.length != 1 << bits) {
            throw new IllegalArgumentException("weights.length was " + weights.length + " but it must be 2^" + bits);
        }
        for (Map.Entry<String, Float> e : languageThresholds.entrySet()) {
            if (!e.getKey().matches("[a-z]{2,3}") || !(e.getValue() > 0 && e.getValue() < 1)) {
                throw new IllegalArgumentException("language threshold " + e.getKey() + "=" + e.getValue()
                        + " but it must be a 2-3 letter lowercase code and a threshold within (0, 1)");
            }
        }
        this.bits = bits;
        this.weights = weights;
        this.bias = bias;
        this.threshold = threshold;
        this.languageThresholds = Collections.unmodifiableMap(new TreeMap<>(languageThresholds));
    }

    /** The same weights with thresholds per language (empty: the general threshold for all). */
    public LinearModel withLanguageThresholds(Map<String, Float> thresholds) {
        return new LinearModel(bits, weights, bias, threshold, thresholds);
    }

    /** log2 of the number of weights. */
    public int bits() {
        return bits;
    }

    /** The probability threshold chosen at training time. */
    public float threshold() {
        return threshold;
    }

    /** The threshold for a text in {@code language}: its own when the model has one, else {@link #threshold()}. */
    public float threshold(String language) {
        return languageThresholds.getOrDefault(language, threshold);
    }

    /** The thresholds per language chosen at training time (sorted by code; empty for a format-1 model). */
    public Map<String, Float> languageThresholds() {
        return languageThresholds;
    }

    /** The raw score w.x + b. */
    public double logit(FeatureHasher.Sparse x) {
        return x.dot(weights) + bias;
    }

    /** The probability of the positive class. */
    public double probability(FeatureHasher.Sparse x) {
        return sigmoid(logit(x));
    }

    /** The logistic function, computed without overflow for large |z|. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** Loads a model from a class-path resource; fails loudly because a guard without its model is useless. */
    public static LinearModel fromResource(String resource) {
        return BundledResource.read(resource, LinearModel::read);
    }

    /** Reads a model written by {@link #write}; rejects other formats and hasher versions. */
    public static LinearModel read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Ragkit linear model (bad magic)");
        }
        int format = in.readInt();
        int hasher = in.readInt();
        if ((format != FORMAT && format != FORMAT_WITH_LANGUAGES) || hasher != FeatureHasher.VERSION) {
            throw new IOException("model format " + format + "/hasher " + hasher + " but this code reads "
                    + FORMAT + " or " + FORMAT_WITH_LANGUAGES + "/" + FeatureHasher.VERSION + "; retrain with TrainGuards");
        }
        int bits = in.readInt();
        float bias = in.readFloat();
        float threshold = in.readFloat();
        float step = in.readFloat();
        int nonZero = in.readInt();
        float[] w = new float[1 << bits];
        int index = -1;
        for (int k = 0; k < nonZero; k++) {
            index += readVarint(in);
            w[index] = in.readShort() * step;
        }
        Map<String, Float> languages = new TreeMap<>();
        if (format == FORMAT_WITH_LANGUAGES) {
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String language = in.readUTF();
                languages.put(language, in.readFloat());
            }
        }
        return new LinearModel(bits, w, bias, threshold, languages);
    }

    /** Writes the model, quantising weights to 16 bits (relative error below 1/30,000 of the largest). */
    public void write(OutputStream raw) throws IOException {
        float max = 0;
        int nonZero = 0;
        for (float v : weights) {
            max = Math.max(max, Math.abs(v));
        }
        float step = max == 0 ? 1f : max / Short.MAX_VALUE;
        for (float v : weights) {
            if (Math.round(v / step) != 0) {
                nonZero++;
            }
        }
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        DataOutputStream out = new DataOutputStream(gz);
        out.writeInt(MAGIC);
        out.writeInt(languageThresholds.isEmpty() ? FORMAT : FORMAT_WITH_LANGUAGES);
        out.writeInt(FeatureHasher.VERSION);
        out.writeInt(bits);
        out.writeFloat(bias);
        out.writeFloat(threshold);
        out.writeFloat(step);
        out.writeInt(nonZero);
        int prev = -1;
        for (int i = 0; i < weights.length; i++) {
            int q = Math.round(weights[i] / step);
            if (q != 0) {
                writeVarint(out, i - prev);
                out.writeShort(q);
                prev = i;
            }
        }
        if (!languageThresholds.isEmpty()) {
            out.writeInt(languageThresholds.size());
            for (Map.Entry<String, Float> e : languageThresholds.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeFloat(e.getValue());
            }
        }
        out.flush();
        gz.finish();
    }

    private static void writeVarint(DataOutputStream out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int v = 0;
        int shift = 0;
        while (true) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }
}
