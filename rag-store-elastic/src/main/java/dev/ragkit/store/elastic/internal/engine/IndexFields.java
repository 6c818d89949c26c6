package dev.ragkit.store.elastic.internal.engine;

/**
 * The names of the fields the store writes into every chunk document, the same in Elasticsearch and
 * OpenSearch. Metadata goes into one object per value type ({@link #META_STRING}, {@link #META_LONG},
 * {@link #META_DOUBLE}, {@link #META_BOOLEAN}), so a key that holds a number in one chunk and a string in
 * another never clashes in the mapping, and filters compare by type as the memory store does.
 */
public final class IndexFields {
    /** The chunk id, also the document {@code _id}; a keyword, the scan's sort key. */
    public static final String CHUNK_ID = "chunk_id";
    /** The chunk's document id: the reserved filter key {@code doc_id} filters on it. */
    public static final String DOC_ID = "doc_id";
    /** Position of the chunk in its document. */
    public static final String CHUNK_INDEX = "chunk_index";
    /** The chunk text as written; kept, not indexed. */
    public static final String TEXT = "text";
    /**
     * The chunk text folded by the store (lowercase, accents and ligatures folded, see
     * {@link dev.ragkit.core.text.TextAnalyzer#fold}), analysed by the configured analyzer for BM25. Folding on
     * the client makes matching accent-insensitive on every server, including those without the
     * {@code analysis-common} module that provides {@code asciifolding}.
     */
    public static final String TEXT_SEARCH = "text_search";
    /** SHA-256 of the text. */
    public static final String CONTENT_HASH = "content_hash";
    /** The version of a versioned index the chunk was written into; 0 in an unversioned index. */
    public static final String INDEX_VERSION = "index_version";
    /** The embedding. */
    public static final String VECTOR = "vector";
    /** Metadata values that are strings (keyword). */
    public static final String META_STRING = "meta_s";
    /** Metadata values that are whole numbers (long). */
    public static final String META_LONG = "meta_l";
    /** Metadata values that are decimal numbers (double). */
    public static final String META_DOUBLE = "meta_d";
    /** Metadata values that are booleans. */
    public static final String META_BOOLEAN = "meta_b";

    /**
     * The stored fields a chunk is not rebuilt from: left out of every read's {@code _source}, so answers carry
     * the text once (not also its folded copy) and no vector unless asked for.
     */
    public static final java.util.List<String> NOT_READ = java.util.List.of(VECTOR, TEXT_SEARCH, INDEX_VERSION);
    /** As {@link #NOT_READ}, for reads that want the vector. */
    public static final java.util.List<String> NOT_READ_WITH_VECTOR = java.util.List.of(TEXT_SEARCH, INDEX_VERSION);

    private IndexFields() {
    }

    /**
     * The field name under a metadata object for a metadata key. Dots would make the server read the key
     * as a path into nested objects, and {@code *} as a wildcard in {@code exists}; they are escaped
     * ({@code %2E}, {@code %2A}, and {@code %} itself as {@code %25}) so that every key maps to its own field
     * and back.
     */
    public static String encodeKey(String key) {
        StringBuilder out = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '.' -> out.append("%2E");
                case '*' -> out.append("%2A");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The metadata key of a field name made by {@link #encodeKey}. */
    public static String decodeKey(String field) {
        if (field.indexOf('%') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%' && i + 2 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
