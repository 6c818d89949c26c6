package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.weaviate.PropertyNames.Kind;
import dev.ragkit.store.weaviate.WhereFilters.Node;
import dev.ragkit.store.weaviate.WhereFilters.Where;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A {@link VectorStore} on one Weaviate collection, over Weaviate's REST API (schema, batch writes and
 * deletes, cursor listing) and GraphQL (vector, BM25 and hybrid search, counts).
 *
 * <p>On first use the collection is created: no vectorizer (Ragkit brings the vectors), an HNSW index
 * with cosine distance, a {@code text} property with {@code word} tokenization and ASCII folding for
 * BM25, and typed metadata properties added as new keys arrive (see {@link PropertyNames}). An
 * existing collection is opened only when it was made by Ragkit for the same dimension; anything else
 * is refused, naming the difference.
 *
 * <p>Scores follow {@link SearchRequest}: dense is {@code 1 - cosine distance} clamped to [0, 1];
 * keyword is Weaviate's BM25 score divided by the query's maximum attainable score
 * {@code Σ idf · (k1 + 1)} over its distinct terms, with {@code idf} from the collection's document
 * frequencies (one Aggregate request per query). Ties are broken by ascending chunk id.
 *
 * <p>Writes are batched ({@code /v1/batch/objects}). Weaviate applies a batch object by object: when
 * some objects fail, the others are written; the upsert then fails naming every failed chunk id and
 * its error, and saying which ids were written, so nothing is counted as written that was not.
 */
public final class WeaviateVectorStore implements VectorStore {
    static final String NAME = "weaviate";
    private static final Pattern COLLECTION = Pattern.compile("[A-Z][_0-9A-Za-z]*");
    private static final String MARKER = "ragkit:";
    private static final ObjectMapper METADATA_JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final Set<StoreCapability> CAPABILITIES = Set.copyOf(EnumSet.of(StoreCapability.FILTER,
            StoreCapability.DELETE, StoreCapability.KEYWORD_SEARCH, StoreCapability.PERSISTENCE, StoreCapability.SCAN,
            StoreCapability.READ_VECTORS));

    private final WeaviateRest rest;
    private final String collection;
    private final int dimension;
    private final int batchSize;
    private final double alpha;
    private final String subject;
    private final Map<String, Set<Kind>> kinds = new ConcurrentHashMap<>();
    private final WhereFilters filters;
    private volatile double k1;
    private volatile double b;
    private volatile boolean closed;

    private WeaviateVectorStore(Builder builder) {
        this.rest = builder.rest();
        this.collection = builder.collection;
        this.dimension = builder.dimension;
        this.batchSize = builder.batchSize;
        this.alpha = builder.alpha;
        this.subject = "collection '" + collection + "'";
        this.filters = new WhereFilters(key -> kinds.getOrDefault(key, Set.of()));
        JsonNode existing = rest.call("GET", "/schema/" + collection, null, subject, true).body();
        if (existing.isMissingNode() || !existing.has("class")) {
            create(builder);
        } else {
            verify(existing);
        }
    }

