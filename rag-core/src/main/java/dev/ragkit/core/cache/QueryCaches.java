package dev.ragkit.core.cache;

import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query-embedding cache and the retrieval-result cache over one {@link CacheBackend}, as the
 * {@link dev.ragkit.core.retrieval.Retriever} uses them. Thread-safe.
 *
 * <p>Keys hold what decides a value: the embedder's id and the query for a vector; the store, the
 * index version it serves, the embedder, the request (mode, query, k, minimum score) and the filter for
 * search results. Writes to the index made through {@link #invalidatingWrites(VectorStore)} advance the
 * backend's write generation once they are done, so the next identical query searches again; a
 * promoted or rolled back version changes the key itself.
 *
 * <p>The cache never fails a question: a backend error is counted ({@code rag.cache.errors}), the
 * value is computed as if the cache were not there, and the backend is left alone for
 * {@code retryAfter} ({@code rag.cache.available} reads 0 meanwhile). Invalidations that could not
 * reach the backend are replayed before it is used again, so a write made while it was down never
 * leaves stale entries behind.
 *
 * <p>Meters, tagged {@code cache} ({@code embeddings}, {@code results}) and {@code backend}:
 * {@code rag.cache.hits}, {@code rag.cache.misses} (a question served while the backend is down is a
 * miss), {@code rag.cache.hit.ratio} (hits over lookups since start), {@code rag.cache.errors} (also
 * tagged {@code operation}), and {@code rag.cache.available} (1 or 0, tagged {@code backend}).
 */
public final class QueryCaches implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryCaches.class);
    /** How long a failed backend is left alone by default before it is tried again. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final CacheBackend backend;
    private final long retryAfterNanos;
    private final LongSupplier nanoClock;
    private final Map<CacheRegion, AtomicLong> hits = new EnumMap<>(CacheRegion.class);
    private final Map<CacheRegion, AtomicLong> misses = new EnumMap<>(CacheRegion.class);
    private final Map<String, AtomicLong> errors = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean pendingInvalidation = new AtomicBoolean();
    private volatile boolean available = true;
    private volatile long retryAtNanos;

    private QueryCaches(CacheBackend backend, Duration retryAfter, MeterRegistry registry, LongSupplier nanoClock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.retryAfterNanos = retryAfter.toNanos();
        this.nanoClock = nanoClock;
        for (CacheRegion region : CacheRegion.values()) {
            hits.put(region, new AtomicLong());
            misses.put(region, new AtomicLong());
        }
        for (String operation : List.of("get", "put", "invalidate", "decode")) {
            errors.put(operation, new AtomicLong());
        }
        if (registry != null) {
            register(registry);
        }
    }

    /** Caches over {@code backend}, with no metrics and {@link #DEFAULT_RETRY_AFTER}. */
    public static QueryCaches of(CacheBackend backend) {
        return builder(backend).build();
    }

    public static Builder builder(CacheBackend backend) {
        return new Builder(backend);
    }

    /** Settings of {@link QueryCaches}. */
    public static final class Builder {
        private final CacheBackend backend;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private MeterRegistry registry;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(CacheBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** How long a backend that failed is left alone before it is tried again; 5 s by default. */
        public Builder retryAfter(Duration retryAfter) {
            if (retryAfter == null || retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter was " + retryAfter + " but it must be >= 0");
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /** Where {@code rag.cache.*} meters go; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** The clock of the retry delay (tests step it by hand). */
        Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        public QueryCaches build() {
            return new QueryCaches(backend, retryAfter, registry, nanoClock);
        }
    }

    /** The backend's name ({@code memory}, {@code redis}). */
    public String backendName() {
        return backend.name();
    }

    /** False from a backend failure until the backend answers again. */
    public boolean available() {
        return available;
    }

    /** Lookups of {@code region} answered from the cache since start. */
    public long hits(CacheRegion region) {
        return hits.get(region).get();
    }

    /** Lookups of {@code region} that were computed (not found, or the backend was down) since start. */
    public long misses(CacheRegion region) {
        return misses.get(region).get();
    }

    /** Hits over lookups of {@code region} since start; 0 before the first lookup. */
    public double hitRatio(CacheRegion region) {
        long h = hits(region);
        long total = h + misses(region);
        return total == 0 ? 0 : (double) h / total;
    }

    /** Backend failures since start, all operations together. */
    public long errors() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** {@code embedder}'s vector for {@code query}, from the cache or from the embedder (then cached). */
    public float[] queryEmbedding(Embedder embedder, String query, Supplier<float[]> embed) {
        String key = new CacheKeys().add("embedding").add(embedder.id()).add(embedder.dimension()).add(query).digest();
        return cached(CacheRegion.EMBEDDINGS, key, embed, CacheCodec::vector, CacheCodec::readVector);
    }

    /**
     * A search's hits from the cache or from {@code search} (then cached).
     *
     * @param store the store's name
     * @param indexVersion the index version the store serves now ({@code v3}, or {@code none})
     * @param embedderId the embedder of a dense search, null for a keyword one
     * @param query the query text
     * @param topK hits asked for
     * @param minScore the minimum score asked for
     * @param filter the filter, or null
     */
    public List<SearchHit> searchResults(String store, String indexVersion, String embedderId, String query, int topK,
                                         double minScore, Filter filter, Supplier<List<SearchHit>> search) {
        String key = new CacheKeys().add("results").add(store).add(indexVersion).add(embedderId == null ? "keyword" : "dense")
                .add(embedderId).add(query).add(topK).add(minScore).add(filter).digest();
        return cached(CacheRegion.RESULTS, key, search, CacheCodec::hits, CacheCodec::readHits);
    }

    /**
     * Makes every cached search result unservable; called after each write to the index (see
     * {@link #invalidatingWrites}). When the backend cannot be reached, the invalidation is replayed
     * before the backend is used again.
     */
    public void invalidate() {
        pendingInvalidation.set(true);
        usable();
    }

    /**
     * {@code store} with every write (upsert, delete) followed by {@link #invalidate()}, even when it
     * failed part-way. Everything else goes straight to {@code store}.
     */
    public VectorStore invalidatingWrites(VectorStore store) {
        return new InvalidatingVectorStore(store, this);
    }

    /** Closes the backend. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "QueryCaches[" + backend.name() + (available ? "" : ", unavailable") + "]";
    }

    private interface Decoder<T> {
        T decode(byte[] bytes) throws IOException;
    }

    private <T> T cached(CacheRegion region, String key, Supplier<T> compute,
                         java.util.function.Function<T, byte[]> encoder, Decoder<T> decoder) {
        CacheLookup lookup = null;
        if (usable()) {
            try {
                lookup = backend.get(region, key);
                recovered();
            } catch (RuntimeException e) {
                failed("get", e);
            }
        }
        if (lookup != null && lookup.isHit()) {
            try {
                T value = decoder.decode(lookup.value());
                hits.get(region).incrementAndGet();
                return value;
            } catch (IOException | RuntimeException e) {
                // a value this version cannot read (another replica's format, a damaged entry): computed again and overwritten
                errors.get("decode").incrementAndGet();
            }
        }
        misses.get(region).incrementAndGet();
        T value = compute.get();
        if (lookup != null && usable()) {
            try {
                backend.put(region, key, encoder.apply(value), lookup.generation());
            } catch (RuntimeException e) {
                failed("put", e);
            }
        }
        return value;
    }

    /** Whether to use the backend now: not within the retry delay after a failure, and no invalidation owed. */
    private boolean usable() {
        if (!available && nanoClock.getAsLong() - retryAtNanos < 0) {
            return false;
        }
        if (pendingInvalidation.getAndSet(false)) {
            try {
                backend.advanceGeneration();
                recovered();
            } catch (RuntimeException e) {
                pendingInvalidation.set(true);
                failed("invalidate", e);
                return false;
            }
        }
        return true;
    }

    private void recovered() {
        if (!available) {
            available = true;
            LOG.info("query cache backend '{}' answers again; caching resumed", backend.name());
        }
    }

    private void failed(String operation, RuntimeException e) {
        errors.get(operation).incrementAndGet();
        retryAtNanos = nanoClock.getAsLong() + retryAfterNanos;
        if (available) {
            available = false;
            // once per outage, not per question; the exception's message only (never a connection URL)
            LOG.warn("query cache backend '{}' failed ({}: {}); answering without the cache, retrying after {} ms",
                    backend.name(), e.getClass().getSimpleName(), e.getMessage(), retryAfterNanos / 1_000_000);
        }
    }

    private void register(MeterRegistry registry) {
        for (CacheRegion region : CacheRegion.values()) {
            String[] tags = {"cache", region.label(), "backend", backend.name()};
            FunctionCounter.builder("rag.cache.hits", hits.get(region), AtomicLong::get).tags(tags)
                    .description("Lookups answered from the query cache").register(registry);
            FunctionCounter.builder("rag.cache.misses", misses.get(region), AtomicLong::get).tags(tags)
                    .description("Lookups computed: not cached, or the cache backend was down").register(registry);
            Gauge.builder("rag.cache.hit.ratio", this, c -> c.hitRatio(region)).tags(tags)
                    .description("Hits over lookups since start").register(registry);
        }
        errors.forEach((operation, count) -> FunctionCounter.builder("rag.cache.errors", count, AtomicLong::get)
                .tags("backend", backend.name(), "operation", operation)
                .description("Cache backend failures; the question was answered without the cache").register(registry));
        Gauge.builder("rag.cache.available", this, c -> c.available ? 1 : 0).tags("backend", backend.name())
                .description("1 while the cache backend answers, 0 after a failure until it answers again")
                .register(registry);
    }
}
