package dev.ragkit.guard;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces the personal data a {@link PiiDetector} finds, in one of three {@link RedactionMode}s.
 * In placeholder mode the same value gets the same placeholder within one call, and
 * {@link Redaction#restore} reverses it. In hash mode the tag is an HMAC-SHA256 of the value under
 * the configured key, so equal values can be correlated across texts without being revealed.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Z]+)_(\\d+)]");

    private final PiiDetector detector;
    private final RedactionMode mode;
    private final byte[] hashKey;

    private Redactor(Builder b) {
        this.detector = b.detector;
        this.mode = b.mode;
        this.hashKey = b.hashKey == null ? randomKey() : b.hashKey.getBytes(StandardCharsets.UTF_8);
    }

    /** A builder: all PII types, placeholder mode, a random hash key. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for a {@link Redactor}. */
    public static final class Builder {
        private PiiDetector detector = PiiDetector.all();
        private RedactionMode mode = RedactionMode.PLACEHOLDER;
        private String hashKey;

        private Builder() {
        }

        /** The detector deciding what is personal data. */
        public Builder detector(PiiDetector detector) {
            this.detector = Objects.requireNonNull(detector, "detector");
            return this;
        }

        /** How to replace it. */
        public Builder mode(RedactionMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The key of the hash mode; set it to correlate tags across restarts (default: random). */
        public Builder hashKey(String key) {
            Objects.requireNonNull(key, "hashKey");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("hashKey was empty");
            }
            this.hashKey = key;
            return this;
        }

        /** Builds the redactor. */
        public Redactor build() {
            return new Redactor(this);
        }
    }

    /** The mode of this redactor. */
    public RedactionMode mode() {
        return mode;
    }

    /** The detector of this redactor. */
    public PiiDetector detector() {
        return detector;
    }

    /** Redacts {@code text}. */
    public Redaction redact(String text) {
        return redact(text, new Numbering());
    }

    /**
     * Numbers placeholders across several texts (e.g. a question then an answer), so equal values get
     * equal placeholders and new values new numbers. Not thread-safe: one per conversation.
     */
    public static final class Numbering {
        private final Map<PiiType, Integer> next = new EnumMap<>(PiiType.class);
        private final Map<String, String> byValue = new HashMap<>();
        private final Map<String, String> byPlaceholder = new LinkedHashMap<>();

        /** A numbering that has given no placeholder yet. */
        public Numbering() {
        }

        /** The placeholder → value pairs given so far. */
        public Map<String, String> placeholders() {
            return Map.copyOf(byPlaceholder);
        }

        String placeholder(PiiType type, String value) {
            String key = type.name() + '\u0000' + value;
            String p = byValue.get(key);
            if (p == null) {
                int n = next.merge(type, 1, Integer::sum);
                p = "[" + type.name() + "_" + n + "]";
                byValue.put(key, p);
                byPlaceholder.put(p, value);
            }
            return p;
        }
    }

    /** Redacts {@code text}, numbering placeholders with {@code numbering}. */
    public Redaction redact(String text, Numbering numbering) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(numbering, "numbering");
        List<PiiMatch> matches = detector.find(text);
        if (matches.isEmpty()) {
            return new Redaction(text, List.of(), Map.of());
        }
        StringBuilder sb = new StringBuilder(text.length());
        Map<String, String> used = new LinkedHashMap<>();
        int last = 0;
        for (PiiMatch m : matches) {
            sb.append(text, last, m.start());
            switch (mode) {
                case MASK -> sb.append(mask(m));
                case HASH -> sb.append('[').append(m.type().name()).append(':').append(hash(m.value())).append(']');
                case PLACEHOLDER -> {
                    String p = numbering.placeholder(m.type(), m.value());
                    used.put(p, m.value());
                    sb.append(p);
                }
            }
            last = m.end();
        }
        sb.append(text, last, text.length());
        return new Redaction(sb.toString(), matches, used);
    }

    /** Replaces the placeholders of {@code mapping} found in {@code text} by their values; others stay. */
    public static String restore(String text, Map<String, String> mapping) {
        if (mapping.isEmpty() || text.indexOf('[') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String value = mapping.get(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String mask(PiiMatch m) {
        String v = m.value();
        int keep = m.type() == PiiType.CARD || m.type() == PiiType.IBAN ? 4 : 0;
        char[] out = v.toCharArray();
        int alnumSeen = 0;
        for (int i = out.length - 1; i >= 0; i--) {
            if (Character.isLetterOrDigit(out[i])) {
                alnumSeen++;
                if (alnumSeen > keep) {
                    out[i] = '*';
                }
            }
        }
        return new String(out);
    }

    private String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
