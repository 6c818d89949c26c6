package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.store.elastic.IndexOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link VectorStore} on one Elasticsearch or OpenSearch index or alias, shared by both providers: it
 * builds every request as a neutral JSON tree and hands it to an {@link EngineClient}; the {@link Dialect}
 * supplies the few vendor differences (vector mapping, kNN query, kNN score).
 *
 * <p>Writes go in bulk requests of {@link IndexOptions#bulkSize()} chunks; an item the server rejects with
 * 429 is retried with backoff, and items that still fail are reported by id. A bulk cannot be atomic on
 * these servers: a failed upsert may have written some of its chunks (the ids that failed are named), and
 * rerunning it is safe, since every write replaces the chunk by id. Every hit is ranked by score, then by
 * chunk id, by the server itself, so equal scores are ordered by id even across the cut at {@code topK}.
 * Dense search runs the server's approximate kNN with the filter applied inside it. Keyword search is the
 * server's BM25 on the text folded by the store (so accents never matter), divided by the query's highest attainable BM25 (the sum of its terms' IDFs, from the
 * index's term statistics). Scans page with {@code search_after} on a point in time, sorted by chunk id.
 */
public final class EngineVectorStore implements VectorStore {
    /** The longest chunk id a document {@code _id} can hold, in UTF-8 bytes. */
    static final int MAX_ID_BYTES = 512;
    /** The most hits a search asks for (the servers' default result window). */
    static final int MAX_TOP_K = 10_000;
    private static final int GET_BATCH = 1_000;
    private static final String PIT_KEEP_ALIVE = "2m";
    private static final Set<StoreCapability> CAPABILITIES = Set.of(StoreCapability.FILTER, StoreCapability.DELETE,
            StoreCapability.KEYWORD_SEARCH, StoreCapability.PERSISTENCE, StoreCapability.SCAN,
            StoreCapability.READ_VECTORS);

    private final SharedClient shared;
    private final EngineClient client;
    private final Dialect dialect;
    private final Calls calls;
    private final String target;
    private final int dimension;
    private final IndexOptions options;
    private final int version;
    private volatile boolean closed;

    private EngineVectorStore(SharedClient shared, Dialect dialect, Calls calls, String target, int dimension,
                              IndexOptions options, int version) {
        this.shared = shared;
        this.client = shared.client();
        this.dialect = dialect;
        this.calls = calls;
        this.target = target;
        this.dimension = dimension;
        this.options = options;
        this.version = version;
    }

    /**
     * Opens the store on {@code target} (an index, or an alias of one index), creating the index with the
     * store's mapping when it is absent and {@code create} is true, and refusing an existing one whose
     * mapping disagrees with {@code dimension} and {@code options}. Takes over {@code shared}'s hold: the store
     * releases it when closed, also when the open fails.
     *
     * @param version the version number written into each chunk (0 for an unversioned index)
     */
    public static EngineVectorStore open(SharedClient shared, Dialect dialect, Calls calls, String target,
                                         int dimension, IndexOptions options, int version, boolean create) {
        EngineVectorStore store = new EngineVectorStore(shared, dialect, calls, target, dimension, options, version);
        try {
            store.prepare(create);
            return store;
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    private void prepare(boolean create) {
        if (dimension < 1) {
            throw new InvalidInputException(dialect.backend() + " store dimension was " + dimension
                    + " but it must be >= 1");
        }
        boolean exists = calls.run("check whether index '" + target + "' exists", () -> client.exists(target));
        if (!exists) {
            if (!create) {
                throw calls.missingIndex(target, "create it with the store (leave create-index on) or fix the index"
                        + " name");
            }
            ObjectNode body = IndexMapping.createBody(dialect, dimension, options);
            try {
                calls.run("create index '" + target + "'", () -> client.createIndex(target, body));
            } catch (RagBackendException e) {
                // Another process may have created it meanwhile; then its mapping is checked below.
                if (!(e.getCause() instanceof EngineException ee) || !"resource_already_exists_exception"
                        .equals(ee.errorType())) {
                    throw e;
                }
            }
        }
        JsonNode mappings = calls.run("read the mapping of '" + target + "'", () -> client.mapping(target));
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mappings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> index = it.next();
            problems.addAll(IndexMapping.problems(index.getKey(), index.getValue().path("mappings"), dialect,
                    dimension, options));
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
    }

    @Override
    public String name() {
        return dialect.backend();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return CAPABILITIES;
    }

    /** The index or alias this store reads and writes. */
    public String target() {
        return target;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        List<EngineClient.BulkOperation> operations = new ArrayList<>(chunks.size());
        Set<String> ids = new HashSet<>();
        // Everything is checked before the first request, so bad input writes nothing.
        for (EmbeddedChunk c : chunks) {
            float[] vector = c.vector();
            Vectors.requireDimension("chunk '" + c.id() + "' vector", vector, dimension);
            if (!ids.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one upsert batch");
            }
            requireIdFits(c.id());
            // Stored at unit length, as the memory and FAISS stores keep them (cosine ignores the length), so a
            // vector read back is the same in every store; a zero vector has no direction and is refused.
            EmbeddedChunk unit = new EmbeddedChunk(c.chunk(), Vectors.normalised("chunk '" + c.id() + "' vector",
                    vector));
            operations.add(new EngineClient.IndexOperation(target, c.id(), ChunkDocuments.toDocument(unit, version)));
        }
        ensureOpen();
        if (operations.isEmpty()) {
            return;
        }
        runBulk("write", operations);
    }

    private void requireIdFits(String id) {
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            throw new InvalidInputException("chunk id '" + id.substring(0, 40) + "...' is " + bytes
                    + " bytes long in UTF-8 but " + dialect.product() + " document ids hold at most " + MAX_ID_BYTES);
        }
    }

    /** Sends the operations in bulks, retrying rejected items; throws naming the ids that still failed. */
    private void runBulk(String verb, List<EngineClient.BulkOperation> operations) {
        Map<String, String> failed = new LinkedHashMap<>();
        int done = 0;
        for (int from = 0; from < operations.size(); from += options.bulkSize()) {
            List<EngineClient.BulkOperation> batch = operations.subList(from,
                    Math.min(operations.size(), from + options.bulkSize()));
            try {
                failed.putAll(bulkWithItemRetries(verb, batch));
            } catch (RagBackendException e) {
                throw new RagBackendException(e.backend(), e.retriable(), e.detail() + ". " + progress(verb, done,
                        operations.size(), failed) + "; rerunning the same call is safe", e.getCause());
            }
            done += batch.size();
        }
        if (options.refreshAfterWrite()) {
            refresh();
        }
        if (!failed.isEmpty()) {
            StringBuilder which = new StringBuilder();
            int shown = 0;
            for (Map.Entry<String, String> e : failed.entrySet()) {
                if (shown++ == 20) {
                    which.append(", and ").append(failed.size() - 20).append(" more");
                    break;
                }
                which.append(shown > 1 ? ", " : "").append(e.getKey()).append(" (").append(e.getValue()).append(')');
            }
            throw RagBackendException.permanent(dialect.backend(), "index '" + target + "' refused to " + verb + " "
                    + failed.size() + " of " + operations.size() + " chunks: " + which
                    + "; the others were written, and rerunning the same call is safe", null);
        }
    }

    private static String progress(String verb, int done, int total, Map<String, String> failed) {
        return "Before it, " + (done - failed.size()) + " of " + total + " chunks had been " + (verb.equals("write")
                ? "written" : "deleted");
    }

    /** One bulk; items rejected with a retriable status are sent again; the ids that failed, with why. */
    private Map<String, String> bulkWithItemRetries(String verb, List<EngineClient.BulkOperation> batch) {
        List<EngineClient.BulkOperation> pending = batch;
        Map<String, String> failed = new LinkedHashMap<>();
        for (int attempt = 0; ; attempt++) {
            List<EngineClient.BulkOperation> send = pending;
            List<EngineClient.BulkItem> items = calls.run(verb + " " + send.size() + " chunks in index '" + target
                    + "'", () -> client.bulk(send));
            List<EngineClient.BulkOperation> retry = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                EngineClient.BulkItem item = items.get(i);
                if (!item.failed() || send.get(i) instanceof EngineClient.DeleteOperation && item.status() == 404) {
                    failed.remove(item.id());
                    continue;
                }
                if (item.status() == 404 && "index_not_found_exception".equals(item.errorType())) {
                    throw calls.missingIndex(target, "it was deleted while the store was open");
                }
                failed.put(item.id(), item.status() + " " + item.errorType() + ": " + item.errorReason());
                if (item.status() == 429 || item.status() == 502 || item.status() == 503 || item.status() == 504) {
                    retry.add(send.get(i));
                }
            }
            if (retry.isEmpty() || attempt >= calls.retries()) {
                return failed;
            }
            calls.sleep(calls.backoffMillis(attempt), verb + " chunks in index '" + target + "'",
                    EngineException.status(429, "bulk_item_rejected", failed.size() + " items rejected", null));
            pending = retry;
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        ensureOpen();
        ObjectNode filter = request.filter().map(FilterTranslator::translate).orElse(null);
        int topK = Math.min(request.topK(), MAX_TOP_K);
        if (request.isDense()) {
            float[] query = request.vector().orElseThrow();
            Vectors.requireDimension("query vector", query, dimension);
            Vectors.normalised("query vector", query);
            int candidates = Math.min(MAX_TOP_K, Math.max(options.numCandidates(), topK));
            // Each shard keeps all its candidates (k = num_candidates), and the server ranks them by score, then
            // chunk id: equal scores at the cut at topK are ordered by id, not by whichever the graph met first.
            ObjectNode body = searchBody(topK, dialect.knnQuery(query, candidates, candidates, filter, options));
            List<SearchHit> hits = new ArrayList<>();
            boolean reachedZero = false;
            for (EngineClient.Hit hit : runSearch(body)) {
                double score = Vectors.cosineScore(dialect.cosine(hit.score()));
                if (score == 0) {
                    reachedZero = true;
                } else if (score >= request.minScore()) {
                    hits.add(new SearchHit(ChunkDocuments.toChunk(hit.source()), score));
                }
            }
            if (reachedZero && request.minScore() == 0) {
                hits.addAll(zeroScoreHits(hits, filter, topK - hits.size()));
            }
            return hits;
        }
        String text = TextAnalyzer.fold(request.text().orElseThrow());
        double best = bestAttainableBm25(text);
        if (best <= 0) {
            return List.of();
        }
        ObjectNode bool = Json.object();
        bool.set("must", Json.object("match", Json.object(IndexFields.TEXT_SEARCH, Json.object().put("query", text))));
        if (filter != null) {
            bool.set("filter", filter);
        }
        List<SearchHit> hits = new ArrayList<>();
        for (EngineClient.Hit hit : runSearch(searchBody(topK, Json.object("bool", bool)))) {
            double score = Math.min(1.0, Math.max(0.0, hit.score() / best));
            if (score >= request.minScore()) {
                hits.add(new SearchHit(ChunkDocuments.toChunk(hit.source()), score));
            }
        }
        return hits;
    }

    /**
     * The hits that fill a dense result past its last positive score. Opposite or orthogonal vectors all
     * score 0 once clamped, so they are ordered by chunk id, not by the server's raw (negative) cosine: they
     * are the matching chunks not among the positive hits (every chunk with a positive cosine ranks before the
     * first one that has none), taken in chunk id order.
     */
    private List<SearchHit> zeroScoreHits(List<SearchHit> positive, ObjectNode filter, int wanted) {
        if (wanted <= 0) {
            return List.of();
        }
        ObjectNode bool = Json.object();
        if (filter != null) {
            bool.set("filter", filter);
        }
        if (!positive.isEmpty()) {
            ArrayNode ids = Json.array();
            positive.forEach(h -> ids.add(h.id()));
            bool.set("must_not", Json.object("ids", Json.object("values", ids)));
        }
        ObjectNode body = Json.object();
        body.put("size", wanted);
        body.set("query", Json.object("bool", bool));
        body.putArray("sort").add(Json.object(IndexFields.CHUNK_ID, Json.object().put("order", "asc")));
        body.set("_source", chunkSource());
        List<SearchHit> zeros = new ArrayList<>();
        for (EngineClient.Hit hit : runSearch(body)) {
            zeros.add(new SearchHit(ChunkDocuments.toChunk(hit.source()), 0.0));
        }
        return zeros;
    }

    /** The source filter of searches and scans: what a chunk is rebuilt from, no vector (IndexFields.NOT_READ). */
    private static ObjectNode chunkSource() {
        ArrayNode excludes = Json.array();
        IndexFields.NOT_READ.forEach(excludes::add);
        return Json.object("excludes", excludes);
    }

    /** A search body ranking by score, then chunk id, without the vectors in the answer. */
    private ObjectNode searchBody(int size, ObjectNode query) {
        ObjectNode body = Json.object();
        body.put("size", size);
        body.set("query", query);
        body.put("track_scores", true);
        ArrayNode sort = body.putArray("sort");
        sort.add(Json.object("_score", Json.object().put("order", "desc")));
        sort.add(Json.object(IndexFields.CHUNK_ID, Json.object().put("order", "asc")));
        body.set("_source", chunkSource());
        return body;
    }

    private List<EngineClient.Hit> runSearch(ObjectNode body) {
        try {
            return calls.run("search index '" + target + "'", () -> client.search(target, body)).hits();
        } catch (RagBackendException e) {
            throw missingIndexOr(e);
        }
    }

    /**
     * The highest BM25 score {@code text} can reach in this index: each analysed term's IDF (Lucene's BM25
     * without the {@code k1 + 1} factor, as both servers score), times its count in the text.
     */
    private double bestAttainableBm25(String text) {
        EngineClient.TermStatistics stats;
        try {
            stats = calls.run("read term statistics of index '" + target + "'",
                    () -> client.termStatistics(target, IndexFields.TEXT_SEARCH, text));
        } catch (RagBackendException e) {
            throw missingIndexOr(e);
        }
        if (stats.docCount() == 0) {
            return 0;
        }
        double best = 0;
        for (EngineClient.TermStat t : stats.terms()) {
            double n = t.docFreq();
            best += t.freqInText() * Math.log(1 + (stats.docCount() - n + 0.5) / (n + 0.5));
        }
        return best;
    }

    private RuntimeException missingIndexOr(RagBackendException e) {
        if (e.getCause() instanceof EngineException ee && ee.indexMissing()) {
            return calls.missingIndex(target, "it was deleted, or the alias moved to nothing, while the store was"
                    + " open");
        }
        return e;
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        ensureOpen();
        return fetch(ids, IndexFields.NOT_READ, ChunkDocuments::toChunk);
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        ensureOpen();
        return fetch(ids, IndexFields.NOT_READ_WITH_VECTOR, ChunkDocuments::toEmbedded);
    }

    private <T> List<T> fetch(Collection<String> ids, List<String> excludes,
                              java.util.function.Function<JsonNode, T> decode) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        Map<String, T> found = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += GET_BATCH) {
            List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + GET_BATCH));
            List<EngineClient.Document> docs;
            try {
                docs = calls.run("read " + batch.size() + " chunks of index '" + target + "'",
                        () -> client.multiGet(target, batch, excludes));
            } catch (RagBackendException e) {
                throw missingIndexOr(e);
            }
            for (EngineClient.Document doc : docs) {
                found.put(doc.id(), decode.apply(doc.source()));
            }
        }
        List<T> out = new ArrayList<>();
        for (String id : ids) {
            T value = found.get(id);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    @Override
    public void delete(Collection<String> ids) {
        List<EngineClient.BulkOperation> operations = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            operations.add(new EngineClient.DeleteOperation(target, id));
        }
        ensureOpen();
        if (!operations.isEmpty()) {
            runBulk("delete", operations);
        }
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        ObjectNode query = filter == null ? Json.object("match_all", Json.object()) : FilterTranslator.translate(filter);
        ScanCursor position = cursor == null ? null : ScanCursor.decode(cursor);
        ensureOpen();
        int size = Math.min(limit, MAX_TOP_K - 1) + 1;
        String pit = position != null ? position.pit() : openPit();
        String after = position != null ? position.after() : null;
        EngineClient.SearchResult result;
        try {
            result = scanPage(pit, after, query, size);
        } catch (RagBackendException e) {
            if (!(e.getCause() instanceof EngineException ee) || ee.status() != 404 || ee.indexMissing()) {
                throw missingIndexOr(e);
            }
            // The point in time expired between two pages: continue after the same id on a new one.
            pit = openPit();
            result = scanPage(pit, after, query, size);
        }
        pit = result.pitId() != null ? result.pitId() : pit;
        List<EngineClient.Hit> hits = result.hits();
        int kept = Math.min(hits.size(), size - 1);
        List<Chunk> chunks = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            chunks.add(ChunkDocuments.toChunk(hits.get(i).source()));
        }
        if (hits.size() < size) {
            closePit(pit);
            return new ScanPage(chunks, Optional.empty());
        }
        String last = chunks.get(chunks.size() - 1).id();
        return new ScanPage(chunks, Optional.of(new ScanCursor(pit, last).encode()));
    }

    private EngineClient.SearchResult scanPage(String pit, String after, ObjectNode query, int size) {
        ObjectNode body = Json.object();
        body.put("size", size);
        body.set("query", query);
        body.set("pit", Json.object().put("id", pit).put("keep_alive", PIT_KEEP_ALIVE));
        body.putArray("sort").add(Json.object(IndexFields.CHUNK_ID, Json.object().put("order", "asc")));
        if (after != null) {
            body.putArray("search_after").add(after);
        }
        body.set("_source", chunkSource());
        return calls.run("scan index '" + target + "'", () -> client.search(null, body));
    }

    private String openPit() {
        try {
            return calls.run("open a point in time on index '" + target + "'",
                    () -> client.openPointInTime(target, PIT_KEEP_ALIVE));
        } catch (RagBackendException e) {
            throw missingIndexOr(e);
        }
    }

    private void closePit(String pit) {
        try {
            client.closePointInTime(pit);
        } catch (EngineException e) {
            // It expires by itself within the keep-alive; a failed close costs nothing more.
        }
    }

    @Override
    public long count() {
        ensureOpen();
        try {
            return calls.run("count the chunks of index '" + target + "'", () -> client.count(target, null));
        } catch (RagBackendException e) {
            throw missingIndexOr(e);
        }
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        ensureOpen();
        JsonNode mappings = calls.run("read the mapping of '" + target + "'", () -> client.mapping(target));
        for (Iterator<JsonNode> it = mappings.elements(); it.hasNext(); ) {
            JsonNode info = it.next().path("mappings").path("_meta").path(IndexMapping.META_INDEX_INFO);
            if (info.isObject()) {
                Map<String, String> map = new LinkedHashMap<>();
                info.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
                return IndexInfo.fromMap(map);
            }
        }
        return Optional.empty();
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        java.util.Objects.requireNonNull(info, "info");
        ensureOpen();
        ObjectNode meta = Json.object().put(IndexMapping.META_FORMAT, IndexMapping.FORMAT);
        ObjectNode recorded = meta.putObject(IndexMapping.META_INDEX_INFO);
        info.toMap().forEach(recorded::put);
        // _meta is replaced whole by a mapping update, so the layout marker is written again with it.
        calls.run("record what built index '" + target + "'",
                () -> client.putMapping(target, Json.object("_meta", meta)));
    }

    @Override
    public void flush() {
        ensureOpen();
        refresh();
    }

    private void refresh() {
        try {
            calls.run("refresh index '" + target + "'", () -> client.refresh(target));
        } catch (RagBackendException e) {
            throw missingIndexOr(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shared.release();
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException(dialect.backend() + " store on index '" + target + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "EngineVectorStore[" + dialect.backend() + ", target=" + target + ", dimension=" + dimension + ", on "
                + client.describe() + "]";
    }

    /** Where a scan stands: its point in time and the last chunk id returned. */
    record ScanCursor(String pit, String after) {
        String encode() {
            ObjectNode node = Json.object().put("pit", pit).put("after", after);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
        }

        static ScanCursor decode(String cursor) {
            try {
                JsonNode node = Json.read(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
                if (node.path("pit").isTextual() && node.path("after").isTextual()) {
                    return new ScanCursor(node.get("pit").asText(), node.get("after").asText());
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new InvalidInputException("scan cursor '" + cursor + "' was not made by this store's scan");
        }
    }
}
