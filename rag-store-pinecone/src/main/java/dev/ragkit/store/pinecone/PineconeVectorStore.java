package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link VectorStore} over one namespace of a Pinecone index, through Pinecone's REST API 2026-04.
 *
 * <p>Declares {@link StoreCapability#FILTER} in part ({@link #filterSupport()}): every operator on strings,
 * numbers and booleans, sent as Pinecone metadata filters, except ranges on strings and negated ranges,
 * which Pinecone cannot express exactly and which a search refuses with
 * {@link UnsupportedCapabilityException} before sending anything. Declares {@link StoreCapability#DELETE},
 * {@link StoreCapability#SCAN} (Pinecone's {@code list} then {@code fetch}; a scan filter, any filter, is
 * evaluated by Ragkit on the fetched chunks, exactly), {@link StoreCapability#PERSISTENCE} and
 * {@link StoreCapability#READ_VECTORS}. Not {@link StoreCapability#KEYWORD_SEARCH}: dense indexes have no
 * BM25 (the core's sidecar adds it).
 *
 * <p>A batch is upserted in requests of at most {@link Builder#batchSize} records, each retried on
 * transient failures; if one still fails, the exception names the chunks that were written and those
 * that were not. Reads reflect Pinecone's freshness: a real serverless index may take a few seconds to
 * show a write in queries, lists and counts.
 */
public final class PineconeVectorStore implements VectorStore {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024 - 64 * 1024;
    /** Pinecone answers at most this many matches per query. */
    private static final int MAX_TOP_K = 10_000;
    /** Extra matches asked for, so that ties at the cut are broken by id here, as the contract says. */
    private static final int TIE_MARGIN = 16;

    private final PineconeIndex index;
    private final String namespace;
    private final RecordCodec codec;
    private final int batchSize;
    private final Set<StoreCapability> capabilities = Set.copyOf(EnumSet.of(StoreCapability.FILTER,
            StoreCapability.DELETE, StoreCapability.SCAN, StoreCapability.PERSISTENCE, StoreCapability.READ_VECTORS));
    private volatile boolean closed;
    private volatile Optional<IndexInfo> indexInfo;

    PineconeVectorStore(PineconeIndex index, String namespace, int batchSize) {
        this.index = index;
        this.namespace = requireNamespace(namespace);
        this.codec = new RecordCodec(index.http().json());
        this.batchSize = batchSize;
    }

    static String requireNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new InvalidInputException("Pinecone namespace was '" + namespace + "' but it must be 1-200 "
                    + "characters of letters, digits, '.', '_' or '-'");
        }
        if (namespace.equals(PineconeIndex.META_NAMESPACE)) {
            throw new InvalidInputException("Pinecone namespace '" + namespace + "' is reserved for Ragkit's own "
                    + "records: choose another rag.store.pinecone.namespace");
        }
        return namespace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The index this store writes to. */
    public String index() {
        return index.name();
    }

    /** The namespace this store writes to. */
    public String namespace() {
        return namespace;
    }

    @Override
    public String name() {
        return "pinecone";
    }

    @Override
    public int dimension() {
        return index.dimension();
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return capabilities;
    }

    /** Every operator on strings, numbers and booleans, except ranges on strings and negated ranges. */
    @Override
    public FilterSupport filterSupport() {
        return PineconeFilter.SUPPORT;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        requireOpen();
        Objects.requireNonNull(chunks, "chunks");
        // Everything is checked and encoded before the first request, so bad input writes nothing.
        Set<String> seen = new HashSet<>();
        List<ObjectNode> records = new ArrayList<>(chunks.size());
        for (EmbeddedChunk chunk : chunks) {
            Objects.requireNonNull(chunk, "chunk");
            if (chunk.dimension() != dimension()) {
                throw new InvalidInputException("chunk '" + chunk.id() + "' vector has dimension " + chunk.dimension()
                        + " but Pinecone index '" + index.name() + "' has dimension " + dimension());
            }
            if (!seen.add(chunk.id())) {
                throw new InvalidInputException("chunk id '" + chunk.id() + "' appears twice in one upsert batch");
            }
            records.add(codec.encode(chunk));
        }
        List<String> written = new ArrayList<>();
        for (List<ObjectNode> batch : batches(records)) {
            ArrayNode array = index.http().json().createArrayNode();
            batch.forEach(array::add);
            List<String> ids = batch.stream().map(r -> r.path("id").asText()).toList();
            try {
                int upserted = index.upsert(namespace, array);
                if (upserted != batch.size()) {
                    throw RagBackendException.permanent(PineconeHttp.BACKEND, "Pinecone reported " + upserted
                            + " records upserted for a request of " + batch.size(), null);
                }
            } catch (RagBackendException e) {
                throw partialFailure(e, written, chunks.stream().map(EmbeddedChunk::id)
                        .filter(id -> !written.contains(id)).toList());
            }
            written.addAll(ids);
        }
    }

    private RagBackendException partialFailure(RagBackendException cause, List<String> written, List<String> failed) {
        String message = "upsert into index '" + index.name() + "' namespace '" + namespace + "' failed: "
                + cause.detail() + ". Not written (" + failed.size() + "): " + abbreviate(failed)
                + (written.isEmpty() ? "; nothing was written" : "; written before the failure (" + written.size()
                + "): " + abbreviate(written)) + ". Upserting the whole batch again is safe";
        return new RagBackendException(PineconeHttp.BACKEND, cause.retriable(), message, cause);
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 20 ? ids.toString() : ids.subList(0, 20) + " and " + (ids.size() - 20) + " more";
    }

    /** Requests of at most batchSize records and about 2 MB, Pinecone's request limit. */
    private List<List<ObjectNode>> batches(List<ObjectNode> records) {
        List<List<ObjectNode>> batches = new ArrayList<>();
        List<ObjectNode> current = new ArrayList<>();
        long bytes = 0;
        for (ObjectNode record : records) {
            long size = record.toString().getBytes(StandardCharsets.UTF_8).length;
            if (!current.isEmpty() && (current.size() == batchSize || bytes + size > MAX_REQUEST_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(record);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        requireOpen();
        Objects.requireNonNull(request, "request");
        if (!request.isDense()) {
            throw new UnsupportedCapabilityException(name(), StoreCapability.KEYWORD_SEARCH);
        }
        // Translated (or refused) before anything is sent.
        PineconeFilter.Translation filter = request.filter()
                .map(f -> PineconeFilter.translate(f, index.http().json(), name()))
                .orElse(new PineconeFilter.Translation(null, false));
        float[] vector = request.vector().orElseThrow();
        if (vector.length != dimension()) {
            throw new InvalidInputException("query vector has dimension " + vector.length + " but Pinecone index '"
                    + index.name() + "' has dimension " + dimension());
        }
        if (Arrays2.isZero(vector) || filter.matchesNothing()) {
            // Cosine with a zero vector is undefined; Pinecone refuses it, other stores score it 0.
            return List.of();
        }
        int asked = Math.min(MAX_TOP_K, request.topK() + TIE_MARGIN);
        JsonNode answer = index.query(namespace, vector, asked, filter.expression());
        List<SearchHit> hits = new ArrayList<>();
        for (JsonNode match : answer.path("matches")) {
            double score = Math.max(0, Math.min(1, match.path("score").asDouble()));
            if (score >= request.minScore()) {
                hits.add(new SearchHit(codec.decodeChunk(index.name(), match), score));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id));
        return List.copyOf(hits.subList(0, Math.min(request.topK(), hits.size())));
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        return getEmbedded(ids).stream().map(EmbeddedChunk::chunk).toList();
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        requireOpen();
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, EmbeddedChunk> byId = new HashMap<>();
        for (JsonNode record : index.fetch(namespace, new java.util.LinkedHashSet<>(ids))) {
            Chunk chunk = codec.decodeChunk(index.name(), record);
            byId.put(chunk.id(), new EmbeddedChunk(chunk, RecordCodec.decodeVector(index.name(), record)));
        }
        List<EmbeddedChunk> out = new ArrayList<>();
        for (String id : ids) {
            EmbeddedChunk found = byId.get(id);
            if (found != null) {
                out.add(found);
            }
        }
        return out;
    }

    @Override
    public void delete(Collection<String> ids) {
        requireOpen();
        Objects.requireNonNull(ids, "ids");
        if (!ids.isEmpty()) {
            index.delete(namespace, new java.util.LinkedHashSet<>(ids));
        }
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        requireOpen();
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        PineconeIndex.IdPage page = index.list(namespace, cursor, limit);
        Map<String, Chunk> byId = new LinkedHashMap<>();
        if (!page.ids().isEmpty()) {
            for (JsonNode record : index.fetch(namespace, page.ids())) {
                Chunk chunk = codec.decodeChunk(index.name(), record);
                byId.put(chunk.id(), chunk);
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        for (String id : page.ids()) {
            Chunk chunk = byId.get(id);
            // A listed id may be gone by the fetch (deleted meanwhile): skipped, like an unknown id in get.
            if (chunk != null && (filter == null || filter.test(chunk))) {
                chunks.add(chunk);
            }
        }
        return new ScanPage(chunks, Optional.ofNullable(page.next()));
    }

    @Override
    public long count() {
        requireOpen();
        return index.count(namespace);
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        requireOpen();
        Optional<IndexInfo> known = indexInfo;
        if (known == null) {
            known = index.readMeta(infoId()).flatMap(node -> {
                Map<String, String> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
                return IndexInfo.fromMap(map);
            });
            indexInfo = known;
        }
        return known;
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        requireOpen();
        Objects.requireNonNull(info, "info");
        ObjectNode node = index.http().json().createObjectNode();
        info.toMap().forEach(node::put);
        index.writeMeta(infoId(), node);
        indexInfo = Optional.of(info);
    }

    /** One index-info record per namespace, in Ragkit's reserved namespace (so it is never searched or counted). */
    private String infoId() {
        return "index-info:" + namespace;
    }

    @Override
    public void flush() {
        requireOpen();
        // Every write was acknowledged by Pinecone, which keeps it durably: nothing is buffered here.
    }

    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new RagException("Pinecone store for index '" + index.name() + "' namespace '" + namespace
                    + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "PineconeVectorStore[index " + index.name() + ", namespace " + namespace + "]";
    }

    /** Zero checks without a dependency. */
    private static final class Arrays2 {
        static boolean isZero(float[] vector) {
            for (float v : vector) {
                if (v != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Configures a store. Required: {@link #apiKey}, {@link #index}, {@link #dimension}. The index is
     * created on first use (serverless in {@link #cloud}/{@link #region}, or pod-based when
     * {@link #environment} is set) unless {@link #create create(false)}.
     */
    public static final class Builder {
        private String apiKey;
        private String index;
        private String namespace = "ragkit";
        private int dimension;
        private URI controlPlane = URI.create("https://api.pinecone.io");
        private URI host;
        private String cloud = "aws";
        private String region = "us-east-1";
        private String environment;
        private String podType = "p1.x1";
        private boolean create = true;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 4;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration readyTimeout = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofSeconds(2);
        private int batchSize = 100;
        private PineconeHttp.Sleeper sleeper = d -> Thread.sleep(d.toMillis());

        private Builder() {
        }

        /** The project's API key, sent as {@code Api-Key}; never logged. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The index's name: 1-45 lowercase letters, digits or '-'. */
        public Builder index(String index) {
            this.index = index;
            return this;
        }

        /** The namespace this store reads and writes (default {@code ragkit}). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** The control plane (default {@code https://api.pinecone.io}); tests point it at a stub. */
        public Builder controlPlane(URI controlPlane) {
            this.controlPlane = controlPlane;
            return this;
        }

        /** The index's data-plane host, instead of the one the control plane describes (null: described). */
        public Builder host(URI host) {
            this.host = host;
            return this;
        }

        /** Serverless cloud for a created index: aws, gcp or azure (default aws). */
        public Builder cloud(String cloud) {
            this.cloud = cloud;
            return this;
        }

        /** Serverless region for a created index (default us-east-1). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Pod environment: when set, a created index is pod-based there instead of serverless. */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Pod type of a created pod-based index (default p1.x1). */
        public Builder podType(String podType) {
            this.podType = podType;
            return this;
        }

        /** Whether a missing index is created (default true). */
        public Builder create(boolean create) {
            this.create = create;
            return this;
        }

        /** Timeout of each HTTP request and of connecting (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Retries of a request after 429, 5xx, a timeout or a broken connection (default 4). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** First backoff, doubled per retry up to 20 s, when the server sends no Retry-After (default 250 ms). */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** How long to wait for a created index to become ready (default 5 min). */
        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        /** How often to ask whether a created index is ready (default 2 s). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** Records per upsert request, 1 to 1000 (default 100). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How retries wait; tests record the waits instead. */
        Builder sleeper(PineconeHttp.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /** Opens the index (creating it when allowed and absent) and returns a store over the namespace. */
        public PineconeVectorStore build() {
            Settings settings = settings(true);
            PineconeIndex opened = settings.openIndex(dimension);
            return new PineconeVectorStore(opened, namespace, batchSize);
        }

        /**
         * A versioned index named {@code name} in this builder's index: each version is namespace
         * {@code <name>-v<N>}, and the alias with the versions' records is one Ragkit record in the index's
         * reserved namespace. The index is opened (or created) with the first version's dimension, or with
         * {@link #dimension} when properties are written before any version exists (0: not allowed then).
         */
        public VersionedIndex versionedIndex(String name) {
            return new PineconeVersionedIndex(settings(false), name, batchSize, dimension);
        }

        private Settings settings(boolean needsDimension) {
            List<String> problems = new ArrayList<>();
            if (apiKey == null || apiKey.isBlank()) {
                problems.add("the API key is missing (rag.store.pinecone.api-key, PINECONE_API_KEY)");
            }
            if (index == null || !index.matches("[a-z0-9]([a-z0-9-]{0,43}[a-z0-9])?")) {
                problems.add("index was '" + index + "' but it must be 1-45 lowercase letters, digits or '-', "
                        + "starting and ending with a letter or digit");
            }
            if ((needsDimension || dimension != 0) && (dimension < 1 || dimension > 20_000)) {
                problems.add("dimension was " + dimension + " but Pinecone allows 1 to 20000");
            }
            if (batchSize < 1 || batchSize > 1000) {
                problems.add("batch size was " + batchSize + " but Pinecone allows 1 to 1000 records per upsert");
            }
            if (maxRetries < 0) {
                problems.add("max retries was " + maxRetries + " but it must be >= 0");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                problems.add("timeout was " + timeout + " but it must be positive");
            }
            try {
                requireNamespace(namespace);
            } catch (InvalidInputException e) {
                problems.add(e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException("Pinecone store: " + String.join("; ", problems));
            }
            PineconeHttp http = new PineconeHttp(new ObjectMapper(), apiKey, timeout, maxRetries, initialBackoff,
                    sleeper);
            PineconeIndex.Creation creation = new PineconeIndex.Creation(create, cloud, region, environment, podType,
                    readyTimeout, pollInterval);
            return new Settings(http, controlPlane, index, creation, host);
        }
    }

    /** What opening the index needs, checked. */
    record Settings(PineconeHttp http, URI controlPlane, String index, PineconeIndex.Creation creation, URI host) {
        PineconeIndex openIndex(int dimension) {
            return PineconeIndex.open(http, controlPlane, index, dimension, creation, host);
        }
    }
}
