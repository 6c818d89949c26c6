package dev.ragkit.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.cache.CacheLimits;
import dev.ragkit.core.cache.CacheRegion;
import dev.ragkit.core.cache.FileCacheBackend;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.cache.RegionLimits;
import dev.ragkit.core.spi.Embedder;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Embedder} that remembers every vector on disk, so that embedding the same text with the
 * same model again costs nothing, across runs. It is a user of the core's query caches: the vectors go
 * through {@link QueryCaches} (the keys the pipeline's query-embedding cache uses: the embedder's id and
 * dimension and the text, documents and queries apart) into a {@link FileCacheBackend}, one file per
 * embedder id ({@code <id>-<hash>.rkc}), which is CRC-checked and cut back to its last intact record
 * when a run was killed mid-write.
 *
 * <p>Cache files of the earlier format ({@code <id>-<hash>.emb}, keyed by the SHA-256 of the text alone)
 * are still read: a text missing from the new file is looked up there before the model is asked, and
 * written to the new file, so one run migrates what it uses; the old file can be deleted afterwards.
 *
 * <p>Thread-safe. Vectors handed out are copies.
 */
public final class CachingEmbedder implements Embedder, Closeable {
    /** Entries kept at most per region: far above any evaluation corpus, a bound on a runaway file. */
    private static final long MAX_ENTRIES = 50_000_000;
    /** An evaluation cache does not expire: the model id decides whether a vector is still right. */
    private static final Duration TTL = Duration.ofDays(36_500);

    private final Embedder delegate;
    private final FileCacheBackend backend;
    private final QueryCaches caches;
    private final LegacyEmbeddingFile legacy;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong migrated = new AtomicLong();

    private CachingEmbedder(Embedder delegate, FileCacheBackend backend, LegacyEmbeddingFile legacy) {
        this.delegate = delegate;
        this.backend = backend;
        this.legacy = legacy;
        // retryAfter 0: a failed append is counted and the next one is tried; a run never stops for its cache
        this.caches = QueryCaches.builder(backend).retryAfter(Duration.ZERO).build();
    }

    /**
     * Wraps {@code delegate} with the cache file for its id inside {@code directory} (created if
     * needed), loading every vector already there; an earlier-format file for the same id is read too.
     *
     * @throws UncheckedIOException when the directory or file cannot be used
     */
    public static CachingEmbedder open(Embedder delegate, Path directory) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(directory, "directory");
        RegionLimits limits = new RegionLimits(MAX_ENTRIES, TTL);
        FileCacheBackend backend = FileCacheBackend.open(directory.resolve(fileName(delegate.id(), ".rkc")),
                new CacheLimits(limits, limits));
        LegacyEmbeddingFile legacy = LegacyEmbeddingFile.read(directory.resolve(fileName(delegate.id(), ".emb")),
                delegate.id(), delegate.dimension());
        return new CachingEmbedder(delegate, backend, legacy);
    }

    /** The cache file name for an embedder id: a readable form of the id plus a hash of it. */
    static String fileName(String embedderId, String extension) {
        String readable = embedderId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(embedderId.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(hash).substring(0, 12) + extension;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public Set<String> languages() {
        return delegate.languages();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("texts[" + i + "] was '" + text + "' but it must be non-blank");
            }
        }
        long[] sent = {0};
        List<float[]> vectors = caches.documentEmbeddings(this, texts, missing -> embedMissingDocuments(missing, sent));
        hits.addAndGet(texts.size() - sent[0]);
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was '" + query + "' but it must be non-blank");
        }
        boolean[] sent = {false};
        float[] vector = caches.queryEmbedding(this, query, () -> embedMissingQuery(query, sent));
        if (!sent[0]) {
            hits.incrementAndGet();
        }
        return vector.clone();
    }

    /** Documents the file lacks: from the earlier-format file when it has them, else from the model. */
    private List<float[]> embedMissingDocuments(List<String> texts, long[] sent) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<Integer> toEmbed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] old = legacy.document(texts.get(i));
            out.add(old);
            if (old == null) {
                toEmbed.add(i);
            } else {
                migrated.incrementAndGet();
            }
        }
        if (!toEmbed.isEmpty()) {
            List<String> missing = toEmbed.stream().map(texts::get).toList();
            List<float[]> computed = delegate.embedDocuments(missing);
            if (computed.size() != missing.size()) {
                throw RagBackendException.permanent(delegate.id(), "embedder returned " + computed.size()
                        + " vectors for " + missing.size() + " texts", null);
            }
            for (int j = 0; j < computed.size(); j++) {
                out.set(toEmbed.get(j), checked(computed.get(j)));
            }
            misses.addAndGet(missing.size());
            sent[0] += missing.size();
        }
        return out;
    }

    private float[] embedMissingQuery(String query, boolean[] sent) {
        float[] old = legacy.query(query);
        if (old != null) {
            migrated.incrementAndGet();
            return old;
        }
        sent[0] = true;
        misses.incrementAndGet();
        return checked(delegate.embedQuery(query));
    }

    private float[] checked(float[] v) {
        if (v == null || v.length != dimension()) {
            throw RagBackendException.permanent(delegate.id(), "embedder returned a vector of length "
                    + (v == null ? "null" : v.length) + " but its dimension is " + dimension(), null);
        }
        return v;
    }

    /** Texts served from the cache (or the earlier-format file) since this instance was opened. */
    public long hits() {
        return hits.get();
    }

    /** Distinct texts sent to the wrapped embedder since this instance was opened. */
    public long misses() {
        return misses.get();
    }

    /** Vectors taken from an earlier-format file and written to the new one since this instance was opened. */
    public long migrated() {
        return migrated.get();
    }

    /** Vectors held in the cache file (documents and queries). */
    public int size() {
        return backend.size(CacheRegion.EMBEDDINGS);
    }

    /** Bytes of a damaged tail that were cut off when the file was opened (0 when it was intact). */
    public long recoveredBytes() {
        return backend.recoveredBytes();
    }

    /** The cache file. */
    public Path file() {
        return backend.file();
    }

    /** Closes the cache file; the wrapped embedder is not closed. */
    @Override
    public void close() {
        caches.close();
    }
}
