package dev.ragkit.core.store;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.TextAnalyzer;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The reference {@link VectorStore}: exact cosine search over every chunk, every filter, deletes,
 * scans, BM25 keyword search, and optional persistence in a directory (a journal forced to disk on
 * every write, compacted into a snapshot on {@link #flush()} and {@link #close()}). Suits corpora
 * up to a few hundred thousand chunks; its results are what approximate stores are measured against.
 */
public final class MemoryVectorStore implements VectorStore {
    /** Journal size beyond which a write triggers compaction into the snapshot. */
    private static final long COMPACT_JOURNAL_BYTES = 64L << 20;

    private final int dimension;
    private final Set<StoreCapability> capabilities;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    private final Bm25Index keywordIndex;
    private final StoreJournal journal;
    private boolean closed;

    /** A stored chunk and its unit-length vector. */
    private record Entry(Chunk chunk, float[] vector) {
    }

    private MemoryVectorStore(Builder builder) {
        this.dimension = builder.dimension;
        this.keywordIndex = new Bm25Index(builder.analyzer);
        EnumSet<StoreCapability> caps = EnumSet.of(StoreCapability.FILTER, StoreCapability.DELETE,
                StoreCapability.KEYWORD_SEARCH, StoreCapability.SCAN);
        if (builder.directory != null) {
            caps.add(StoreCapability.PERSISTENCE);
            this.journal = StoreJournal.open(builder.directory, dimension, new StoreJournal.Loader() {
                @Override
                public void upsert(Chunk chunk, float[] vector) {
                    putLocked(chunk, vector);
                }

                @Override
                public void delete(String id) {
                    removeLocked(id);
                }
            });
        } else {
            this.journal = null;
        }
        this.capabilities = Set.copyOf(caps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link MemoryVectorStore}. */
    public static final class Builder {
        private int dimension;
        private Path directory;
        private TextAnalyzer analyzer = TextAnalyzer.frenchEnglish();

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

        /** Analyzer for keyword search; {@link TextAnalyzer#frenchEnglish()} by default. */
        public Builder analyzer(TextAnalyzer analyzer) {
            this.analyzer = java.util.Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        public MemoryVectorStore build() {
            if (dimension < 1) {
                throw new InvalidInputException("memory store dimension was " + dimension + " but it must be >= 1");
            }
            return new MemoryVectorStore(this);
        }
    }

    @Override
    public String name() {
        return "memory";
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
            ensureOpen();
            if (journal != null) {
                journal.appendUpsert(toStore, vectors);
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
    public void delete(Collection<String> ids) {
        List<String> copy = List.copyOf(ids);
        lock.writeLock().lock();
        try {
            ensureOpen();
            List<String> present = copy.stream().filter(entries::containsKey).distinct().toList();
            if (present.isEmpty()) {
                return;
            }
            if (journal != null) {
                journal.appendDelete(present);
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
    public void flush() {
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (journal != null && journal.journalBytes() > 12) {
                compactLocked();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void compactIfLarge() {
        if (journal != null && journal.journalBytes() > COMPACT_JOURNAL_BYTES) {
            compactLocked();
        }
    }

    private void compactLocked() {
        Map<String, Map.Entry<Chunk, float[]>> snapshot = new TreeMap<>();
        entries.forEach((id, e) -> snapshot.put(id, new AbstractMap.SimpleImmutableEntry<>(e.chunk(), e.vector())));
        journal.compact(snapshot);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (journal != null) {
                try {
                    if (journal.journalBytes() > 12) {
                        compactLocked();
                    }
                } finally {
                    journal.close();
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

    @Override
    public String toString() {
        return "MemoryVectorStore[dimension=" + dimension + ", capabilities=" + capabilities + "]";
    }
}
