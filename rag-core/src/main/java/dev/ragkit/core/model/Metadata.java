package dev.ragkit.core.model;

import dev.ragkit.core.InvalidInputException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks and normalises metadata maps. Values are {@code String}, {@code Long}, {@code Double} or
 * {@code Boolean}; other integral numbers become {@code Long} and {@code Float} becomes
 * {@code Double}, so that equality and filters behave the same in every store.
 */
public final class Metadata {
    /** Reserved filter key that names a chunk's document id. */
    public static final String DOCUMENT_ID_KEY = "doc_id";

    private Metadata() {
    }

    /** An immutable, key-sorted copy with normalised values; rejects nulls and unsupported types. */
    public static Map<String, Object> copyOf(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, Object> copy = new TreeMap<>();
        for (Map.Entry<String, ?> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isBlank()) {
                throw new InvalidInputException("metadata key was '" + key + "' but it must be a non-blank string");
            }
            if (DOCUMENT_ID_KEY.equals(key)) {
                throw new InvalidInputException("metadata key '" + DOCUMENT_ID_KEY
                        + "' is reserved: it names the chunk's document id");
            }
            copy.put(key, normalise(key, entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Normalises one value, naming the key when it cannot be stored. */
    public static Object normalise(String key, Object value) {
        if (value instanceof String || value instanceof Long || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidInputException("metadata '" + key + "' was " + d + " but it must be a finite number");
            }
            return d == 0 ? 0.0 : d;
        }
        throw new InvalidInputException("metadata '" + key + "' was " + describe(value)
                + " but it must be a String, a whole number, a decimal number or a Boolean");
    }

    /**
     * A value's kind in plain words and the value, e.g. {@code a list [fr]}: never a JDK class name such
     * as {@code List12}, which means nothing to the reader.
     */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String kind;
        if (value instanceof java.util.List<?> || value instanceof Object[]) {
            kind = "a list";
        } else if (value instanceof java.util.Set<?>) {
            kind = "a set";
        } else if (value instanceof java.util.Collection<?>) {
            kind = "a collection";
        } else if (value instanceof Map<?, ?>) {
            kind = "a map";
        } else if (value instanceof CharSequence) {
            kind = "text";
        } else if (value instanceof Character) {
            kind = "a character";
        } else if (value instanceof Number) {
            kind = "a number";
        } else if (value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.Date) {
            kind = "a date or time";
        } else if (value instanceof Enum<?>) {
            kind = "an enum constant";
        } else {
            kind = "an object of type " + value.getClass().getName();
        }
        String shown = value instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(value);
        return kind + " " + (shown.length() > 80 ? shown.substring(0, 77) + "..." : shown);
    }
}
