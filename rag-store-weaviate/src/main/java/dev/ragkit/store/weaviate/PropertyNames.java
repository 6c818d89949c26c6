package dev.ragkit.store.weaviate;

import java.util.Optional;

/**
 * How chunks map onto a collection's properties. Metadata entries are filtered through typed
 * properties, one per key and value type, named {@code m_<key>_<type>} ({@code s} text, {@code i}
 * int, {@code d} number, {@code b} boolean), because one Weaviate property has one data type while a
 * Ragkit key may hold whole numbers in some chunks and decimals in others. Property names allow only
 * {@code [_0-9A-Za-z]}, so every other character of a key (and {@code _} itself) is written as
 * {@code _} and four hex digits, which keeps the mapping reversible.
 *
 * <p>Filterable text values (metadata strings, the document id, the chunk id) are stored as {@code s}
 * followed by the hex of their UTF-16 code units: Weaviate's {@code field} tokenization trims
 * whitespace and compares bytes, while Ragkit compares strings exactly by UTF-16 code unit; the hex
 * form makes Equal exact and makes Weaviate's byte order the code-unit order.
 */
final class PropertyNames {
    static final String TEXT = "text";
    static final String DOCUMENT_ID = "document_id";
    static final String CHUNK_INDEX = "chunk_index";
    static final String CONTENT_HASH = "content_hash";
    static final String METADATA = "metadata_json";
    static final String DOC_KEY = "doc_key";
    static final String CHUNK_KEY = "chunk_key";

    /** The value types of metadata properties and their Weaviate data types. */
    enum Kind {
        TEXT("s", "text"), INT("i", "int"), NUMBER("d", "number"), BOOLEAN("b", "boolean");

        final String suffix;
        final String dataType;

        Kind(String suffix, String dataType) {
            this.suffix = suffix;
            this.dataType = dataType;
        }

        static Kind of(Object value) {
            if (value instanceof String) {
                return TEXT;
            }
            if (value instanceof Long) {
                return INT;
            }
            if (value instanceof Double) {
                return NUMBER;
            }
            if (value instanceof Boolean) {
                return BOOLEAN;
            }
            throw new IllegalArgumentException("not a normalised metadata value: " + value);
        }
    }

    private PropertyNames() {
    }

    static String metadata(String key, Kind kind) {
        StringBuilder out = new StringBuilder("m_");
        key.chars().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append((char) c);
            } else {
                out.append('_').append(String.format("%04x", c));
            }
        });
        return out.append('_').append(kind.suffix).toString();
    }

    /** The key and kind a metadata property name stands for; empty for any other property. */
    static Optional<java.util.Map.Entry<String, Kind>> parseMetadata(String property) {
        if (!property.startsWith("m_") || property.length() < 5 || property.charAt(property.length() - 2) != '_') {
            return Optional.empty();
        }
        String suffix = property.substring(property.length() - 1);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.suffix.equals(suffix)) {
                kind = k;
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        String encoded = property.substring(2, property.length() - 2);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '_') {
                if (i + 5 > encoded.length()) {
                    return Optional.empty();
                }
                try {
                    key.append((char) Integer.parseInt(encoded.substring(i + 1, i + 5), 16));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                i += 4;
            } else {
                key.append(c);
            }
        }
        return key.isEmpty() ? Optional.empty() : Optional.of(java.util.Map.entry(key.toString(), kind));
    }

    /** The order-preserving, whitespace-free form of a filterable string. */
    static String encodeText(String value) {
        StringBuilder out = new StringBuilder(1 + value.length() * 4).append('s');
        for (int i = 0; i < value.length(); i++) {
            out.append(String.format("%04x", (int) value.charAt(i)));
        }
        return out.toString();
    }

    static String decodeText(String encoded) {
        StringBuilder out = new StringBuilder((encoded.length() - 1) / 4);
        for (int i = 1; i + 4 <= encoded.length(); i += 4) {
            out.append((char) Integer.parseInt(encoded.substring(i, i + 4), 16));
        }
        return out.toString();
    }
}
