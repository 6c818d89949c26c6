package dev.ragkit.guard.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Turns a canonical text into a sparse, L2-normalised vector of hashed features: character
 * 3-, 4- and 5-grams (with word boundaries), word unigrams and bigrams, and named extra features
 * supplied by the caller (rule or lexicon hits). The same hasher must be used for training and
 * prediction; {@link #VERSION} changes whenever the feature layout changes.
 *
 * <p>Stateless and thread-safe.
 */
public final class FeatureHasher {
    /**
     * Bumped when the hashing or feature layout changes (2: the classifier's length-class feature),
     * so stale weight files are rejected.
     */
    public static final int VERSION = 2;

    private static final int SEED_CHAR = 0x9747b28c;
    private static final int SEED_WORD = 0x5bd1e995;
    private static final int SEED_BIGRAM = 0x27d4eb2f;
    private static final int SEED_EXTRA = 0x165667b1;
    /** Longer texts are truncated: a guard sees questions and chunks, not books. */
    static final int MAX_CHARS = 8_000;

    private final int mask;

    /** @param bits log2 of the number of buckets, e.g. 18 for 262,144 */
    public FeatureHasher(int bits) {
        if (bits < 8 || bits > 24) {
            throw new IllegalArgumentException("bits was " + bits + " but it must be within [8, 24]");
        }
        this.mask = (1 << bits) - 1;
    }

    /** The number of buckets. */
    public int dimension() {
        return mask + 1;
    }

    /** A sparse vector: distinct indices (in no particular order) and their values. */
    public record Sparse(int[] indices, float[] values) {
        /** Dot product with a dense weight vector. */
        public double dot(float[] weights) {
            double s = 0;
            for (int i = 0; i < indices.length; i++) {
                s += weights[indices[i]] * values[i];
            }
            return s;
        }
    }

    /**
     * Hashes {@code canonical} (already normalised by {@link TextNormalizer#canonical}) and the
     * named extra features, each counted {@code weight} times per occurrence.
     */
    public Sparse vectorize(String canonical, List<String> extras) {
        String text = squeezeSpaces(canonical.length() > MAX_CHARS ? canonical.substring(0, MAX_CHARS) : canonical);
        int n = text.length();
        int[] buf = new int[Math.max(16, 3 * (n + 2) + n / 2 + extras.size() * 3 + 8)];
        int count = 0;
        // Character n-grams over " text ", so word starts and ends are features of their own.
        String padded = " " + text + " ";
        int pn = padded.length();
        for (int len = 3; len <= 5; len++) {
            for (int i = 0; i + len <= pn; i++) {
                buf[count++] = hash(padded, i, i + len, SEED_CHAR + len) & mask;
            }
        }
        // Word unigrams and bigrams.
        int prevStart = -1;
        int prevEnd = -1;
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                if (count + 2 > buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[count++] = hash(text, start, i, SEED_WORD) & mask;
                if (prevStart >= 0) {
                    int h = hash(text, prevStart, prevEnd, SEED_BIGRAM);
                    buf[count++] = mix(h ^ hash(text, start, i, SEED_BIGRAM + 1)) & mask;
                }
                prevStart = start;
                prevEnd = i;
            }
        }
        for (String extra : extras) {
            if (count + 3 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int h = hash(extra, 0, extra.length(), SEED_EXTRA) & mask;
            // Extra features are few; repeat them so they are not drowned by thousands of n-grams.
            buf[count++] = h;
            buf[count++] = h;
            buf[count++] = h;
        }
        return toSparse(buf, count);
    }

    /**
     * Counts the hashed features in a small open-addressing table sized to this text (O(n), unlike
     * sorting; no per-thread buffer held between calls), in first-seen order.
     */
    private static Sparse toSparse(int[] buf, int count) {
        int size = Integer.highestOneBit(Math.max(16, count * 2)) << 1;
        int tableMask = size - 1;
        int[] keys = new int[size];
        int[] slotCount = new int[size];
        int[] order = new int[count];
        int distinct = 0;
        for (int k = 0; k < count; k++) {
            int b = buf[k];
            int slot = (b * 0x9E3779B1) >>> 7 & tableMask;
            while (slotCount[slot] != 0 && keys[slot] != b) {
                slot = (slot + 1) & tableMask;
            }
            if (slotCount[slot]++ == 0) {
                keys[slot] = b;
                order[distinct++] = slot;
            }
        }
        int[] idx = new int[distinct];
        float[] val = new float[distinct];
        for (int k = 0; k < distinct; k++) {
            idx[k] = keys[order[k]];
            val[k] = slotCount[order[k]];
        }
        double norm = 0;
        for (int k = 0; k < distinct; k++) {
            val[k] = (float) (1 + Math.log(val[k]));
            norm += val[k] * val[k];
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < distinct; k++) {
                val[k] *= inv;
            }
        }
        return new Sparse(idx, val);
    }

    private static String squeezeSpaces(String s) {
        StringBuilder sb = null;
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ws = Character.isWhitespace(c);
            if (ws && (space || c != ' ')) {
                if (sb == null) {
                    sb = new StringBuilder(s.length());
                    sb.append(s, 0, i);
                }
                if (!space) {
                    sb.append(' ');
                }
            } else if (sb != null) {
                sb.append(c);
            }
            space = ws;
        }
        return sb == null ? s : sb.toString();
    }

    /** A 32-bit hash of {@code s[from, to)}: multiply-xorshift per char, then a final avalanche. */
    static int hash(CharSequence s, int from, int to, int seed) {
        int h = seed ^ (to - from);
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
            h ^= h >>> 15;
        }
        return mix(h);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
