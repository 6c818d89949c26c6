package dev.ragkit.core.model;

import java.util.Locale;

/** How the pipeline retrieves chunks for a question. */
public enum RetrievalMode {
    /** Vector similarity only. */
    DENSE,
    /** BM25 keyword match only. */
    KEYWORD,
    /** Both, fused by reciprocal rank fusion. */
    HYBRID;

    /** Parses {@code dense}, {@code keyword} (or {@code bm25}) and {@code hybrid}, ignoring case. */
    public static RetrievalMode parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "dense" -> DENSE;
            case "keyword", "bm25" -> KEYWORD;
            case "hybrid" -> HYBRID;
            default -> throw new IllegalArgumentException("retrieval mode was '" + value
                    + "' but it must be one of dense, keyword (bm25), hybrid");
        };
    }
}
