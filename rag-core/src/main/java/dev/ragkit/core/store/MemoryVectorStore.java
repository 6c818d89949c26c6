package dev.ragkit.core.store;

import dev.ragkit.core.InvalidInputException;
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
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.TextAnalyzer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The reference {@link VectorStore}: exact cosine search over every chunk, every filter, deletes,
 * scans, BM25 keyword search, and optional persistence in a directory (a {@link StoreDirectory}: a
 * checksummed journal forced to disk on every write, compacted into a snapshot on {@link #flush()}
 * and {@link #close()}). Suits corpora up to a few hundred thousand chunks; its results are what
 * approximate stores are measured against.
 *
 * <p>{@link Builder#readOnly(boolean) Read-only}, it opens the last committed state of a directory
 * without writing anything, even while another process writes to it, and refuses writes.
 */
public final class MemoryVectorStore implements VectorStore {
    /** Journal size beyond which a write triggers compaction into the snapshot. */
    private static final long COMPACT_JOURNAL_BYTES = 64L << 20;
    private static final String NAME = "memory";
    private static final String ENTRIES = "entries";
    private static final int ENTRIES_MAGIC = 0x524B4D45; // "RKME"

    private final int dimension;
    private final Set<StoreCapability> capabilities;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final Bm25Index keywordIndex;
    private final Path directory;
    private final StoreDirectory files;
    private final boolean readOnly;
    private IndexInfo indexInfo;
    private boolean closed;

    /** A stored chunk and its unit-length vector. */
    private record Entry(Chunk chunk, float[] vector) {
    }

    private MemoryVectorStore(Builder builder) {
        this.dimension = builder.dimension;
        this.keywordIndex = new Bm25Index(builder.analyzer, Bm25Index.DEFAULT_K1, Bm25Index.DEFAULT_B,
                builder.keywordWeights);
        EnumSet<StoreCapability> caps = EnumSet.of(StoreCapability.FILTER, StoreCapability.DELETE,
                StoreCapability.KEYWORD_SEARCH, StoreCapability.SCAN, StoreCapability.READ_VECTORS);
        this.readOnly = builder.readOnly;
        this.directory = builder.directory;
        if (directory != null) {
            caps.add(StoreCapability.PERSISTENCE);
            this.files = StoreDirectory.open(directory, NAME,
                    readOnly ? StoreDirectory.Mode.READ_ONLY : StoreDirectory.Mode.READ_WRITE, settings(), this::load);
        } else {
            this.files = null;
        }
        this.capabilities = Set.copyOf(caps);
    }

    private Map<String, String> settings() {
        return Map.of("dimension", Integer.toString(dimension));
    }

    /** Loads a generation: its snapshot, then the writes of its journal. */
    private void load(StoreDirectory.Generation generation) {
        String stored = generation.settings().get("dimension");
        if (!Integer.toString(dimension).equals(stored)) {
            throw new RagConfigurationException("memory store in " + directory + " holds vectors of dimension "
                    + stored + " but the store was opened with dimension " + dimension
                    + "; use another directory or the stored dimension");
        }
        entries.clear();
        keywordIndex.clear();
        indexInfo = IndexInfo.fromMap(generation.info()).orElse(null);
        Path current = null;
        try {
            if (generation.hasSnapshot()) {
                current = generation.file(ENTRIES);
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(current)))) {
                    if (in.readInt() != ENTRIES_MAGIC) {
                        throw new IOException("it does not start with the memory store's header");
                    }
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        ChunkCodec.Stored s = ChunkCodec.readEmbedded(in);
                        putLocked(s.chunk(), s.vector());
                    }
                }
            }
            current = null;
            for (byte[] record : generation.journal()) {
                StoreWrite write = StoreWrite.decode(record);
                if (write instanceof StoreWrite.Upsert u) {
                    for (int i = 0; i < u.chunks().size(); i++) {
                        putLocked(u.chunks().get(i), u.vectors().get(i));
                    }
                } else if (write instanceof StoreWrite.Delete d) {
                    d.ids().forEach(this::removeLocked);
                } else if (write instanceof StoreWrite.Info i) {
                    indexInfo = IndexInfo.fromMap(i.properties()).orElse(null);
                } else {
                    throw new IOException("a memory store journal holds a training record");
                }
            }
        } catch (IOException e) {
            // The checksums passed, so this is a format mismatch rather than damage on disk.
            throw new StoreDamagedException(current != null ? current : directory,
                    "cannot be read by this memory store: " + e.getMessage(), e);
        }
    }


    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link MemoryVectorStore}. */
    public static final class Builder {
        private int dimension;
        private Path directory;
        private boolean readOnly;
        private TextAnalyzer analyzer = TextAnalyzer.auto();
        private KeywordWeights keywordWeights = KeywordWeights.DEFAULTS;

        private Builder() {
        }

        /** Dimension of the vectors; required. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Persist in this directory (created when absent); none by default. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Opens the directory read-only (default false): nothing is written, not even a lock file, so it
         * works beside a writer; writes throw. Needs {@link #directory(Path)}.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** Analyzer for keyword search; {@link TextAnalyzer#auto()} by default. */
        public Builder analyzer(TextAnalyzer analyzer) {
            this.analyzer = java.util.Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        /**
         * How much keyword search rewards the query's words standing close together in a chunk and sharing
         * character n-grams with a chunk's words; {@link KeywordWeights#DEFAULTS} unless set,
         * {@link KeywordWeights#PLAIN_BM25} for plain BM25 (see {@link Bm25Index}).
         */
        public Builder keywordWeights(KeywordWeights keywordWeights) {
            this.keywordWeights = Objects.requireNonNull(keywordWeights, "keywordWeights");
            return this;
        }

        public MemoryVectorStore build() {
            if (dimension < 1) {
                throw new InvalidInputException("memory store dimension was " + dimension + " but it must be >= 1");
            }
            if (readOnly && directory == null) {
                throw new RagConfigurationException("a read-only memory store needs a directory to read");
            }
            return new MemoryVectorStore(this);
        }
    }

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
        return capabilities;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        List<Chunk> toStore = new ArrayList<>(chunks.size());
        List<float[]> vectors = new ArrayList<>(chunks.size());
        Set<String> ids = new HashSet<>();
        // Validate the whole batch before touching anything, so a bad element writes nothing.
        for (EmbeddedChunk c : chunks) {
            float[] v = c.vector();
            Vectors.requireDimension("chunk '" + c.id() + "' vector", v, dimension);
            if (!ids.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one upsert batch");
            }
            toStore.add(c.chunk());
            vectors.add(Vectors.normalised("chunk '" + c.id() + "' vector", v));
        }
        if (toStore.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            ensureWritable();
            if (files != null) {
                files.append(new StoreWrite.Upsert(toStore, vectors));
            }
            for (int i = 0; i < toStore.size(); i++) {
                putLocked(toStore.get(i), vectors.get(i));
            }
            compactIfLarge();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void putLocked(Chunk chunk, float[] vector) {
        entries.put(chunk.id(), new Entry(chunk, vector));
        keywordIndex.put(chunk.id(), chunk.text());
    }

    private void removeLocked(String id) {
        if (entries.remove(id) != null) {
            keywordIndex.remove(id);
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        lock.readLock().lock();
        try {
            ensureOpen();
            Predicate<Chunk> accept = request.filter().<Predicate<Chunk>>map(f -> f::test).orElse(c -> true);
            if (request.isDense()) {
                return denseSearch(request, accept);
            }
            return keywordSearch(request, accept);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<SearchHit> denseSearch(SearchRequest request, Predicate<Chunk> accept) {
        float[] query = request.vector().orElseThrow();
        Vectors.requireDimension("query vector", query, dimension);
        float[] unit = Vectors.normalised("query vector", query);
        Comparator<SearchHit> worstFirst = Comparator.comparingDouble(SearchHit::score)
                .thenComparing(SearchHit::id, Comparator.reverseOrder());
        PriorityQueue<SearchHit> best = new PriorityQueue<>(worstFirst);
        int topK = request.topK();
        for (Entry e : entries.values()) {
            double score = Vectors.cosineScore(Vectors.dot(unit, e.vector()));
            // Most entries cannot enter a full top-k: reject them before the filter and any allocation.
            if (score < request.minScore() || best.size() == topK && score < best.peek().score()
                    || !accept.test(e.chunk())) {
                continue;
            }
            best.add(new SearchHit(e.chunk(), score));
            if (best.size() > topK) {
                best.poll();
            }
        }
        List<SearchHit> hits = new ArrayList<>(best);
        hits.sort(worstFirst.reversed());
        return hits;
    }

    private List<SearchHit> keywordSearch(SearchRequest request, Predicate<Chunk> accept) {
        List<Bm25Index.Hit> found = keywordIndex.search(request.text().orElseThrow(), request.topK(),
                id -> accept.test(entries.get(id).chunk()));
        List<SearchHit> hits = new ArrayList<>(found.size());
        for (Bm25Index.Hit h : found) {
            if (h.normalisedScore() >= request.minScore()) {
                hits.add(new SearchHit(entries.get(h.id()).chunk(), h.normalisedScore()));
            }
        }
        return hits;
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        lock.readLock().lock();
        try {
            ensureOpen();
            List<Chunk> found = new ArrayList<>();
            for (String id : ids) {
                Entry e = entries.get(id);
                if (e != null) {
                    found.add(e.chunk());
                }
            }
            return found;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        lock.readLock().lock();
        try {
            ensureOpen();
            List<EmbeddedChunk> found = new ArrayList<>();
            for (String id : ids) {
                Entry e = entries.get(id);
                if (e != null) {
                    found.add(new EmbeddedChunk(e.chunk(), e.vector()));
                }
            }
            return found;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        List<String> copy = List.copyOf(ids);
        lock.writeLock().lock();
        try {
            ensureWritable();
            List<String> present = copy.stream().filter(entries::containsKey).distinct().toList();
            if (present.isEmpty()) {
                return;
            }
            if (files != null) {
                files.append(new StoreWrite.Delete(present));
            }
            present.forEach(this::removeLocked);
            compactIfLarge();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return SortedScan.page(entries, Entry::chunk, filter, cursor, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return entries.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return Optional.ofNullable(indexInfo);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        java.util.Objects.requireNonNull(info, "info");
        lock.writeLock().lock();
        try {
            ensureWritable();
            if (files != null) {
                files.append(new StoreWrite.Info(info.toMap()));
            }
            indexInfo = info;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void flush() {
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (hasUnsnapshottedWrites()) {
                compactLocked();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean hasUnsnapshottedWrites() {
        return files != null && !readOnly && files.journalBytes() > 0;
    }

    private void compactIfLarge() {
        if (files != null && files.journalBytes() > COMPACT_JOURNAL_BYTES) {
            compactLocked();
        }
    }

    /** Folds the journal into a new snapshot of every entry. */
    private void compactLocked() {
        files.commit(settings(), indexInfo == null ? Map.of() : indexInfo.toMap(), List.of(new StoreDirectory.SnapshotFile(ENTRIES, "bin", path -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path)))) {
                out.writeInt(ENTRIES_MAGIC);
                out.writeInt(entries.size());
                for (Entry e : entries.values()) {
                    ChunkCodec.writeChunk(out, e.chunk(), e.vector());
                }
            }
        })));
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (files != null) {
                try {
                    if (hasUnsnapshottedWrites()) {
                        compactLocked();
                    }
                } finally {
                    files.close();
                }
            }
            entries.clear();
            keywordIndex.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("memory store is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new RagException("memory store in " + directory + " was opened read-only: writes are refused");
        }
    }

    @Override
    public String toString() {
        return "MemoryVectorStore[dimension=" + dimension + ", capabilities=" + capabilities + "]";
    }
}
