package dev.ragkit.store.redisearch;

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
import dev.ragkit.core.store.ChunkCodec;
import dev.ragkit.core.text.Diacritics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A {@link VectorStore} on the Redis query engine (RediSearch 2.10+, Redis Stack, Redis 8): each chunk is a
 * HASH under the index's key prefix, indexed by {@code FT.CREATE ... ON HASH PREFIX} with an HNSW vector
 * field (FLOAT32, COSINE), a TEXT field for BM25 keyword search and, for every metadata key declared in
 * {@link Builder#fields}, a TAG and a NUMERIC attribute that filters are translated to (see
 * {@link FilterQuery}: every {@link Filter} operator with the core's exact semantics).
 *
 * <p>Writes are one {@code MULTI}/{@code EXEC} per batch (pipelined, all-or-nothing), retried with backoff
 * after a lost connection; dense search is one {@code FT.SEARCH} KNN query with {@code DIALECT 2}, the
 * filter applied before the nearest-neighbour search; keyword search is {@code FT.SEARCH} with the BM25
 * scorer. The store can serve an index through an alias: searches and counts then follow the alias.
 */
public final class RediSearchVectorStore implements VectorStore {
    /** Metadata keys usable as fields: they become attribute names in queries. */
    static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** The most hits one search may ask for (the engine's default MAXSEARCHRESULTS). */
    static final int MAX_TOP_K = 10_000;
    private static final Set<StoreCapability> CAPABILITIES = Set.copyOf(EnumSet.of(StoreCapability.FILTER,
            StoreCapability.DELETE, StoreCapability.KEYWORD_SEARCH, StoreCapability.PERSISTENCE, StoreCapability.SCAN,
            StoreCapability.READ_VECTORS));
    /** BM25STD's constants (RediSearch src/ext/default.c), for the upper bound that scales scores to [0, 1]. */
    private static final double BM25_K1 = 1.2;
    /** RediSearch's default word separators: a query is split where the indexer splits text. */
    private static final String SEPARATORS = ",.<>{}[]\"':;!@#$%^&*()-+=~|/\\`?";

    private static final byte[] CHUNK = Ft.bytes("_chunk");
    private static final byte[] VECTOR = Ft.bytes("vec");
    private static final byte[] BODY = Ft.bytes("body");
    private static final byte[] DOC = Ft.bytes("doc");

    private final RedisConnection connection;
    private final boolean ownsConnection;
    private final String indexName;
    private final String keyPrefix;
    private final int dimension;
    private final Set<String> fields;
    private volatile int efRuntime;
    private final FilterQuery filters;
    private final String infoKey;
    private final boolean prefixGiven;
    /** Set when {@link #indexName} turned out to be an alias: keys then follow the index it points at. */
    private volatile boolean aliased;
    private volatile boolean closed;

    private RediSearchVectorStore(Builder b, RedisConnection connection, boolean ownsConnection) {
        this.connection = connection;
        this.ownsConnection = ownsConnection;
        this.indexName = b.index;
        this.prefixGiven = b.keyPrefixGiven;
        this.keyPrefix = b.keyPrefix;
        this.dimension = b.dimension;
        this.fields = Set.copyOf(b.fields);
        this.efRuntime = b.efRuntime;
        this.infoKey = "ragkit:info:" + b.index;
        this.filters = new FilterQuery(fields, indexName, this::tagValues);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a store; {@link #build()} connects, and creates the index when it does not exist. */
    public static final class Builder {
        private String url = "redis://localhost:6379";
        private String user;
        private String password;
        private String index = "ragkit";
        private String keyPrefix;
        private boolean keyPrefixGiven;
        private int dimension;
        private final Set<String> fields = new LinkedHashSet<>();
        private String language = "english";
        private int m = 16;
        private int efConstruction = 200;
        private int efRuntime = 100;
        private int poolSize = 8;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(10);
        private int retries = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private boolean create = true;

        private Builder() {
        }

        /** An independent copy of these settings. */
        Builder copy() {
            Builder b = new Builder();
            b.url = url;
            b.user = user;
            b.password = password;
            b.index = index;
            b.keyPrefix = keyPrefix;
            b.keyPrefixGiven = keyPrefixGiven;
            b.dimension = dimension;
            b.fields.addAll(fields);
            b.language = language;
            b.m = m;
            b.efConstruction = efConstruction;
            b.efRuntime = efRuntime;
            b.poolSize = poolSize;
            b.connectTimeout = connectTimeout;
            b.socketTimeout = socketTimeout;
            b.retries = retries;
            b.retryBackoff = retryBackoff;
            b.create = create;
            return b;
        }

        /** {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** ACL user (default: the URL's, else the server's default user). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Password (default: the URL's); never logged. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The FT index name (or an alias of one); also names the default key prefix {@code doc:<index>:}. */
        public Builder index(String index) {
            this.index = index;
            return this;
        }

        /** Key prefix of the chunk hashes (default {@code doc:<index>:}). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            this.keyPrefixGiven = keyPrefix != null;
            return this;
        }

        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Metadata keys that filters may use: each gets a TAG and a NUMERIC attribute. */
        public Builder fields(Collection<String> fields) {
            this.fields.clear();
            this.fields.addAll(fields);
            return this;
        }

        /** Stemming language of the TEXT field: {@code english} (default) or {@code french}. */
        public Builder language(String language) {
            this.language = language;
            return this;
        }

        /** HNSW graph degree (default 16). */
        public Builder m(int m) {
            this.m = m;
            return this;
        }

        /** HNSW build-time candidate list (default 200). */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /** HNSW query-time candidate list (default 100); at least topK is used. */
        public Builder efRuntime(int efRuntime) {
            this.efRuntime = efRuntime;
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /** Retries after a lost connection (default 3), waiting {@link #retryBackoff} then doubling. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** Whether {@link #build()} creates a missing index (default true); false fails instead. */
        public Builder create(boolean create) {
            this.create = create;
            return this;
        }

        /** Every problem of these settings, in words; empty when they are usable. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            String urlProblem = RedisConnection.urlProblem(url);
            if (urlProblem != null) {
                problems.add("rag.store.redisearch.url was '" + RedisConnection.redact(String.valueOf(url)) + "' but it "
                        + urlProblem);
            }
            if (index == null || index.isBlank() || index.chars().anyMatch(Character::isWhitespace)) {
                problems.add("rag.store.redisearch.index was '" + index + "' but it must be a name without spaces");
            }
            if (dimension < 1) {
                problems.add("rag.store.redisearch.dimension was " + dimension + " but it must be >= 1");
            }
            for (String f : fields) {
                if (f == null || !FIELD_NAME.matcher(f).matches()) {
                    problems.add("rag.store.redisearch.fields has '" + f + "' but a field must match "
                            + FIELD_NAME.pattern() + " (it becomes an attribute name in queries)");
                } else if (f.equals("doc_id")) {
                    problems.add("rag.store.redisearch.fields has 'doc_id', which is reserved (the document id is"
                            + " always filterable)");
                }
            }
            if (!List.of("english", "french").contains(String.valueOf(language).toLowerCase(Locale.ROOT))) {
                problems.add("rag.store.redisearch.language was '" + language + "' but it must be english or french");
            }
            positive(problems, "m", m);
            positive(problems, "ef-construction", efConstruction);
            positive(problems, "ef-runtime", efRuntime);
            positive(problems, "pool-size", poolSize);
            if (retries < 0) {
                problems.add("rag.store.redisearch.retries was " + retries + " but it must be >= 0");
            }
            for (Duration d : List.of(connectTimeout, socketTimeout, retryBackoff)) {
                if (d == null || d.isNegative() || d.isZero()) {
                    problems.add("rag.store.redisearch timeouts and retry-backoff must be positive durations, got " + d);
                }
            }
            return problems;
        }

        private static void positive(List<String> problems, String key, int value) {
            if (value < 1) {
                problems.add("rag.store.redisearch." + key + " was " + value + " but it must be >= 1");
            }
        }

        RedisConnection.Settings settings() {
            return new RedisConnection.Settings(url, user, password, connectTimeout, socketTimeout, poolSize, retries,
                    retryBackoff);
        }

        /**
         * Connects, creates the index when absent (and allowed), and checks an existing one: its vector
         * dimension and its attributes for the declared fields.
         *
         * @throws RagConfigurationException listing every invalid setting, or when the existing index does
         *     not fit them
         * @throws RagBackendException when Redis cannot be reached, refuses the credentials or has no query
         *     engine
         */
        public RediSearchVectorStore build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(String.join("; ", problems));
            }
            if (keyPrefix == null) {
                keyPrefix = "doc:" + index + ":";
            }
            RedisConnection connection = RedisConnection.open(settings());
            try {
                return open(connection, true);
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        /** Opens over a connection that the caller keeps (a versioned index's). */
        RediSearchVectorStore open(RedisConnection connection, boolean owns) {
            if (keyPrefix == null) {
                keyPrefix = "doc:" + index + ":";
            }
            RediSearchVectorStore store = new RediSearchVectorStore(this, connection, owns);
            store.createOrCheck(create, language.toLowerCase(Locale.ROOT), m, efConstruction);
            return store;
        }
    }

    /** The FT.CREATE arguments of an index with these settings. */
    static List<byte[]> createArguments(String index, String keyPrefix, int dimension, Collection<String> fields,
                                        String language, int m, int efConstruction, int efRuntime) {
        List<Object> args = new ArrayList<>(List.of(index, "ON", "HASH", "PREFIX", "1", keyPrefix, "LANGUAGE", language,
                "SCHEMA", "body", "TEXT", "doc", "TAG", "CASESENSITIVE",
                "vec", "VECTOR", "HNSW", "12", "TYPE", "FLOAT32", "DIM", dimension, "DISTANCE_METRIC", "COSINE",
                "M", m, "EF_CONSTRUCTION", efConstruction, "EF_RUNTIME", efRuntime));
        for (String f : new TreeSet<>(fields)) {
            args.addAll(List.of(FilterQuery.tagAttribute(f), "TAG", "CASESENSITIVE", FilterQuery.numericAttribute(f),
                    "NUMERIC"));
        }
        return Ft.args(args.toArray());
    }

    private void createOrCheck(boolean create, String language, int m, int efConstruction) {
        // FT.INFO first, even when creating: FT.CREATE under the name of an alias would not fail but create a
        // second, empty index that hides the alias. The probe is the first FT command of the create step, so
        // a server without the query engine is reported as failing FT.CREATE.
        Map<String, Object> info;
        try {
            info = Ft.pairs(connection.call((create ? "FT.CREATE " : "FT.INFO ") + indexName,
                    c -> c.sendCommand(Ft.INFO, Ft.bytes(indexName))));
        } catch (RagBackendException e) {
            if (!unknownIndex(e)) {
                throw e;
            }
            if (!create) {
                throw new RagConfigurationException("RediSearch index '" + indexName + "' does not exist at "
                        + connection.where() + ": create it (a store with create=true does) or name an existing index"
                        + " or alias in rag.store.redisearch.index");
            }
            try {
                connection.call("FT.CREATE " + indexName, c -> c.sendCommand(Ft.CREATE, createArguments(indexName,
                        keyPrefix, dimension, fields, language, m, efConstruction, efRuntime).toArray(new byte[0][])));
                return;
            } catch (RagBackendException raced) {
                // Another process created it in between: check it as any existing index.
                if (!String.valueOf(raced.getMessage()).toLowerCase(Locale.ROOT).contains("already exists")) {
                    throw raced;
                }
                info = info();
            }
        }
        checkExisting(info);
    }

    static boolean unknownIndex(RagBackendException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("unknown index name") || m.contains("no such index") || m.contains("unknown index");
    }

    /** Fails clearly when the existing index does not fit this store's dimension and fields. */
    private void checkExisting(Map<String, Object> info) {
        aliased = !indexName.equals(Ft.string(info.get("index_name"))) && !prefixGiven;
        Map<String, Map<String, String>> attributes = new HashMap<>();
        for (Object a : Ft.list(info.get("attributes"))) {
            Map<String, String> attribute = new HashMap<>();
            Ft.pairs(a).forEach((k, v) -> attribute.put(k.toLowerCase(Locale.ROOT), Ft.string(v)));
            attributes.put(attribute.get("attribute"), attribute);
        }
        Map<String, String> vec = attributes.get("vec");
        if (vec == null) {
            throw new RagConfigurationException("RediSearch index '" + indexName + "' has no 'vec' vector attribute: it"
                    + " was not created by Ragkit; use another rag.store.redisearch.index");
        }
        String dim = vec.get("dim");
        if (dim != null && Integer.parseInt(dim) != dimension) {
            throw new RagConfigurationException("RediSearch index '" + indexName + "' holds vectors of dimension " + dim
                    + " but this store was configured for dimension " + dimension + " (the embedder's): use the embedder"
                    + " that built the index, or another rag.store.redisearch.index (or a new index version)");
        }
        List<String> missing = new ArrayList<>();
        for (String f : new TreeSet<>(fields)) {
            if (!attributes.containsKey(FilterQuery.tagAttribute(f)) || !attributes.containsKey(FilterQuery.numericAttribute(f))) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw new RagConfigurationException("RediSearch index '" + indexName + "' was created without the fields "
                    + missing + " of rag.store.redisearch.fields: RediSearch cannot add attributes to Ragkit's index in"
                    + " place; build a new index version with them, or remove them from the configuration");
        }
    }

    private Map<String, Object> info() {
        return Ft.pairs(connection.call("FT.INFO " + indexName, c -> c.sendCommand(Ft.INFO, Ft.bytes(indexName))));
    }

    /** The FT index name (or alias) this store queries. */
    public String indexName() {
        return indexName;
    }

    /** The key prefix of this store's chunk hashes. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** Sets the HNSW candidate list of later queries (at least topK is used); the index keeps its default. */
    public void efRuntime(int efRuntime) {
        if (efRuntime < 1) {
            throw new InvalidInputException("efRuntime was " + efRuntime + " but it must be >= 1");
        }
        this.efRuntime = efRuntime;
    }

    /** The metadata keys declared as filterable fields. */
    public Set<String> fields() {
        return fields;
    }

    @Override
    public String name() {
        return "redisearch";
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return CAPABILITIES;
    }

    private void requireOpen() {
        if (closed) {
            throw new RagException("RediSearch store '" + indexName + "' is closed");
        }
    }

    /**
     * The key prefix of the hashes: this store's, or when it was opened on an alias, the prefix of the index
     * the alias points at now (so reads and writes through the alias follow a promote).
     */
    private String prefix() {
        if (!aliased) {
            return keyPrefix;
        }
        Map<String, Object> definition = Ft.pairs(info().get("index_definition"));
        List<Object> prefixes = Ft.list(definition.get("prefixes"));
        if (prefixes.isEmpty()) {
            throw RagBackendException.permanent(RedisConnection.BACKEND, "the index behind alias '" + indexName
                    + "' has no key prefix", null);
        }
        return Ft.string(prefixes.get(0));
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        requireOpen();
        Objects.requireNonNull(chunks, "chunks");
        Set<String> ids = new HashSet<>();
        List<Map<byte[], byte[]>> hashes = new ArrayList<>(chunks.size());
        for (EmbeddedChunk c : chunks) {
            Objects.requireNonNull(c, "chunk");
            float[] vector = c.vector();
            if (vector.length != dimension) {
                throw new InvalidInputException("chunk '" + c.id() + "' vector has dimension " + vector.length
                        + " but RediSearch index '" + indexName + "' has dimension " + dimension);
            }
            Vectors.requireFinite("chunk '" + c.id() + "' vector", vector);
            if (!ids.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one upsert batch");
            }
            hashes.add(hash(c.chunk(), vector));
        }
        if (chunks.isEmpty()) {
            return;
        }
        // One transaction per batch: all of it or none of it, even if the connection drops mid-way. Each
        // chunk's hash is deleted first so that metadata keys it no longer has leave the index too.
        String prefix = prefix();
        connection.call("upsert of " + chunks.size() + " chunks into " + indexName, c -> {
            try (AbstractTransaction tx = c.multi()) {
                for (int i = 0; i < chunks.size(); i++) {
                    byte[] key = Ft.bytes(prefix + chunks.get(i).id());
                    tx.del(key);
                    tx.hset(key, hashes.get(i));
                }
                List<Object> results = tx.exec();
                if (results == null) {
                    throw new RagBackendException(RedisConnection.BACKEND, true, "the upsert transaction into "
                            + indexName + " was aborted by Redis; nothing was written", null);
                }
                for (Object r : results) {
                    if (r instanceof JedisDataException e) {
                        throw e;
                    }
                }
                return null;
            }
        });
    }

    private Map<byte[], byte[]> hash(Chunk chunk, float[] vector) {
        Map<byte[], byte[]> hash = new LinkedHashMap<>();
        hash.put(CHUNK, encode(chunk));
        hash.put(VECTOR, floats(vector));
        hash.put(BODY, Ft.bytes(fold(chunk.text())));
        hash.put(DOC, Ft.bytes(TagValues.percentEncode(chunk.documentId())));
        for (String f : fields) {
            Object value = chunk.metadata().get(f);
            if (value != null) {
                hash.put(Ft.bytes(FilterQuery.tagAttribute(f)), Ft.bytes(TagValues.encode(value)));
                if (value instanceof Long || value instanceof Double) {
                    hash.put(Ft.bytes(FilterQuery.numericAttribute(f)),
                            Ft.bytes(TagValues.canonicalNumber((Number) value)));
                }
            }
        }
        return hash;
    }

    /** Lower case without accents: what the TEXT field indexes and what queries are matched as. */
    static String fold(String text) {
        return Diacritics.strip(text.toLowerCase(Locale.ROOT));
    }

    private static byte[] encode(Chunk chunk) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + chunk.text().length() * 2);
            DataOutputStream out = new DataOutputStream(bytes);
            ChunkCodec.writeChunk(out, chunk);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Chunk decode(byte[] bytes, String key) {
        try {
            return ChunkCodec.readChunk(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException | RuntimeException e) {
            throw RagBackendException.permanent(RedisConnection.BACKEND, "the hash " + key + " of RediSearch index '"
                    + indexName + "' does not hold a Ragkit chunk (" + e.getMessage() + ")", e);
        }
    }

    static byte[] floats(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            buffer.putFloat(f);
        }
        return buffer.array();
    }

    private static float[] floats(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = buffer.getFloat();
        }
        return v;
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        requireOpen();
        Objects.requireNonNull(request, "request");
        if (request.topK() > MAX_TOP_K) {
            throw new InvalidInputException("topK was " + request.topK() + " but RediSearch returns at most " + MAX_TOP_K
                    + " hits per query (MAXSEARCHRESULTS)");
        }
        Filter filter = request.filter().orElse(null);
        if (request.isDense()) {
            float[] query = request.vector().orElseThrow();
            if (query.length != dimension) {
                throw new InvalidInputException("query vector has dimension " + query.length + " but RediSearch index '"
                        + indexName + "' has dimension " + dimension);
            }
            String where = filters.render(filter);
            return where == null ? List.of() : dense(query, request.topK(), where, request.minScore());
        }
        String where = filters.render(filter);
        return where == null ? List.of() : keyword(request.text().orElseThrow(), request.topK(), where, request.minScore());
    }

    private List<SearchHit> dense(float[] query, int topK, String where, double minScore) {
        int ef = Math.max(efRuntime, topK);
        String q = ("*".equals(where) ? "*" : "(" + where + ")") + "=>[KNN " + topK + " @vec $BLOB EF_RUNTIME " + ef
                + " AS __dist]";
        List<byte[]> args = Ft.args(indexName, q, "PARAMS", "2", "BLOB", floats(query), "SORTBY", "__dist", "ASC",
                "RETURN", "2", "_chunk", "__dist", "LIMIT", "0", topK, "DIALECT", "2");
        Object reply = connection.call("FT.SEARCH " + indexName, c -> c.sendCommand(Ft.SEARCH, args.toArray(new byte[0][])));
        List<SearchHit> hits = new ArrayList<>();
        List<Object> items = Ft.list(reply);
        for (int i = 1; i + 1 < items.size(); i += 2) {
            String key = Ft.string(items.get(i));
            Map<String, Object> fieldsOfHit = Ft.pairs(items.get(i + 1));
            Object chunkBytes = fieldsOfHit.get("_chunk");
            if (!(chunkBytes instanceof byte[] bytes)) {
                continue; // deleted between the match and the load
            }
            double distance = Double.parseDouble(Ft.string(fieldsOfHit.get("__dist")));
            double score = Vectors.cosineScore(1.0 - distance);
            if (score >= minScore) {
                hits.add(new SearchHit(decode(bytes, key), score));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id));
        return hits;
    }

    /** Query words as the indexer splits text, folded like the TEXT field, each escaped for the parser. */
    static List<String> terms(String text) {
        Set<String> terms = new LinkedHashSet<>();
        StringBuilder term = new StringBuilder();
        String folded = fold(text);
        for (int i = 0; i <= folded.length(); i++) {
            char c = i < folded.length() ? folded.charAt(i) : ' ';
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || SEPARATORS.indexOf(c) >= 0 || Character.isISOControl(c)) {
                if (term.length() > 0) {
                    terms.add(term.toString());
                    term.setLength(0);
                }
            } else {
                term.append(c);
            }
        }
        return List.copyOf(terms);
    }

    private List<SearchHit> keyword(String text, int topK, String where, double minScore) {
        List<String> terms = terms(text);
        if (terms.isEmpty()) {
            return List.of();
        }
        StringBuilder words = new StringBuilder("@body:(");
        for (int i = 0; i < terms.size(); i++) {
            words.append(i == 0 ? "" : " | ").append(TagValues.escapeForQuery(terms.get(i)));
        }
        words.append(')');
        String q = "*".equals(where) ? words.toString() : words + " (" + where + ")";
        List<byte[]> args = Ft.args(indexName, q, "SCORER", "BM25STD", "WITHSCORES", "RETURN", "1", "_chunk", "LIMIT",
                "0", topK, "DIALECT", "2");
        Object reply = connection.call("FT.SEARCH " + indexName, c -> c.sendCommand(Ft.SEARCH, args.toArray(new byte[0][])));
        List<Object> items = Ft.list(reply);
        if (items.size() <= 1) {
            return List.of();
        }
        double bound = bm25UpperBound(terms);
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 1; i + 2 < items.size(); i += 3) {
            String key = Ft.string(items.get(i));
            double raw = Double.parseDouble(Ft.string(items.get(i + 1)));
            Object chunkBytes = Ft.pairs(items.get(i + 2)).get("_chunk");
            if (!(chunkBytes instanceof byte[] bytes)) {
                continue;
            }
            double score = bound > 0 ? Math.min(1.0, Math.max(0.0, raw / bound)) : 0.0;
            if (score >= minScore) {
                hits.add(new SearchHit(decode(bytes, key), score));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::id));
        return hits;
    }

    /**
     * The query's largest attainable BM25STD score: every term at saturation, (k1 + 1) times its idf, the
     * idf computed as the engine does from the number of indexed documents and of documents holding the
     * term (terms in no document add nothing). Dividing by it gives the core's keyword score scale; the engine's own idf may count documents
     * deleted since its last garbage collection, so the quotient is clamped to 1.
     */
    private double bm25UpperBound(List<String> terms) {
        long total = count();
        List<Response<Object>> counts = new ArrayList<>();
        connection.call("FT.SEARCH " + indexName + " (term statistics)", c -> {
            counts.clear();
            try (AbstractPipeline p = c.pipelined()) {
                for (String t : terms) {
                    counts.add(p.sendCommand(Ft.SEARCH, Ft.args(indexName, "@body:(" + TagValues.escapeForQuery(t) + ")",
                            "LIMIT", "0", "0", "DIALECT", "2").toArray(new byte[0][])));
                }
                p.sync();
            }
            return null;
        });
        double bound = 0;
        for (Response<Object> r : counts) {
            long n = ((Number) Ft.list(r.get()).get(0)).longValue();
            if (n == 0) {
                continue; // in no document (or a stop word the engine drops): it adds nothing to any score
            }
            long docs = Math.max(total, n);
            bound += (BM25_K1 + 1) * Math.log(1.0 + (docs - n + 0.5) / (n + 0.5));
        }
        return bound;
    }

    /** The distinct values of a TAG attribute, decoded from the engine's reply. */
    private Set<String> tagValues(String attribute) {
        Object reply = connection.call("FT.TAGVALS " + indexName, c -> c.sendCommand(Ft.TAGVALS, Ft.bytes(indexName),
                Ft.bytes(attribute)));
        Set<String> values = new TreeSet<>();
        for (Object v : Ft.list(reply)) {
            values.add(Ft.string(v));
        }
        return values;
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        requireOpen();
        List<String> order = List.copyOf(ids);
        if (order.isEmpty()) {
            return List.of();
        }
        List<byte[]> found = fetch(order, CHUNK).stream().map(f -> f.get(0)).toList();
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (found.get(i) != null) {
                out.add(decode(found.get(i), order.get(i)));
            }
        }
        return out;
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        requireOpen();
        List<String> order = List.copyOf(ids);
        if (order.isEmpty()) {
            return List.of();
        }
        List<List<byte[]>> found = fetch(order, CHUNK, VECTOR);
        List<EmbeddedChunk> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            List<byte[]> f = found.get(i);
            if (f.get(0) != null && f.get(1) != null) {
                out.add(new EmbeddedChunk(decode(f.get(0), order.get(i)), floats(f.get(1))));
            }
        }
        return out;
    }

    /** HMGET of the given fields of each id's hash, pipelined. */
    private List<List<byte[]>> fetch(List<String> ids, byte[]... hashFields) {
        String prefix = prefix();
        return connection.call("HMGET of " + ids.size() + " chunks of " + indexName, c -> {
            List<Response<List<byte[]>>> responses = new ArrayList<>(ids.size());
            try (AbstractPipeline p = c.pipelined()) {
                for (String id : ids) {
                    responses.add(p.hmget(Ft.bytes(prefix + id), hashFields));
                }
                p.sync();
            }
            return responses.stream().map(Response::get).toList();
        });
    }

    @Override
    public void delete(Collection<String> ids) {
        requireOpen();
        if (ids.isEmpty()) {
            return;
        }
        String prefix = prefix();
        byte[][] keys = ids.stream().distinct().map(id -> Ft.bytes(prefix + id)).toArray(byte[][]::new);
        // One DEL of every key: atomic in Redis, so the whole batch goes or none of it.
        connection.call("DEL of " + keys.length + " chunks of " + indexName, c -> c.del(keys));
    }

    /**
     * Pages from {@code FT.AGGREGATE ... WITHCURSOR}: the cursor is the engine's cursor id ({@code <id>:<chunks
     * served>}), kept by the server
     * while it is read at least every {@code MAXIDLE} (five minutes); an expired cursor fails clearly.
     */
    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        requireOpen();
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        Object reply;
        long served = 0;
        if (cursor == null) {
            String where = filters.render(filter);
            if (where == null) {
                return new ScanPage(List.of(), Optional.empty());
            }
            List<byte[]> args = Ft.args(indexName, where, "LOAD", "1", "@_chunk", "WITHCURSOR", "COUNT", limit,
                    "MAXIDLE", "300000", "DIALECT", "2");
            reply = connection.call("FT.AGGREGATE " + indexName, c -> c.sendCommand(Ft.AGGREGATE, args.toArray(new byte[0][])));
        } else {
            long id;
            try {
                int colon = cursor.indexOf(':');
                id = Long.parseLong(cursor.substring(0, colon));
                served = Long.parseLong(cursor.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new InvalidInputException("scan cursor was '" + cursor + "' but it must be one returned by a scan of"
                        + " this store");
            }
            try {
                reply = connection.call("FT.CURSOR READ " + indexName, c -> c.sendCommand(Ft.CURSOR, Ft.args("READ",
                        indexName, id, "COUNT", limit).toArray(new byte[0][])));
            } catch (RagBackendException e) {
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("cursor not found")) {
                    throw new InvalidInputException("scan cursor " + cursor + " of RediSearch index '" + indexName
                            + "' has expired (not read for five minutes) or was already read to its end: start the scan"
                            + " again with a null cursor");
                }
                throw e;
            }
        }
        List<Object> parts = Ft.list(reply);
        List<Object> rows = Ft.list(parts.get(0));
        long next = ((Number) parts.get(1)).longValue();
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            Object bytes = Ft.pairs(rows.get(i)).get("_chunk");
            if (bytes instanceof byte[] b) {
                chunks.add(decode(b, "(scan)"));
            }
        }
        // The engine keeps one id for the whole cursor; the count of chunks served so far makes each page's
        // cursor distinct (and says, in an error, how far a scan had got).
        served += chunks.size();
        return new ScanPage(chunks, next == 0 ? Optional.empty() : Optional.of(next + ":" + served));
    }

    /** Documents in the index ({@code FT.INFO num_docs}). */
    @Override
    public long count() {
        requireOpen();
        return Long.parseLong(Ft.string(info().get("num_docs")));
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        requireOpen();
        Map<String, String> map = connection.call("HGETALL " + infoKey, c -> c.hgetAll(infoKey));
        return IndexInfo.fromMap(map);
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        requireOpen();
        Objects.requireNonNull(info, "info");
        connection.call("HSET " + infoKey, c -> {
            try (AbstractTransaction tx = c.multi()) {
                tx.del(infoKey);
                tx.hset(infoKey, info.toMap());
                tx.exec();
            }
            return null;
        });
        flush();
    }

    /**
     * Waits until the server's append-only file holds every write made so far ({@code WAITAOF 1 0}), when the
     * server keeps one; without it (or before Redis 7.2, which has no WAITAOF), durability is the server's
     * snapshots' and this returns at once.
     */
    @Override
    public void flush() {
        requireOpen();
        try {
            connection.call("WAITAOF", c -> c.sendCommand(Ft.WAITAOF, Ft.args("1", "0", "10000").toArray(new byte[0][])));
        } catch (RagBackendException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            // No append-only file, or a Redis before 7.2 without WAITAOF: durability is the server's to decide.
            if (!m.contains("appendonly") && !m.contains("unknown command")) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsConnection) {
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "RediSearchVectorStore[" + indexName + " over " + keyPrefix + "* at " + connection.where() + "]";
    }
}
