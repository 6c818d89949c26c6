package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.IndexOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings and mappings of a chunk index, made by the store: the vector field (from the
 * {@link Dialect}), the text (kept as written, and folded for BM25 with the configured analyzer), the chunk's ids, hash and index version as
 * keyword/integer fields, and metadata as typed fields, one object per value type, mapped by dynamic
 * templates so that any key can appear without a mapping change. Fields are strict at the top level: a
 * document that does not come from this store is refused rather than silently remapping the index.
 */
public final class IndexMapping {
    /** Marks an index as made by this store, with the layout's version, in the mapping's {@code _meta}. */
    public static final String META_FORMAT = "ragkit_format";
    /** The current layout. */
    public static final int FORMAT = 1;
    /** Where {@link dev.ragkit.core.model.IndexInfo} is kept: the mapping's {@code _meta}. */
    public static final String META_INDEX_INFO = "ragkit_index_info";

    private IndexMapping() {
    }

    /** The body of the create-index request. */
    public static ObjectNode createBody(Dialect dialect, int dimension, IndexOptions options) {
        ObjectNode index = Json.object();
        index.put("number_of_shards", options.shards());
        index.put("number_of_replicas", options.replicas());
        dialect.addIndexSettings(index, options);
        ObjectNode settings = Json.object();
        settings.set("index", index);
        ObjectNode body = Json.object();
        body.set("settings", settings);
        body.set("mappings", mappings(dialect, dimension, options));
        return body;
    }

    static ObjectNode mappings(Dialect dialect, int dimension, IndexOptions options) {
        ObjectNode mappings = Json.object();
        mappings.put("dynamic", "strict");
        mappings.put("date_detection", false);
        mappings.put("numeric_detection", false);
        mappings.set("_meta", Json.object().put(META_FORMAT, FORMAT));
        ArrayNode templates = mappings.putArray("dynamic_templates");
        templates.add(template("ragkit_meta_strings", IndexFields.META_STRING, "keyword"));
        templates.add(template("ragkit_meta_longs", IndexFields.META_LONG, "long"));
        templates.add(template("ragkit_meta_doubles", IndexFields.META_DOUBLE, "double"));
        templates.add(template("ragkit_meta_booleans", IndexFields.META_BOOLEAN, "boolean"));
        ObjectNode properties = mappings.putObject("properties");
        properties.set(IndexFields.CHUNK_ID, type("keyword"));
        properties.set(IndexFields.DOC_ID, type("keyword"));
        properties.set(IndexFields.CHUNK_INDEX, type("integer"));
        properties.set(IndexFields.CONTENT_HASH, type("keyword"));
        properties.set(IndexFields.INDEX_VERSION, type("integer"));
        properties.set(IndexFields.TEXT, type("text").put("index", false));
        // The server's built-in analyzers: standard (tokenise, lowercase) is in every distribution; english and
        // french come with the analysis-common module of the full distributions.
        properties.set(IndexFields.TEXT_SEARCH, type("text").put("analyzer", options.language()));
        properties.set(IndexFields.VECTOR, dialect.vectorMapping(dimension, options));
        for (String object : List.of(IndexFields.META_STRING, IndexFields.META_LONG, IndexFields.META_DOUBLE,
                IndexFields.META_BOOLEAN)) {
            properties.set(object, type("object").put("dynamic", true));
        }
        return mappings;
    }

    private static ObjectNode type(String type) {
        return Json.object().put("type", type);
    }

    private static ObjectNode template(String name, String object, String type) {
        ObjectNode template = Json.object();
        template.put("path_match", object + ".*");
        template.set("mapping", type(type));
        return Json.object(name, template);
    }

    /**
     * What makes an existing index unusable with this configuration: not made by this store, or a vector
     * field that disagrees (see {@link Dialect#vectorMappingProblems}); each problem names both values.
     *
     * @param mappings the {@code mappings} object of one concrete index
     */
    public static List<String> problems(String index, JsonNode mappings, Dialect dialect, int dimension,
                                        IndexOptions options) {
        List<String> problems = new ArrayList<>();
        JsonNode format = mappings.path("_meta").path(META_FORMAT);
        if (!format.isInt()) {
            problems.add("index '" + index + "' was not made by Ragkit's " + dialect.backend()
                    + " store (its mapping has no _meta." + META_FORMAT + "); use another index name");
            return problems;
        }
        if (format.asInt() != FORMAT) {
            problems.add("index '" + index + "' has layout " + format.asInt() + " but this store writes layout "
                    + FORMAT);
        }
        JsonNode vector = mappings.path("properties").path(IndexFields.VECTOR);
        if (vector.isMissingNode()) {
            problems.add("index '" + index + "' has no '" + IndexFields.VECTOR + "' field");
            return problems;
        }
        for (String p : dialect.vectorMappingProblems(vector, dimension, options)) {
            problems.add("index '" + index + "': " + p);
        }
        return problems;
    }
}
