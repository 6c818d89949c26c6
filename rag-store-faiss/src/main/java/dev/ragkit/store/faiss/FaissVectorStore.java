package dev.ragkit.store.faiss;

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
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.StoreDamagedException;
import dev.ragkit.core.store.StoreDirectory;
import dev.ragkit.core.store.StoreWrite;
import dev.ragkit.store.faiss.internal.FaissNativeException;
import dev.ragkit.store.faiss.internal.NativeLibrary;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link VectorStore} on FAISS (Debian's libfaiss 1.7.3 through this module's JNI binding): any index
 * a FAISS factory string describes among {@code Flat}, {@code SQ8}, {@code HNSW<M>[,Flat|,SQ8]} and
 * {@code IVF<n>,Flat|PQ<m>|SQ8}, with cosine (inner product of unit vectors, the default) or L2
 * distance. Chunk texts and metadata are kept beside the index; filters select FAISS ids before the
 * search (a selective filter still returns {@code topK} hits); deletes are native where FAISS can
 * remove and tombstones compacted by a rebuild for HNSW.
 *
 * <p>Scores: with {@link Metric#COSINE} a hit's score is the cosine similarity clamped to [0, 1], as
 * {@link SearchRequest} specifies. With {@link Metric#L2} it is {@code 1 / (1 + d²)} for the squared
 * Euclidean distance {@code d²}: in (0, 1], higher is nearer, but not a cosine.
 *
 * <p>Persistence (when a directory is set) is core's {@link StoreDirectory}: every write is appended to
 * a checksummed journal and forced to disk before it is applied, so a write that returned survives a
 * crash; {@link #flush()} and {@link #close()} write a snapshot (the FAISS index and the side data,
 * each with its CRC32C in the manifest) atomically and start an empty journal. Opening verifies every
 * checksum (one extra sequential read of each file) and fails naming the damaged file; it never
 * deletes or rewrites anything. {@link Builder#readOnly(boolean) Read-only}, the store writes nothing,
 * not even a lock, so it opens the last committed state beside a running writer.
 *
 * <p>{@link StoreCapability#READ_VECTORS} is declared for the indexes that keep the vectors as given
 * ({@code Flat}, {@code HNSW<M>[,Flat]}, {@code IVF<n>,Flat}): {@link #getEmbedded} reads them back from
 * the index. SQ and PQ codes decode only to approximations, so those indexes do not declare it.
 *
 * <p>Thread-safe: searches run in parallel, each on one OpenMP thread; writes are serialised and
 * exclude searches. {@link #close()} frees the native index.
 *
 * <p>This class orchestrates (settings, lock, journal and snapshots, capabilities); the native index
 * has one owner of its handle, the chunk-to-label table and the query strategy are classes of their
 * own in this package.
 */
public final class FaissVectorStore implements VectorStore {
    /** Distance used to rank neighbours. */
    public enum Metric {
        /** Inner product of unit-length vectors (vectors are normalised on the way in). */
        COSINE,
        /** Euclidean distance of the vectors as given. */
        L2;

        /** The lowercase config name, {@code cosine} or {@code l2}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String NAME = "faiss";
    private static final String INDEX_FILE = "index";
    private static final String CHUNKS_FILE = "chunks";
    private static final int CHUNKS_MAGIC = 0x52464332; // "RFC2"

    private final int dimension;
    private final String index;
    private final Metric metric;
    private volatile int efSearch;
    private volatile int nprobe;
    private final int efConstruction;
    private final double compactionRatio;
    private final int threads;
    private final Set<StoreCapability> capabilities;
    private final Path directory;
    private final boolean readOnly;
    private final StoreDirectory files;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** The chunks and their labels; guarded by {@link #lock}. */
    private final LabelTable table = new LabelTable();
    /** The FAISS index, null only after {@link #close()} or a failed open; guarded by {@link #lock}. */
    private NativeIndex nativeIndex;
    private boolean dirty;
    private IndexInfo indexInfo;
    private volatile boolean closed;

    private FaissVectorStore(Builder b) {
        this.dimension = b.dimension;
        this.index = b.index;
        this.metric = b.metric;
        this.efSearch = b.efSearch;
        this.nprobe = b.nprobe;
        this.efConstruction = b.efConstruction;
        this.compactionRatio = b.compactionRatio;
        this.threads = b.threads;
        this.directory = b.directory;
        this.readOnly = b.readOnly;
        NativeLibrary.load();
        EnumSet<StoreCapability> caps = EnumSet.of(StoreCapability.FILTER, StoreCapability.DELETE, StoreCapability.SCAN);
        if (directory != null) {
            caps.add(StoreCapability.PERSISTENCE);
            try {
                this.files = StoreDirectory.open(directory, NAME,
                        readOnly ? StoreDirectory.Mode.READ_ONLY : StoreDirectory.Mode.READ_WRITE, settings(), this::load);
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        } else {
            this.files = null;
            try {
                useIndex(NativeIndex.create(dimension, index, metric, efConstruction, leakName()));
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        }
        if (nativeIndex.storesExactVectors()) {
            // SQ and PQ codes decode to approximations, which READ_VECTORS must not pass off as the vectors.
            caps.add(StoreCapability.READ_VECTORS);
        }
        this.capabilities = Set.copyOf(caps);
    }

    /** How a leak warning names the index. */
    private String leakName() {
        return "FAISS index '" + index + "' " + (directory != null ? "in " + directory : "in memory");
    }

    /** Takes the index over (so that {@link #release()} frees it, even if this open fails) and tunes it. */
    private void useIndex(NativeIndex fresh) {
        nativeIndex = fresh;
        fresh.searchDefaults(efSearch, nprobe);
    }

    /**
     * Loads a committed generation: the FAISS index and the side data of its snapshot, then the writes of
     * its journal. Called again, on a clean slate, when a read-only open races a writer's commit.
     */
    private void load(StoreDirectory.Generation generation) {
        checkSettings(generation.settings());
        closeIndex();
        table.clear();
        indexInfo = IndexInfo.fromMap(generation.info()).orElse(null);
        if (generation.hasSnapshot()) {
            Path indexFile = generation.file(INDEX_FILE);
            try {
                useIndex(NativeIndex.read(indexFile, index, leakName()));
            } catch (FaissNativeException e) {
                throw new StoreDamagedException(indexFile, "passed its checksum but FAISS cannot read it: "
                        + e.getMessage(), e);
            }
            readSideData(generation.file(CHUNKS_FILE), indexFile);
        } else {
            useIndex(NativeIndex.create(dimension, index, metric, efConstruction, leakName()));
        }
        replayJournal(generation);
    }

    /** Applies the writes logged after the snapshot. */
    private void replayJournal(StoreDirectory.Generation generation) {
        for (byte[] record : generation.journal()) {
            try {
                StoreWrite write = StoreWrite.decode(record);
                if (write instanceof StoreWrite.Upsert u) {
                    applyUpsert(u.chunks(), u.vectors());
                } else if (write instanceof StoreWrite.Delete d) {
                    applyDelete(d.ids());
                } else if (write instanceof StoreWrite.Train t) {
                    applyTrain(t.vectors());
                } else if (write instanceof StoreWrite.Info i) {
                    indexInfo = IndexInfo.fromMap(i.properties()).orElse(null);
                    dirty = true;
                }
            } catch (IOException | RuntimeException e) {
                throw RagBackendException.permanent(NAME, "cannot replay the journal of generation "
                        + generation.number() + " in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    private void readSideData(Path chunksFile, Path indexFile) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(chunksFile)))) {
            if (in.readInt() != CHUNKS_MAGIC) {
                throw new IOException("it does not start with the FAISS store's side-data header");
            }
            table.read(in);
            if (in.read() != -1) {
                throw new IOException("it has bytes after its last chunk");
            }
        } catch (IOException e) {
            // The checksum passed, so the file was written so: a format mismatch rather than damage.
            throw new StoreDamagedException(chunksFile, "cannot be read by this FAISS store: " + e.getMessage(), e);
        }
        long total = nativeIndex.count();
        long surplus = total - table.size();
        if (nativeIndex.dimension() != dimension || surplus < 0 || (!nativeIndex.tombstoning() && surplus != 0)) {
            throw new StoreDamagedException(indexFile, "holds " + total + " vectors of dimension "
                    + nativeIndex.dimension() + " but " + chunksFile.getFileName() + " lists " + table.size()
                    + " chunks of dimension " + dimension + "; the two files of the snapshot disagree", null);
        }
    }

    private void checkSettings(Map<String, String> stored) {
        Map<String, String> wanted = settings();
        if (!wanted.equals(stored)) {
            throw new RagConfigurationException("FAISS store directory " + directory + " holds an index '"
                    + stored.get("index") + "' (" + stored.get("metric") + ", dimension " + stored.get("dimension")
                    + ") but the store was configured as '" + index + "' (" + metric.configName() + ", dimension "
                    + dimension + "); use another directory or the stored settings");
        }
    }

    private Map<String, String> settings() {
        return Map.of("dimension", Integer.toString(dimension), "index", index, "metric", metric.configName());
    }

    /** A builder; {@link Builder#dimension(int)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The builder's HNSW efConstruction when none is set (see {@link Builder#efConstruction(int)}). */
    public static final int DEFAULT_EF_CONSTRUCTION = 100;

    /** Settings of a {@link FaissVectorStore}. */
    public static final class Builder {
        private int dimension;
        private String index = "HNSW32";
        private Metric metric = Metric.COSINE;
        private int efSearch = 128;
        private int nprobe = 16;
        private int efConstruction = DEFAULT_EF_CONSTRUCTION;
        private double compactionRatio = 0.25;
        private int threads = 1;
        private Path directory;
        private boolean readOnly;

        private Builder() {
        }

        /** Dimension of the vectors; required. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** A FAISS factory string: {@code Flat}, {@code HNSW32} (default), {@code IVF1024,Flat}, {@code IVF256,PQ16}... */
        public Builder index(String factory) {
            this.index = factory;
            return this;
        }

        /** {@link Metric#COSINE} (default) or {@link Metric#L2}. */
        public Builder metric(Metric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /** HNSW candidate list size at search time (default 128); higher is slower and more accurate. */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /** IVF lists visited per search (default 16); higher is slower and more accurate. */
        public Builder nprobe(int nprobe) {
            this.nprobe = nprobe;
            return this;
        }

        /** HNSW candidate list size while building (default {@value #DEFAULT_EF_CONSTRUCTION}; FAISS's own is 40). */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /**
         * For HNSW, which cannot remove vectors: rebuild the graph once deleted or replaced vectors
         * exceed this share of the index (default 0.25).
         */
        public Builder compactionRatio(double compactionRatio) {
            this.compactionRatio = compactionRatio;
            return this;
        }

        /**
         * OpenMP threads FAISS may use for training, adding and rebuilding (default 1). More speeds up
         * bulk loads on an otherwise idle machine; on a busy one, OpenMP's spinning threads slow writes
         * down. Searches always use one thread each, so that parallel searches scale.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Persist in this directory (created when absent, reopened when it holds a store); none by default. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Opens the directory read-only (default false): nothing is written, not even a lock file, so it
         * opens the last committed state while another process writes; writes throw. Needs
         * {@link #directory(Path)}.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Opens the store, loading the native library first.
         *
         * @throws RagConfigurationException for an invalid setting, an index FAISS rejects, a directory
         *     holding another kind of index, or a native library that cannot be loaded (the message
         *     names the packages to install)
         */
        public FaissVectorStore build() {
            List<String> problems = new ArrayList<>();
            if (dimension < 1) {
                problems.add("FAISS store dimension was " + dimension + " but it must be >= 1");
            }
            if (index == null || index.isBlank()) {
                problems.add("FAISS store index was '" + index + "' but it must be a FAISS factory string such as HNSW32");
            } else {
                index = index.trim();
            }
            if (efSearch < 1) {
                problems.add("FAISS store efSearch was " + efSearch + " but it must be >= 1");
            }
            if (nprobe < 1) {
                problems.add("FAISS store nprobe was " + nprobe + " but it must be >= 1");
            }
            if (efConstruction < 1) {
                problems.add("FAISS store efConstruction was " + efConstruction + " but it must be >= 1");
            }
            if (threads < 1) {
                problems.add("FAISS store threads was " + threads + " but it must be >= 1");
            }
            if (!(compactionRatio > 0 && compactionRatio <= 1)) {
                problems.add("FAISS store compactionRatio was " + compactionRatio + " but it must be in (0, 1]");
            }
            if (readOnly && directory == null) {
                problems.add("a read-only FAISS store needs a directory to read");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new FaissVectorStore(this);
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

    /** The FAISS factory string of the index. */
    public String index() {
        return index;
    }

    /** The distance the index ranks by. */
    public Metric metric() {
        return metric;
    }

    /**
     * Changes the HNSW candidate list size for later searches (tuning recall against speed at run
     * time); waits for running searches to finish.
     */
    public void efSearch(int efSearch) {
        if (efSearch < 1) {
            throw new InvalidInputException("FAISS store efSearch was " + efSearch + " but it must be >= 1");
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            this.efSearch = efSearch;
            nativeIndex.searchDefaults(efSearch, nprobe);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Changes the number of IVF lists visited by later searches. */
    public void nprobe(int nprobe) {
        if (nprobe < 1) {
            throw new InvalidInputException("FAISS store nprobe was " + nprobe + " but it must be >= 1");
        }
        lock.writeLock().lock();
        try {
            ensureOpen();
            this.nprobe = nprobe;
            nativeIndex.searchDefaults(efSearch, nprobe);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the index can take vectors; false for an IVF or PQ index before its first training. */
    public boolean isTrained() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return nativeIndex.isTrained();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Trains an IVF or PQ index on sample vectors (a no-op for an index that is trained or needs no
     * training). Without this call, the first upsert trains on its own batch.
     *
     * @throws InvalidInputException when the sample is smaller than the index needs, or holds a bad vector
     */
    public void train(List<float[]> sample) {
        List<float[]> prepared = new ArrayList<>(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            prepared.add(prepare("training vector " + i, sample.get(i)));
        }
        lock.writeLock().lock();
        try {
            ensureWritable();
            if (nativeIndex.isTrained()) {
                return;
            }
            checkTrainingSize(prepared.size(), "the training sample");
            if (files != null) {
                files.append(new StoreWrite.Train(prepared));
            }
            applyTrain(prepared);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Throws when an untrained index would get fewer training vectors than it needs. */
    private void checkTrainingSize(int available, String what) {
        if (nativeIndex.isTrained()) {
            return;
        }
        long needed = nativeIndex.minTrainingPoints();
        if (available < needed) {
            throw new InvalidInputException("FAISS index '" + index + "' must be trained before it takes vectors and needs"
                    + " at least " + needed + " training vectors, but " + what + " had " + available
                    + "; upsert a first batch of at least " + needed + " chunks, call train(sample), or use a"
                    + " smaller IVF list count / PQ code size");
        }
    }

    private void applyTrain(List<float[]> vectors) {
        if (nativeIndex.isTrained()) {
            return;
        }
        checkTrainingSize(vectors.size(), "the training sample");
        nativeIndex.train(vectors, threads);
        dirty = true;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        List<Chunk> toStore = new ArrayList<>(chunks.size());
        List<float[]> vectors = new ArrayList<>(chunks.size());
        Set<String> ids = new HashSet<>();
        // Everything is checked before anything is written, so a bad element writes nothing.
        for (EmbeddedChunk c : chunks) {
            if (!ids.add(c.id())) {
                throw new InvalidInputException("chunk id '" + c.id() + "' appears twice in one upsert batch");
            }
            vectors.add(prepare("chunk '" + c.id() + "' vector", c.vector()));
            toStore.add(c.chunk());
        }
        if (toStore.isEmpty()) {
            ensureWritable();
            return;
        }
        lock.writeLock().lock();
        try {
            ensureWritable();
            checkTrainingSize(vectors.size(), "the first upsert");
            if (files != null) {
                files.append(new StoreWrite.Upsert(toStore, vectors));
            }
            applyUpsert(toStore, vectors);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyUpsert(List<Chunk> toStore, List<float[]> vectors) {
        applyTrain(vectors);
        long[] labels = table.freshLabels(toStore.size());
        nativeIndex.add(vectors, labels, threads);
        // The new vectors are in; now retire the ones they replace.
        retireLocked(table.put(labels, toStore));
        dirty = true;
    }

    /**
     * Removes from the index the vectors of labels the table has retired: natively, or as tombstones
     * then compaction.
     */
    private void retireLocked(List<Long> labels) {
        if (labels.isEmpty()) {
            return;
        }
        if (nativeIndex.tombstoning()) {
            if (tombstonesLocked() > compactionRatio * nativeIndex.count()) {
                compactLocked();
            }
        } else {
            nativeIndex.remove(labels.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** Vectors in the index that no chunk uses: HNSW's deleted and replaced vectors until compaction. */
    private long tombstonesLocked() {
        return nativeIndex.tombstoning() ? nativeIndex.count() - table.size() : 0;
    }

    /**
     * Rebuilds an HNSW graph without its deleted and replaced vectors (a no-op for other indexes and when
     * there is nothing to drop). Writes do this on their own past the compaction ratio.
     */
    public void compact() {
        lock.writeLock().lock();
        try {
            ensureWritable();
            if (tombstonesLocked() > 0) {
                compactLocked();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void compactLocked() {
        long[] liveLabels = table.labels();
        Arrays.sort(liveLabels);
        nativeIndex.rebuild(liveLabels, threads);
        dirty = true;
    }

    /** Deleted or replaced vectors still in an HNSW graph, waiting for compaction; 0 for other indexes. */
    public long tombstones() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return tombstonesLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        if (!request.isDense()) {
            throw new UnsupportedCapabilityException(NAME, StoreCapability.KEYWORD_SEARCH);
        }
        float[] query = prepare("query vector", request.vector().orElseThrow());
        lock.readLock().lock();
        try {
            ensureOpen();
            return new DenseSearch(nativeIndex, table, metric, efSearch, nprobe).search(query, request.topK(),
                    request.minScore(), request.filter().orElse(null), tombstonesLocked() > 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return table.entries(ids).stream().map(LabelTable.Entry::chunk).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The stored chunks among {@code ids} with their vectors, read back from the FAISS index: as written
     * for {@link Metric#L2}, unit length for {@link Metric#COSINE} (the store normalises on the way in).
     *
     * @throws UnsupportedCapabilityException for an index that keeps compressed codes (SQ, PQ), whose
     *     vectors come back only approximately; {@link StoreCapability#READ_VECTORS} is not declared then
     */
    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        if (!capabilities.contains(StoreCapability.READ_VECTORS)) {
            throw new UnsupportedCapabilityException(NAME, StoreCapability.READ_VECTORS);
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            List<LabelTable.Entry> found = table.entries(ids);
            List<float[]> vectors = nativeIndex.reconstruct(found.stream().mapToLong(LabelTable.Entry::label).toArray());
            List<EmbeddedChunk> result = new ArrayList<>(found.size());
            for (int i = 0; i < found.size(); i++) {
                result.add(new EmbeddedChunk(found.get(i).chunk(), vectors.get(i)));
            }
            return result;
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
            List<String> present = copy.stream().filter(table::contains).distinct().toList();
            if (present.isEmpty()) {
                return;
            }
            if (files != null) {
                files.append(new StoreWrite.Delete(present));
            }
            applyDelete(present);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyDelete(List<String> ids) {
        List<Long> labels = table.remove(ids);
        if (!labels.isEmpty()) {
            retireLocked(labels);
            dirty = true;
        }
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return table.scan(filter, cursor, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return table.size();
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
        Objects.requireNonNull(info, "info");
        lock.writeLock().lock();
        try {
            ensureWritable();
            if (files != null) {
                files.append(new StoreWrite.Info(info.toMap()));
            }
            indexInfo = info;
            dirty = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void flush() {
        lock.writeLock().lock();
        try {
            ensureOpen();
            flushLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void flushLocked() {
        if (files == null || readOnly || !dirty) {
            return;
        }
        files.commit(settings(), indexInfo == null ? Map.of() : indexInfo.toMap(), List.of(
                new StoreDirectory.SnapshotFile(INDEX_FILE, "faiss",
                        nativeIndex::write),
                new StoreDirectory.SnapshotFile(CHUNKS_FILE, "bin", this::writeSideData)));
        dirty = false;
    }

    /** The side data: the next free label, then each chunk with its FAISS label. */
    private void writeSideData(Path path) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path)))) {
            out.writeInt(CHUNKS_MAGIC);
            table.write(out);
        }
    }

    /** Flushes (when persistent), then frees the native index; later calls throw. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flushLocked();
            } finally {
                release();
                table.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void release() {
        closeIndex();
        if (files != null) {
            files.close();
        }
    }

    private void closeIndex() {
        if (nativeIndex != null) {
            nativeIndex.close();
            nativeIndex = null;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("FAISS store '" + index + "' is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new RagException("FAISS store in " + directory + " was opened read-only: writes are refused");
        }
    }

    /** Checks the dimension and, for cosine, returns a unit-length copy. */
    private float[] prepare(String what, float[] vector) {
        Vectors.requireDimension(what, vector, dimension);
        Vectors.requireFinite(what, vector);
        return metric == Metric.COSINE ? Vectors.normalised(what, vector) : vector.clone();
    }

    @Override
    public String toString() {
        return "FaissVectorStore[index=" + index + ", metric=" + metric.configName() + ", dimension=" + dimension
                + ", capabilities=" + capabilities + "]";
    }
}