    /** A builder; {@code url}, {@code collection} and {@code dimension} are required. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ collection

    private void create(Builder builder) {
        ObjectNode cls = WeaviateRest.JSON.createObjectNode();
        cls.put("class", collection);
        cls.put("description", description(null));
        cls.put("vectorizer", "none");
        cls.put("vectorIndexType", "hnsw");
        cls.putObject("vectorIndexConfig").put("distance", "cosine").put("efConstruction", builder.efConstruction)
                .put("maxConnections", builder.maxConnections).put("ef", builder.ef);
        ObjectNode inverted = cls.putObject("invertedIndexConfig");
        inverted.putObject("bm25").put("k1", 1.2).put("b", 0.75);
        // Ragkit's keyword contract assumes no stopwords: "the" is a term like any other.
        inverted.putObject("stopwords").put("preset", "none");
        ArrayNode properties = cls.putArray("properties");
        ObjectNode text = property(PropertyNames.TEXT, "text", "word", true, true);
        text.putObject("textAnalyzer").put("asciiFold", true);
        properties.add(text);
        properties.add(property(PropertyNames.DOCUMENT_ID, "text", "field", false, false));
        properties.add(property(PropertyNames.CHUNK_INDEX, "int", null, false, false));
        properties.add(property(PropertyNames.CONTENT_HASH, "text", "field", false, false));
        properties.add(property(PropertyNames.METADATA, "text", "field", false, false));
        properties.add(property(PropertyNames.DOC_KEY, "text", "field", true, false));
        properties.add(property(PropertyNames.CHUNK_KEY, "text", "field", true, false));
        try {
            rest.call("POST", "/schema", cls, subject, false);
            k1 = 1.2;
            b = 0.75;
        } catch (RagBackendException e) {
            // Another process may have created it in between: open it if so, else report the failure.
            JsonNode now = rest.call("GET", "/schema/" + collection, null, subject, true).body();
            if (!now.has("class")) {
                throw e;
            }
            verify(now);
        }
    }

    private static ObjectNode property(String name, String dataType, String tokenization, boolean filterable,
                                       boolean searchable) {
        ObjectNode p = WeaviateRest.JSON.createObjectNode().put("name", name);
        p.putArray("dataType").add(dataType);
        if (tokenization != null) {
            p.put("tokenization", tokenization);
            p.put("indexSearchable", searchable);
        }
        p.put("indexFilterable", filterable);
        return p;
    }

    /** Refuses a collection that Ragkit did not make, or made for another dimension. */
    private void verify(JsonNode cls) {
        List<String> problems = new ArrayList<>();
        String vectorizer = cls.path("vectorizer").asText("none");
        if (!vectorizer.equals("none")) {
            problems.add("its vectorizer is '" + vectorizer + "' but Ragkit brings its own vectors ('none')");
        }
        String distance = cls.path("vectorIndexConfig").path("distance").asText("cosine");
        if (!distance.equals("cosine")) {
            problems.add("its distance is '" + distance + "' but Ragkit's scores need 'cosine'");
        }
        Map<String, String> types = new HashMap<>();
        for (JsonNode p : cls.path("properties")) {
            types.put(p.path("name").asText(), p.path("dataType").path(0).asText());
        }
        Map<String, String> required = Map.of(PropertyNames.TEXT, "text", PropertyNames.DOCUMENT_ID, "text",
                PropertyNames.CHUNK_INDEX, "int", PropertyNames.CONTENT_HASH, "text", PropertyNames.METADATA, "text",
                PropertyNames.DOC_KEY, "text", PropertyNames.CHUNK_KEY, "text");
        required.forEach((name, type) -> {
            if (!type.equals(types.get(name))) {
                problems.add("property '" + name + "' is " + (types.containsKey(name) ? "'" + types.get(name) + "'"
                        : "missing") + " but must be '" + type + "'");
            }
        });
        Optional<JsonNode> marker = marker(cls);
        if (marker.isEmpty()) {
            problems.add("its description has no Ragkit marker, so Ragkit did not create it");
        } else if (marker.get().path("dimension").asInt() != dimension) {
            problems.add("it holds vectors of dimension " + marker.get().path("dimension").asInt()
                    + " but this store was configured for dimension " + dimension);
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException("Weaviate " + subject + " at " + rest.base()
                    + " cannot be opened as a Ragkit store: " + String.join("; ", problems)
                    + ". Use another rag.store.weaviate.collection, or delete this one.");
        }
        JsonNode bm25 = cls.path("invertedIndexConfig").path("bm25");
        k1 = bm25.path("k1").asDouble(1.2);
        b = bm25.path("b").asDouble(0.75);
        learnProperties(cls);
    }

    private void learnProperties(JsonNode cls) {
        for (JsonNode p : cls.path("properties")) {
            PropertyNames.parseMetadata(p.path("name").asText()).ifPresent(e ->
                    kinds.computeIfAbsent(e.getKey(), k -> ConcurrentHashMap.newKeySet()).add(e.getValue()));
        }
    }

