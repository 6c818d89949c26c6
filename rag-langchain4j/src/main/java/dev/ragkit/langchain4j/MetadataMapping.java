package dev.ragkit.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.ragkit.core.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Converts metadata between LangChain4j's {@link Metadata} and Ragkit's metadata maps.
 *
 * <p>Ragkit holds strings, whole numbers (long), decimal numbers (double) and booleans; LangChain4j holds
 * String, UUID, Integer, Long, Float and Double. Going in: Integer and Long become long, Float becomes the
 * double of its decimal form ({@code 0.1f} is stored as {@code 0.1}, which is how LangChain4j's filters
 * compare it), UUID becomes its canonical string. Coming out: long stays Long, double stays Double,
 * string stays String. So every value reads back equal through LangChain4j's typed getters
 * ({@code getInteger}, {@code getLong}, {@code getFloat}, {@code getDouble}, {@code getUUID},
 * {@code getString}), and filters compare it as LangChain4j would.
 *
 * <p>LangChain4j's {@code Metadata} (up to 1.20 at least) has no boolean type, so a Ragkit boolean is shown
 * to LangChain4j as the string {@code "true"} or {@code "false"}; in the store it stays a boolean, and a
 * LangChain4j filter with a Boolean value matches it.
 */
public final class MetadataMapping {
    private MetadataMapping() {
    }

    /** LangChain4j metadata as a Ragkit metadata map (checked by Ragkit when the chunk is built). */
    public static Map<String, Object> toRagkit(Metadata metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (metadata == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : metadata.toMap().entrySet()) {
            out.put(e.getKey(), toRagkitValue(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Ragkit metadata as LangChain4j metadata. */
    public static Metadata toLangChain4j(Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v instanceof Boolean b ? b.toString() : v);
        }
        return Metadata.from(out);
    }

    /**
     * One LangChain4j value (metadata or filter) as the Ragkit value that compares the same way.
     *
     * @throws InvalidInputException for a type Ragkit cannot hold
     */
    public static Object toRagkitValue(String key, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            // Float.toString is the decimal LangChain4j compares (new BigDecimal(value.toString())).
            return Double.parseDouble(Float.toString(f));
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        throw new InvalidInputException("metadata '" + key + "' was " + dev.ragkit.core.model.Metadata.describe(value)
                + " but Ragkit holds only String, UUID (as its string), Integer, Long, Float, Double and Boolean");
    }
}
