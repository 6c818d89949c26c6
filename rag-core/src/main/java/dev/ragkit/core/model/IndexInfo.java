package dev.ragkit.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What built an index, kept by the store itself: the embedder whose vectors it holds and the splitter
 * that cut its chunks. Vectors of two models live in different spaces, so an index searched or
 * extended with another embedder answers with noise rather than an error; the ingestor and the
 * retriever compare this record with their own embedder and refuse a mismatch, naming both.
 *
 * @param embedder the embedder's {@link dev.ragkit.core.spi.Embedder#id() id}, which names provider and
 *     model (and so the model's normalisation and query instruction), e.g. {@code onnx:all-minilm-l6-v2-q}
 * @param dimension the length of the index's vectors
 * @param splitter the splitter's {@link dev.ragkit.core.text.Splitter#describe() description}, e.g.
 *     {@code recursive(max-chars=1000, overlap-chars=150)}; empty when unknown
 */
public record IndexInfo(String embedder, int dimension, String splitter) {
    private static final String EMBEDDER = "embedder";
    private static final String DIMENSION = "dimension";
    private static final String SPLITTER = "splitter";

    public IndexInfo {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(splitter, "splitter");
        if (embedder.isBlank()) {
            throw new IllegalArgumentException("index info embedder must not be blank");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("index info dimension was " + dimension + " but it must be >= 1");
        }
    }

    /** Whether vectors made by {@code other}'s embedder can be compared with this index's. */
    public boolean sameEmbedder(IndexInfo other) {
        return embedder.equals(other.embedder) && dimension == other.dimension;
    }

    /** {@code embedder 'onnx:…' (dimension 384)}: how messages name it. */
    public String describeEmbedder() {
        return "embedder '" + embedder + "' (dimension " + dimension + ")";
    }

    /** String form for stores that keep it as properties. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(EMBEDDER, embedder);
        map.put(DIMENSION, Integer.toString(dimension));
        map.put(SPLITTER, splitter);
        return map;
    }

    /** Reads {@link #toMap()}'s form; empty when the map holds none (an index built before this record). */
    public static Optional<IndexInfo> fromMap(Map<String, String> map) {
        String embedder = map.get(EMBEDDER);
        String dimension = map.get(DIMENSION);
        if (embedder == null || dimension == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IndexInfo(embedder, Integer.parseInt(dimension), map.getOrDefault(SPLITTER, "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