    private static Optional<JsonNode> marker(JsonNode cls) {
        String description = cls.path("description").asText("");
        int at = description.indexOf(MARKER);
        if (at < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(WeaviateRest.JSON.readTree(description.substring(at + MARKER.length())));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private String description(IndexInfo info) {
        ObjectNode marker = WeaviateRest.JSON.createObjectNode().put("dimension", dimension);
        if (info != null) {
            ObjectNode node = marker.putObject("indexInfo");
            info.toMap().forEach(node::put);
        }
        return "Ragkit chunks. " + MARKER + marker;
    }

    /** Adds the typed metadata properties this batch needs and the collection lacks. */
    private void ensureProperties(List<EmbeddedChunk> chunks) {
        Set<Map.Entry<String, Kind>> missing = new LinkedHashSet<>();
        for (EmbeddedChunk c : chunks) {
            c.chunk().metadata().forEach((key, value) -> {
                Kind kind = Kind.of(value);
                if (!kinds.getOrDefault(key, Set.of()).contains(kind)) {
                    missing.add(Map.entry(key, kind));
                }
            });
        }
        for (Map.Entry<String, Kind> e : missing) {
            String name = PropertyNames.metadata(e.getKey(), e.getValue());
            ObjectNode p = property(name, e.getValue().dataType, e.getValue() == Kind.TEXT ? "field" : null, true, false);
            try {
                rest.call("POST", "/schema/" + collection + "/properties", p, subject, false);
            } catch (RagBackendException failure) {
                // Another writer may have added it meanwhile: that is fine, anything else is not.
                learnProperties(rest.call("GET", "/schema/" + collection, null, subject, false).body());
                if (!kinds.getOrDefault(e.getKey(), Set.of()).contains(e.getValue())) {
                    throw failure;
                }
            }
            kinds.computeIfAbsent(e.getKey(), k -> ConcurrentHashMap.newKeySet()).add(e.getValue());
        }
    }

    // ------------------------------------------------------------------ VectorStore

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return CAPABILITIES;
    }

    /** The collection this store reads and writes. */
    public String collection() {
        return collection;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        checkOpen();
        Objects.requireNonNull(chunks, "chunks");
        Set<String> seen = new HashSet<>();
        for (EmbeddedChunk c : chunks) {
            if (c.dimension() != dimension) {
                throw new InvalidInputException("chunk '" + c.id() + "' vector has dimension " + c.dimension()
                        + " but Weaviate " + subject + " holds dimension " + dimension);
            }
            if (!seen.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one upsert batch");
            }
        }
        if (chunks.isEmpty()) {
            return;
        }
        ensureProperties(chunks);
        List<String> written = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (int from = 0; from < chunks.size(); from += batchSize) {
            List<EmbeddedChunk> batch = chunks.subList(from, Math.min(chunks.size(), from + batchSize));
            Map<String, String> idsByUuid = new HashMap<>();
            ObjectNode body = WeaviateRest.JSON.createObjectNode();
            ArrayNode objects = body.putArray("objects");
            for (EmbeddedChunk c : batch) {
                String uuid = uuid(c.id());
                idsByUuid.put(uuid, c.id());
                objects.add(object(uuid, c));
            }
            JsonNode results;
            try {
                results = rest.call("POST", "/batch/objects", body, subject, false).body();
            } catch (RagBackendException e) {
                throw written.isEmpty() ? e : new RagBackendException(NAME, e.retriable(), e.getMessage()
                        + "; chunks written by earlier batches of this upsert: " + written, e);
            }
            if (!results.isArray()) {
                throw RagBackendException.permanent(NAME, "Weaviate batch write to " + subject
                        + " answered with something other than a list of results: "
                        + WeaviateRest.abbreviate(results.toString()), null);
            }
            Set<String> answered = new HashSet<>();
            for (JsonNode r : results) {
                String id = idsByUuid.get(r.path("id").asText());
                if (id == null) {
                    continue;
                }
                answered.add(id);
                JsonNode errors = r.path("result").path("errors").path("error");
                if (errors.isArray() && !errors.isEmpty()) {
                    List<String> messages = new ArrayList<>();
                    errors.forEach(e -> messages.add(e.path("message").asText()));
                    failed.put(id, String.join("; ", messages));
                } else {
                    written.add(id);
                }
            }
            for (EmbeddedChunk c : batch) {
                if (!answered.contains(c.id())) {
                    failed.put(c.id(), "no result for this object in Weaviate's answer");
                }
            }
        }
        if (!failed.isEmpty()) {
            throw RagBackendException.permanent(NAME, "Weaviate rejected " + failed.size() + " of " + chunks.size()
                    + " chunks written to " + subject + ": " + failed + ". Written: " + written.size()
                    + (written.size() <= 20 ? " " + written : "") + ".", null);
        }
    }

    private ObjectNode object(String uuid, EmbeddedChunk c) {
        Chunk chunk = c.chunk();
        ObjectNode object = WeaviateRest.JSON.createObjectNode();
        object.put("class", collection);
        object.put("id", uuid);
        ArrayNode vector = object.putArray("vector");
        for (float x : c.vector()) {
            vector.add(x);
        }
        ObjectNode p = object.putObject("properties");
        p.put(PropertyNames.TEXT, chunk.text());
        p.put(PropertyNames.DOCUMENT_ID, chunk.documentId());
        p.put(PropertyNames.CHUNK_INDEX, chunk.index());
        p.put(PropertyNames.CONTENT_HASH, chunk.contentHash());
        try {
            p.put(PropertyNames.METADATA, METADATA_JSON.writeValueAsString(chunk.metadata()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("normalised metadata always serialises", e);
        }
        p.put(PropertyNames.DOC_KEY, PropertyNames.encodeText(chunk.documentId()));
        p.put(PropertyNames.CHUNK_KEY, PropertyNames.encodeText(chunk.id()));
        chunk.metadata().forEach((key, value) -> {
            String name = PropertyNames.metadata(key, Kind.of(value));
            if (value instanceof String s) {
                p.put(name, PropertyNames.encodeText(s));
            } else if (value instanceof Long l) {
                p.put(name, l);
            } else if (value instanceof Double d) {
                p.put(name, d);
            } else {
                p.put(name, (Boolean) value);
            }
        });
        return object;
    }

    /** The object id of a chunk id: a name-based UUID, so a rewrite replaces the same object. */
    static String uuid(String chunkId) {
        return UUID.nameUUIDFromBytes(("ragkit:" + chunkId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        checkOpen();
        Where where = request.filter().map(this::where).orElse(WhereFilters.TRUE);
        if (where.equals(WhereFilters.FALSE)) {
            return List.of();
        }
        if (request.isDense()) {
            float[] vector = request.vector().orElseThrow();
            checkQueryDimension(vector);
            ObjectNode near = WeaviateRest.JSON.createObjectNode();
            ArrayNode v = near.putArray("vector");
            for (float x : vector) {
                v.add(x);
            }
            if (request.minScore() > 0) {
                // A little slack: the exact cut is made on the scores below.
                near.put("distance", Math.min(2.0, 1 - request.minScore() + 1e-5));
            }
            return ranked(request, limit -> query("nearVector: " + GraphQl.literal(near), where, limit, "distance",
                    false), distance -> Math.max(0, Math.min(1, 1 - distance)));
        }
        String text = request.text().orElseThrow();
        List<String> terms = terms(text);
        if (terms.isEmpty()) {
            return List.of();
        }
        double maxScore = maxBm25(terms);
        String bm25 = "bm25: {query: " + GraphQl.string(text) + ", properties: [\"" + PropertyNames.TEXT + "\"]}";
        return ranked(request, limit -> query(bm25, where, limit, "score", false),
                raw -> maxScore > 0 ? Math.min(1.0, raw / maxScore) : 0);
    }

    /**
     * Weaviate's {@code hybrid} search (relative score fusion of its BM25 and vector scores): the best
     * {@code topK} chunks for {@code text} and {@code vector} together, {@code alpha} weighting the
     * vector side (1 = vector only, 0 = keyword only; the builder's {@code alpha} when null). Scores are
     * Weaviate's fused scores, in [0, 1].
     */
    public List<SearchHit> hybridSearch(String text, float[] vector, int topK, Filter filter, Double alpha) {
        checkOpen();
        SearchRequest request = SearchRequest.keyword(text, topK).withFilter(filter); // validates text and topK
        checkQueryDimension(SearchRequest.dense(vector, topK).vector().orElseThrow());
        double a = alpha == null ? this.alpha : alpha;
        if (!(a >= 0 && a <= 1)) {
            throw new InvalidInputException("hybrid alpha was " + a + " but it must be in [0, 1]");
        }
        Where where = filter == null ? WhereFilters.TRUE : where(filter);
        if (where.equals(WhereFilters.FALSE)) {
            return List.of();
        }
        ObjectNode hybrid = WeaviateRest.JSON.createObjectNode().put("query", text).put("alpha", a);
        ArrayNode v = hybrid.putArray("vector");
        for (float x : vector) {
            v.add(x);
        }
        hybrid.putArray("properties").add(PropertyNames.TEXT);
        hybrid.put("fusionType", "relativeScoreFusion");
        return ranked(request, limit -> query("hybrid: " + GraphQl.literal(hybrid), where, limit, "score", false),
                raw -> Math.max(0, Math.min(1, raw)));
    }

    private void checkQueryDimension(float[] vector) {
        if (vector.length != dimension) {
            throw new InvalidInputException("query vector has dimension " + vector.length + " but Weaviate " + subject
                    + " holds dimension " + dimension);
        }
    }

    /** One raw hit: the chunk and the score as Weaviate gave it (a distance or a score). */
    private record Raw(Chunk chunk, double value, float[] vector) {
    }

    /**
     * Asks for one hit more than needed and, while the last hits tie across the cut, for more, so that
     * ties are broken by ascending id among every tied chunk, not among those Weaviate happened to return.
     */
    private List<SearchHit> ranked(SearchRequest request, java.util.function.IntFunction<List<Raw>> fetch,
                                   java.util.function.DoubleUnaryOperator normalise) {
        int topK = request.topK();
        int limit = topK + 1;
        List<SearchHit> hits;
        while (true) {
            List<Raw> raw = fetch.apply(limit);
            hits = new ArrayList<>();
            for (Raw r : raw) {
                hits.add(new SearchHit(r.chunk(), normalise.applyAsDouble(r.value())));
            }
            boolean tiedAtCut = raw.size() == limit && hits.get(limit - 1).score() == hits.get(topK - 1).score();
            if (!tiedAtCut) {
                break;
            }
            limit *= 2;
        }
        return hits.stream().filter(h -> h.score() >= request.minScore())
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id))
                .limit(topK).toList();
    }

    private List<Raw> query(String search, Where where, int limit, String scoreField, boolean vectors) {
        StringBuilder args = new StringBuilder(search).append(", limit: ").append(limit);
        if (where instanceof Node n) {
            args.append(", where: ").append(GraphQl.literal(n.where()));
        }
        return get(args.toString(), scoreField, vectors);
    }

    private List<Raw> get(String arguments, String scoreField, boolean vectors) {
        String additional = "id" + (scoreField == null ? "" : " " + scoreField) + (vectors ? " vector" : "");
        String q = "{ Get { " + collection + "(" + arguments + ") { " + PropertyNames.TEXT + " " + PropertyNames.DOCUMENT_ID
                + " " + PropertyNames.CHUNK_INDEX + " " + PropertyNames.CONTENT_HASH + " " + PropertyNames.METADATA
                + " _additional { " + additional + " } } } }";
        JsonNode objects = rest.graphql(q, subject).path("Get").path(collection);
        List<Raw> out = new ArrayList<>();
        for (JsonNode o : objects) {
            JsonNode extra = o.path("_additional");
            float[] vector = null;
            if (vectors) {
                JsonNode v = extra.path("vector");
                vector = new float[v.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) v.get(i).asDouble();
                }
            }
            // Weaviate gives BM25 and hybrid scores as strings, distances as numbers: asDouble reads both.
            out.add(new Raw(chunk(o), scoreField == null ? 0 : extra.path(scoreField).asDouble(), vector));
        }
        return out;
    }

    private Chunk chunk(JsonNode properties) {
        String documentId = properties.path(PropertyNames.DOCUMENT_ID).asText(null);
        JsonNode index = properties.path(PropertyNames.CHUNK_INDEX);
        if (documentId == null || !index.isNumber()) {
            throw RagBackendException.permanent(NAME, "Weaviate " + subject + " holds an object without "
                    + PropertyNames.DOCUMENT_ID + " or " + PropertyNames.CHUNK_INDEX + ": "
                    + WeaviateRest.abbreviate(properties.toString()) + ". Was it written by Ragkit?", null);
        }
        Map<String, Object> metadata;
        try {
            metadata = METADATA_JSON.readValue(properties.path(PropertyNames.METADATA).asText("{}"),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw RagBackendException.permanent(NAME, "Weaviate " + subject + " holds unreadable metadata for document '"
                    + documentId + "': " + e.getOriginalMessage(), e);
        }
        return new Chunk(Chunk.idOf(documentId, index.asInt()), documentId, index.asInt(),
                properties.path(PropertyNames.TEXT).asText(), properties.path(PropertyNames.CONTENT_HASH).asText(), metadata);
    }

    private Where where(Filter filter) {
        Set<String> keys = new HashSet<>();
        collectKeys(filter, keys);
        keys.remove(dev.ragkit.core.model.Metadata.DOCUMENT_ID_KEY);
        if (!kinds.keySet().containsAll(keys)) {
            // A key this handle has not seen may have arrived through another writer.
            learnProperties(rest.call("GET", "/schema/" + collection, null, subject, false).body());
        }
        return filters.translate(filter);
    }

    private static void collectKeys(Filter filter, Set<String> keys) {
        if (filter instanceof Filter.Eq f) {
            keys.add(f.key());
        } else if (filter instanceof Filter.Ne f) {
            keys.add(f.key());
        } else if (filter instanceof Filter.In f) {
            keys.add(f.key());
        } else if (filter instanceof Filter.NotIn f) {
            keys.add(f.key());
        } else if (filter instanceof Filter.Compare f) {
            keys.add(f.key());
        } else if (filter instanceof Filter.And f) {
            f.operands().forEach(o -> collectKeys(o, keys));
        } else if (filter instanceof Filter.Or f) {
            f.operands().forEach(o -> collectKeys(o, keys));
        } else if (filter instanceof Filter.Not f) {
            collectKeys(f.operand(), keys);
        }
    }

    /** The query's terms as Weaviate's {@code word} tokenization with ASCII folding makes them. */
    static List<String> terms(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        Set<String> terms = new LinkedHashSet<>();
        for (String t : folded.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!t.isEmpty()) {
                terms.add(t);
            }
        }
        return List.copyOf(terms);
    }

    /** {@code Σ idf · (k1 + 1)} over the terms, with document frequencies counted by one Aggregate query. */
    private double maxBm25(List<String> terms) {
        StringBuilder q = new StringBuilder("{ Aggregate { total: ").append(collection).append(" { meta { count } }");
        for (int i = 0; i < terms.size(); i++) {
            ObjectNode where = WeaviateRest.JSON.createObjectNode();
            where.putArray("path").add(PropertyNames.TEXT);
            where.put("operator", "Equal").put("valueText", terms.get(i));
            q.append(" t").append(i).append(": ").append(collection).append("(where: ").append(GraphQl.literal(where))
                    .append(") { meta { count } }");
        }
        JsonNode data = rest.graphql(q.append(" } }").toString(), subject).path("Aggregate");
        double n = count(data.path("total"));
        double max = 0;
        for (int i = 0; i < terms.size(); i++) {
            double df = count(data.path("t" + i));
            max += Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (k1 + 1);
        }
        return max;
    }

    private static long count(JsonNode aggregate) {
        return aggregate.path(0).path("meta").path("count").asLong();
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        return fetch(ids, false).stream().map(Raw::chunk).toList();
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        return fetch(ids, true).stream().map(r -> new EmbeddedChunk(r.chunk(), r.vector())).toList();
    }

    private List<Raw> fetch(Collection<String> ids, boolean vectors) {
        checkOpen();
        List<String> wanted = ids.stream().distinct().toList();
        Map<String, Raw> found = new HashMap<>();
        for (int from = 0; from < wanted.size(); from += batchSize) {
            List<String> part = wanted.subList(from, Math.min(wanted.size(), from + batchSize));
            ObjectNode where = byIds(part);
            for (Raw r : get("where: " + GraphQl.literal(where) + ", limit: " + part.size(), null, vectors)) {
                found.put(r.chunk().id(), r);
            }
        }
        List<Raw> out = new ArrayList<>();
        for (String id : ids) {
            Raw r = found.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static ObjectNode byIds(List<String> chunkIds) {
        ObjectNode where = WeaviateRest.JSON.createObjectNode();
        where.putArray("path").add("id");
        where.put("operator", "ContainsAny");
        ArrayNode values = where.putArray("valueTextArray");
        chunkIds.forEach(id -> values.add(uuid(id)));
        return where;
    }

    @Override
    public void delete(Collection<String> ids) {
        checkOpen();
        List<String> all = ids.stream().distinct().toList();
        for (int from = 0; from < all.size(); from += batchSize) {
            List<String> part = all.subList(from, Math.min(all.size(), from + batchSize));
            ObjectNode body = WeaviateRest.JSON.createObjectNode();
            ObjectNode match = body.putObject("match");
            match.put("class", collection);
            match.set("where", byIds(part));
            body.put("output", "minimal");
            body.put("dryRun", false);
            JsonNode answer = rest.call("DELETE", "/batch/objects", body, subject, false).body();
            long failures = answer.path("results").path("failed").asLong();
            if (failures > 0) {
                throw RagBackendException.permanent(NAME, "Weaviate failed to delete " + failures + " of the "
                        + part.size() + " chunks asked from " + subject + " (ids " + part + "); retry the delete", null);
            }
        }
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        checkOpen();
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        if (cursor != null && !cursor.startsWith("a:") && !cursor.startsWith("k:")) {
            throw new InvalidInputException("scan cursor '" + cursor + "' was not made by this store's scan");
        }
        if (filter == null) {
            if (cursor != null && !cursor.startsWith("a:")) {
                throw new InvalidInputException("scan cursor '" + cursor + "' belongs to a filtered scan");
            }
            // Weaviate's cursor API: objects in id order after the last one seen.
            String path = "/objects?class=" + collection + "&limit=" + limit
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor.substring(2), StandardCharsets.UTF_8));
            JsonNode objects = rest.call("GET", path, null, subject, false).body().path("objects");
            List<Chunk> chunks = new ArrayList<>();
            String last = null;
            for (JsonNode o : objects) {
                chunks.add(chunk(o.path("properties")));
                last = o.path("id").asText();
            }
            return new ScanPage(chunks, chunks.size() == limit ? Optional.of("a:" + last) : Optional.empty());
        }
        if (cursor != null && !cursor.startsWith("k:")) {
            throw new InvalidInputException("scan cursor '" + cursor + "' belongs to an unfiltered scan");
        }
        // Weaviate's cursor cannot be combined with a filter: page by the chunk key instead (keyset paging).
        Where where = where(filter);
        if (where.equals(WhereFilters.FALSE)) {
            return new ScanPage(List.of(), Optional.empty());
        }
        List<Where> parts = new ArrayList<>(List.of(where));
        if (cursor != null) {
            ObjectNode after = WeaviateRest.JSON.createObjectNode();
            after.putArray("path").add(PropertyNames.CHUNK_KEY);
            after.put("operator", "GreaterThan").put("valueText", cursor.substring(2));
            parts.add(new Node(after));
        }
        Where combined = WhereFilters.and(parts);
        String args = "limit: " + limit + ", sort: [{path: [\"" + PropertyNames.CHUNK_KEY + "\"], order: asc}]"
                + (combined instanceof Node n ? ", where: " + GraphQl.literal(n.where()) : "");
        List<Chunk> chunks = get(args, null, false).stream().map(Raw::chunk).toList();
        return new ScanPage(chunks, chunks.size() == limit
                ? Optional.of("k:" + PropertyNames.encodeText(chunks.get(chunks.size() - 1).id())) : Optional.empty());
    }

    @Override
    public long count() {
        checkOpen();
        return count(rest.graphql("{ Aggregate { " + collection + " { meta { count } } } }", subject)
                .path("Aggregate").path(collection));
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        checkOpen();
        JsonNode cls = rest.call("GET", "/schema/" + collection, null, subject, false).body();
        return marker(cls).map(m -> m.path("indexInfo")).filter(JsonNode::isObject).flatMap(node -> {
            Map<String, String> map = new HashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
            return IndexInfo.fromMap(map);
        });
    }

    @Override
    public synchronized void recordIndexInfo(IndexInfo info) {
        checkOpen();
        Objects.requireNonNull(info, "info");
        if (info.dimension() != dimension) {
            throw new InvalidInputException("index info dimension " + info.dimension() + " differs from the store's "
                    + "dimension " + dimension + " (" + subject + ")");
        }
        // Kept in the collection's description, so every host that opens the collection sees it.
        ObjectNode cls = (ObjectNode) rest.call("GET", "/schema/" + collection, null, subject, false).body();
        cls.put("description", description(info));
        rest.call("PUT", "/schema/" + collection, cls, subject, false);
    }

    @Override
    public void flush() {
        checkOpen();
        // Weaviate has made every acknowledged write durable: nothing to do.
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Weaviate store for " + subject + " is closed; open a new one");
        }
    }

    @Override
    public String toString() {
        return "WeaviateVectorStore[" + collection + " at " + rest.base() + ", dimension " + dimension + "]";
    }

    /** Settings of a {@link WeaviateVectorStore}. */
    public static final class Builder {
        private URI url;
        private String collection;
        private int dimension;
        private String apiKey;
        private String bearerToken;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxRetries = 4;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int batchSize = 100;
        private double alpha = 0.5;
        private int efConstruction = 128;
        private int maxConnections = 32;
        private int ef = 256;

        private Builder() {
        }

        /** Weaviate's base URL, e.g. {@code http://localhost:8080} (without {@code /v1}). */
        public Builder url(URI url) {
            this.url = url;
            return this;
        }

        /** The collection (class) name, {@code [A-Z][_0-9A-Za-z]*}. */
        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** A Weaviate API key (sent as a bearer token); never logged. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** An OIDC access token, for servers that use OIDC instead of API keys; never logged. */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = bearerToken;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Retries after a 429, a 5xx, a timeout or a broken connection (0: none). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** First backoff, doubled per retry up to {@code maxBackoff}, which also caps a Retry-After. */
        public Builder backoff(Duration initialBackoff, Duration maxBackoff) {
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** Objects per batch request (writes, gets and deletes). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Default weight of the vector side in {@link #hybridSearch}, in [0, 1]. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** HNSW settings used when the collection is created. */
        public Builder hnsw(int efConstruction, int maxConnections, int ef) {
            this.efConstruction = efConstruction;
            this.maxConnections = maxConnections;
            this.ef = ef;
            return this;
        }

        String credential() {
            return apiKey != null && !apiKey.isBlank() ? apiKey : bearerToken;
        }

        String collectionName() {
            return collection;
        }

        /** The endpoint these settings describe. */
        WeaviateRest rest() {
            return new WeaviateRest(url, credential(), connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff);
        }

        /** A builder with the same settings, for the stores of a versioned index. */
        Builder copy() {
            Builder b = new Builder();
            b.url = url;
            b.collection = collection;
            b.dimension = dimension;
            b.apiKey = apiKey;
            b.bearerToken = bearerToken;
            b.connectTimeout = connectTimeout;
            b.requestTimeout = requestTimeout;
            b.maxRetries = maxRetries;
            b.initialBackoff = initialBackoff;
            b.maxBackoff = maxBackoff;
            b.batchSize = batchSize;
            b.alpha = alpha;
            b.efConstruction = efConstruction;
            b.maxConnections = maxConnections;
            b.ef = ef;
            return b;
        }

        /**
         * A versioned index named by {@link #collection}: the alias of that name points at the live
         * collection {@code <collection>_v<N>}; the dimension comes from each version's embedder.
         */
        public WeaviateVersionedIndex buildVersioned(Duration liveRefresh) {
            List<Problem> problems = problems().stream().filter(p -> !p.key().equals("dimension")).toList();
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems.stream().map(p -> "rag.store.weaviate." + p).toList());
            }
            return new WeaviateVersionedIndex(this, liveRefresh);
        }

        /**
         * One invalid setting: its configuration key (relative to {@code rag.store.weaviate.}), the value and
         * what it must be.
         */
        public record Problem(String key, Object value, String requirement) {
            @Override
            public String toString() {
                return key + " was '" + value + "' but it " + requirement;
            }
        }

        /** Every problem with these settings; empty when they are fine. */
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            if (url == null || url.getScheme() == null || !Set.of("http", "https").contains(url.getScheme())
                    || url.getHost() == null) {
                problems.add(new Problem("url", url, "must be an http:// or https:// URL such as http://localhost:8080"));
            }
            if (collection == null || !COLLECTION.matcher(collection).matches()) {
                problems.add(new Problem("collection", collection,
                        "must match [A-Z][_0-9A-Za-z]* (Weaviate class names start upper-case)"));
            }
            if (dimension < 1) {
                problems.add(new Problem("dimension", dimension, "must be >= 1"));
            }
            if (apiKey != null && !apiKey.isBlank() && bearerToken != null && !bearerToken.isBlank()) {
                // The values are credentials: never shown.
                problems.add(new Problem("bearer-token", "(hidden)", "must be unset when api-key is set: one credential is sent"));
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add(new Problem("connect-timeout", connectTimeout, "must be > 0"));
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                problems.add(new Problem("request-timeout", requestTimeout, "must be > 0"));
            }
            if (maxRetries < 0) {
                problems.add(new Problem("max-retries", maxRetries, "must be >= 0"));
            }
            if (initialBackoff == null || initialBackoff.isNegative()) {
                problems.add(new Problem("backoff", initialBackoff, "must be >= 0"));
            } else if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
                problems.add(new Problem("max-backoff", maxBackoff, "must be >= backoff (" + initialBackoff + ")"));
            }
            if (batchSize < 1 || batchSize > 10_000) {
                problems.add(new Problem("batch-size", batchSize, "must be in [1, 10000]"));
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                problems.add(new Problem("alpha", alpha, "must be in [0, 1]"));
            }
            if (efConstruction < 1) {
                problems.add(new Problem("ef-construction", efConstruction, "must be >= 1"));
            }
            if (maxConnections < 1) {
                problems.add(new Problem("max-connections", maxConnections, "must be >= 1"));
            }
            if (ef < -1 || ef == 0) {
                problems.add(new Problem("ef", ef, "must be >= 1, or -1 for Weaviate's dynamic ef"));
            }
            return problems;
        }

        /** Opens the collection, creating it when absent. */
        public WeaviateVectorStore build() {
            List<Problem> problems = problems();
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems.stream().map(p -> "rag.store.weaviate." + p).toList());
            }
            return new WeaviateVectorStore(this);
        }
    }
}
