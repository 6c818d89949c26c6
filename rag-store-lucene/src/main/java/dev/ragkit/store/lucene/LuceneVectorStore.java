package dev.ragkit.store.lucene;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.ChunkCodec;
import dev.ragkit.core.store.StoreDamagedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link VectorStore} on Apache Lucene 9.12, pure Java: one Lucene index holds each chunk's vector
 * ({@link KnnFloatVectorField}, searched through Lucene's HNSW graphs, optionally scalar-quantised),
 * its text (analysed for BM25 keyword search), its metadata as typed fields (filters are Lucene
 * queries, applied before the vector search, so a selective filter still returns {@code topK} hits) and
 * the chunk itself as a stored field.
 *
 * <p>Scores follow {@link SearchRequest}: dense hits score the cosine similarity clamped to [0, 1];
 * keyword hits score Lucene's BM25 (k1 0.9, b 0.4, as the core's BM25 index) divided by the query's
 * maximum attainable score, the sum of its terms' idf. Ties are broken by ascending chunk id.
 *
 * <p>Persistence (with a directory): every write is a Lucene commit, so it is durable when it returns
 * and a crash leaves the last commit; near-real-time searchers see each write as a whole once it is
 * committed, while searches keep running beside the writer. Opening verifies every file's checksum
 * (one sequential read of the index, {@link Builder#verifyOnOpen(boolean)}) before Lucene's writer
 * touches anything, and fails naming the damaged or missing file: a damaged index is never cleaned up
 * (which, for Lucene, would mean deleting files). {@link Builder#readOnly(boolean) Read-only}, nothing
 * is written, not even a lock, and the store follows another process's commits.
 *
 * <p>Without a directory the index lives on the heap ({@link ByteBuffersDirectory}) and the store does
 * not declare {@link StoreCapability#PERSISTENCE}.
 *
 * <p>Thread-safe: searches run in parallel; writes are serialised with each other but not with searches.
 */
public final class LuceneVectorStore implements VectorStore {
    /** How vectors are compared; both give cosine scores. */
    public enum Similarity {
        /**
         * Vectors are normalised on the way in and compared by dot product (Lucene's {@code DOT_PRODUCT}):
         * the faster choice; {@link #getEmbedded} returns the unit-length vectors.
         */
        DOT_PRODUCT,
        /** Vectors are kept as written and Lucene computes the cosine at every comparison. */
        COSINE;

        /** The config name: {@code dot-product} or {@code cosine}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How the HNSW graph stores vectors for search; the float vectors are always kept as well. */
    public enum Quantization {
        /** Float vectors only. */
        NONE(0),
        /** 7-bit scalar quantisation: about a quarter of the memory touched per comparison. */
        INT7(7),
        /** 4-bit scalar quantisation, packed two per byte: an eighth, with more recall loss. */
        INT4(4);

        final int bits;

        Quantization(int bits) {
            this.bits = bits;
        }

        /** The config name: {@code none}, {@code int7} or {@code int4}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Lucene's own limit for indexed float vectors in this codec. */
    public static final int MAX_DIMENSION = 1024;
    /** Named in {@link #MARKER_FILE}: Ragkit's note of the last commit, so that a missing one can be named. */
    public static final String MARKER_FILE = "ragkit-lucene.properties";

    static final String NAME = "lucene";
    static final String F_ID = "id";
    static final String F_CHUNK = "chunk";
    static final String F_TEXT = "text";
    static final String F_VECTOR = "vector";
    private static final String FORMAT = "1";
    private static final String KEY_FORMAT = "ragkit.format";
    private static final String KEY_DIMENSION = "ragkit.dimension";
    private static final String KEY_SIMILARITY = "ragkit.similarity";
    private static final String KEY_ANALYZER = "ragkit.analyzer";
    private static final String INFO_PREFIX = "ragkit.info.";
    private static final float BM25_K1 = 0.9f;
    private static final float BM25_B = 0.4f;
    private static final Sort BY_SCORE_THEN_ID = new Sort(SortField.FIELD_SCORE, new SortField(F_ID, SortField.Type.STRING));
    private static final Sort BY_ID = new Sort(new SortField(F_ID, SortField.Type.STRING));
    private static final long READ_ONLY_REFRESH_NANOS = 100_000_000L;

    private final int dimension;
    private final Similarity similarity;
    private final Quantization quantization;
    private final int maxConn;
    private final int beamWidth;
    private volatile int efSearch;
    private final TextAnalysis analysis;
    private final Analyzer analyzer;
    private final Path directory;
    private final boolean readOnly;
    private final Set<StoreCapability> capabilities;
    private final Directory luceneDirectory;

    /** Serialises writes and the writer's replacement after a failed write. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Null when read-only; replaced (under {@link #writeLock}) after a failed write. */
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private volatile IndexInfo indexInfo;
    private volatile long lastRefresh;
    private volatile boolean closed;
    private final int chunkCacheSize;
    private final boolean compactOnFlush;
    private final Map<CacheKey, Chunk> chunkCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Object> cachedCores = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LuceneVectorStore(Builder b) {
        this.dimension = b.dimension;
        this.similarity = b.similarity;
        this.quantization = b.quantization;
        this.maxConn = b.maxConn;
        this.beamWidth = b.beamWidth;
        this.efSearch = b.efSearch;
        this.analysis = b.analysis;
        this.analyzer = analysis.analyzer();
        this.directory = b.directory;
        this.readOnly = b.readOnly;
        this.chunkCacheSize = b.chunkCache;
        this.compactOnFlush = b.compactOnFlush;
        EnumSet<StoreCapability> caps = EnumSet.of(StoreCapability.FILTER, StoreCapability.DELETE,
                StoreCapability.KEYWORD_SEARCH, StoreCapability.SCAN, StoreCapability.READ_VECTORS);
        if (directory != null) {
            caps.add(StoreCapability.PERSISTENCE);
        }
        this.capabilities = Set.copyOf(caps);
        try {
            this.luceneDirectory = directory == null ? new ByteBuffersDirectory() : openDirectory(directory, readOnly);
        } catch (IOException e) {
            throw new RagBackendException(NAME, false, "cannot open the Lucene directory " + directory + ": " + e, e);
        }
        try {
            open(b.verifyOnOpen);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static Directory openDirectory(Path path, boolean readOnly) throws IOException {
        if (readOnly) {
            if (!Files.isDirectory(path)) {
                throw new RagConfigurationException("read-only Lucene store: " + path
                        + " is not a directory; a read-only store opens an existing index and creates nothing");
            }
        } else {
            Files.createDirectories(path);
        }
        return FSDirectory.open(path);
    }

    /** Checks what is on disk, then opens the writer (unless read-only) and the searchers. */
    private void open(boolean verify) {
        Map<String, String> userData;
        try {
            userData = existingCommit(verify);
        } catch (IOException e) {
            throw damaged(e);
        }
        if (userData != null) {
            checkSettings(userData);
            indexInfo = IndexInfo.fromMap(infoOf(userData)).orElse(null);
        } else if (readOnly) {
            throw new RagConfigurationException("read-only Lucene store: " + directory
                    + " holds no Lucene index; build one with a read-write store first");
        }
        try {
            if (readOnly) {
                searchers = new SearcherManager(luceneDirectory, searcherFactory());
                lastRefresh = System.nanoTime();
            } else {
                startWriter();
                if (userData == null) {
                    commit(); // records the settings, so that a later open can check them
                }
            }
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    /**
     * The user data of the last commit, after verifying every file it references (when {@code verify});
     * null for a directory without an index. Refuses Lucene files without a commit point instead of
     * letting Lucene's writer start a new, empty index over them.
     */
    private Map<String, String> existingCommit(boolean verify) throws IOException {
        String[] files = luceneDirectory.listAll();
        boolean hasCommit = SegmentInfos.getLastCommitGeneration(files) >= 0;
        if (!hasCommit) {
            List<String> others = new ArrayList<>();
            for (String f : files) {
                if (!f.equals(IndexWriter.WRITE_LOCK_NAME) && !f.equals(MARKER_FILE) && !f.startsWith(MARKER_FILE)) {
                    others.add(f);
                }
            }
            Optional<String> lastCommit = markedCommit();
            if (!others.isEmpty() || lastCommit.isPresent()) {
                String missing = lastCommit.orElse("segments_N");
                throw new StoreDamagedException(directory.resolve(missing), "is missing: the directory holds "
                        + (others.isEmpty() ? "no index files" : "Lucene files " + others)
                        + " but no commit point, so it cannot be opened. Restore the directory from a backup or "
                        + "rebuild the index; nothing was changed on disk", null);
            }
            return null;
        }
        SegmentInfos commit = SegmentInfos.readLatestCommit(luceneDirectory);
        if (verify) {
            try (DirectoryReader reader = DirectoryReader.open(luceneDirectory)) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    LeafReader r = FilterLeafReader.unwrap(leaf.reader());
                    if (r instanceof CodecReader codecReader) {
                        codecReader.checkIntegrity();
                    }
                }
            }
        }
        return commit.getUserData();
    }

    /** The segments file named by Ragkit's marker, when the marker is there and readable. */
    private Optional<String> markedCommit() {
        if (directory == null) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(directory.resolve(MARKER_FILE))) {
                if (line.startsWith("commit=") && line.substring(7).matches("segments_[0-9a-z]+")) {
                    return Optional.of(line.substring(7));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The marker only helps name a missing commit; without it the message is less precise.
        }
        return Optional.empty();
    }

    private void checkSettings(Map<String, String> userData) {
        String format = userData.get(KEY_FORMAT);
        if (format == null) {
            throw new RagConfigurationException("Lucene store " + directory
                    + " holds a Lucene index that Ragkit did not build (no " + KEY_FORMAT + " in its commit data)");
        }
        if (!FORMAT.equals(format)) {
            throw new RagConfigurationException("Lucene store " + directory + " has Ragkit format " + format
                    + " but this version reads format " + FORMAT);
        }
        List<String> problems = new ArrayList<>();
        expect(problems, userData, KEY_DIMENSION, Integer.toString(dimension), "dimension");
        expect(problems, userData, KEY_SIMILARITY, similarity.configName(), "similarity");
        expect(problems, userData, KEY_ANALYZER, analysis.configName(), "analyzer");
        if (!problems.isEmpty()) {
            throw new RagConfigurationException("Lucene store " + directory + " was built with other settings: "
                    + String.join("; ", problems) + ". Open it with the settings it was built with, or rebuild it");
        }
    }

    private static void expect(List<String> problems, Map<String, String> userData, String key, String wanted,
                               String what) {
        String actual = userData.get(key);
        if (!wanted.equals(actual)) {
            problems.add(what + " is " + actual + " on disk but " + wanted + " was asked for");
        }
    }

    private static Map<String, String> infoOf(Map<String, String> userData) {
        Map<String, String> info = new HashMap<>();
        userData.forEach((k, v) -> {
            if (k.startsWith(INFO_PREFIX)) {
                info.put(k.substring(INFO_PREFIX.length()), v);
            }
        });
        return info;
    }

    private RagException damaged(IOException e) {
        String file = damagedFile(e);
        Path path = directory == null ? Path.of("(heap)") : file == null ? directory : directory.resolve(file);
        StringBuilder why = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            why.append("; caused by ").append(c);
        }
        return new StoreDamagedException(path, "cannot be read by Lucene: " + why
                + ". The index is damaged or incomplete: restore it from a backup or rebuild it; nothing was changed"
                + " on disk", e);
    }

    private static final java.util.regex.Pattern LUCENE_FILE =
            java.util.regex.Pattern.compile("(segments_[0-9a-z]+|_[0-9a-z]+(_[A-Za-z0-9]+)*(_[0-9a-z]+)?\\.[a-z]+)");

    /**
     * The file an I/O error is about: a missing file anywhere in the cause chain, else the innermost
     * message that names a Lucene file (Lucene wraps the real problem, e.g. a missing {@code .si}, in an
     * error about the segments file that references it).
     */
    private static String damagedFile(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = e; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        for (Throwable c : chain) {
            if (c instanceof NoSuchFileException n && n.getFile() != null) {
                return Path.of(n.getFile()).getFileName().toString();
            }
            if (c instanceof java.io.FileNotFoundException && c.getMessage() != null) {
                java.util.regex.Matcher m = LUCENE_FILE.matcher(c.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            String message = chain.get(i).getMessage();
            if (message != null) {
                java.util.regex.Matcher m = LUCENE_FILE.matcher(message);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private IndexWriterConfig writerConfig() {
        IndexWriterConfig config = new IndexWriterConfig(analyzer);
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setSimilarity(new BM25Similarity(BM25_K1, BM25_B));
        config.setCodec(codec());
        // Merges run in the writing thread, inside the write that triggered them, so that when a write
        // returns its merges are committed too: no half-merged files ever lie beside the last commit.
        config.setMergeScheduler(new SerialMergeScheduler());
        config.setRAMBufferSizeMB(64);
        // Every segment has its own HNSW graph, searched on its own: many small segments (one per small
        // commit) multiply the cost of a dense query, so small segments are merged sooner than by default.
        org.apache.lucene.index.TieredMergePolicy merges = new org.apache.lucene.index.TieredMergePolicy();
        merges.setSegmentsPerTier(4);
        config.setMergePolicy(merges);
        config.setCommitOnClose(false);
        return config;
    }

    private Codec codec() {
        KnnVectorsFormat format = quantization == Quantization.NONE
                ? new Lucene99HnswVectorsFormat(maxConn, beamWidth)
                : new Lucene99HnswScalarQuantizedVectorsFormat(maxConn, beamWidth, 1, quantization.bits,
                        quantization == Quantization.INT4, null, null);
        // The codec keeps Lucene912's name, so readers need no custom codec: the per-field vectors format
        // is recorded by its own (SPI) name, and HNSW parameters only matter when writing.
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    /** Searchers scoring keyword queries with the same BM25 parameters as the writer's norms assume. */
    private static org.apache.lucene.search.SearcherFactory searcherFactory() {
        return new org.apache.lucene.search.SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                                             org.apache.lucene.index.IndexReader previous) {
                IndexSearcher searcher = new IndexSearcher(reader);
                return searcher;
            }
        };
    }

    private void startWriter() throws IOException {
        IndexWriter w = new IndexWriter(luceneDirectory, writerConfig());
        writer = w;
        searchers = new SearcherManager(w, true, false, searcherFactory());
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
        return capabilities;
    }

    /** Candidates the HNSW search keeps per query (at least topK): higher finds more true neighbours, slower. */
    public int efSearch() {
        return efSearch;
    }

    /** Changes {@link #efSearch()} for later searches. */
    public void efSearch(int efSearch) {
        if (efSearch < 1) {
            throw new InvalidInputException("efSearch was " + efSearch + " but it must be >= 1");
        }
        this.efSearch = efSearch;
    }

    /**
     * Merges the index into one segment, then commits. Each segment has its own HNSW graph and a dense
     * query searches every graph with the full width, so an index left in several segments (each write
     * makes one; merges run in tiers) answers several times slower than one graph: measured at 30,000
     * vectors, 3 segments gave 570 QPS and one segment 1,210 at width 10 (README). Call it after a bulk
     * build. Lucene's merge starts from the largest segment's graph when that segment has no deletions
     * and inserts the others' vectors, so it costs about a build of the smaller segments; with deletions
     * it rebuilds the graph. Searches keep running on the previous segments meanwhile; a failure rolls
     * back to the last commit and leaves the index as it was.
     */
    public void compact() {
        ensureOpen();
        ensureWritable("compact");
        write("compaction into one segment", w -> w.forceMerge(1));
    }

    /** Segments a search visits now (each with its own HNSW graph). */
    int segmentCount() {
        return withSearcher(s -> s.getIndexReader().leaves().size());
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        ensureOpen();
        ensureWritable("upsert");
        if (chunks.isEmpty()) {
            return;
        }
        // Everything that can be wrong with the input is found before the first document reaches Lucene.
        Set<String> seen = new HashSet<>();
        List<Document> documents = new ArrayList<>(chunks.size());
        for (EmbeddedChunk c : chunks) {
            if (!seen.add(c.id())) {
                throw new InvalidInputException("upsert batch holds chunk id '" + c.id()
                        + "' twice; each id may appear once per batch");
            }
            float[] vector = c.vector();
            Vectors.requireDimension("chunk '" + c.id() + "' vector", vector, dimension);
            float[] unit = Vectors.normalised("chunk '" + c.id() + "' vector", vector);
            documents.add(document(c.chunk(), similarity == Similarity.DOT_PRODUCT ? unit : vector));
        }
        write("upsert of " + chunks.size() + " chunks", w -> {
            for (Document d : documents) {
                w.updateDocument(new Term(F_ID, d.get(F_ID)), d);
            }
        });
    }

    private Document document(Chunk chunk, float[] vector) {
        Document d = new Document();
        d.add(new StringField(F_ID, chunk.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(F_ID, new BytesRef(chunk.id())));
        d.add(new StoredField(F_CHUNK, encode(chunk)));
        d.add(new TextField(F_TEXT, chunk.text(), Field.Store.NO));
        d.add(new KnnFloatVectorField(F_VECTOR, vector, similarity == Similarity.DOT_PRODUCT
                ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.COSINE));
        for (Field f : FilterQueries.fieldsOf(chunk.documentId(), chunk.metadata(), Metadata.DOCUMENT_ID_KEY)) {
            d.add(f);
        }
        return d;
    }

    private static byte[] encode(Chunk chunk) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + chunk.text().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ChunkCodec.writeChunk(out, chunk);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private Chunk decode(BytesRef bytes) {
        try {
            return ChunkCodec.readChunk(new DataInputStream(new ByteArrayInputStream(bytes.bytes, bytes.offset,
                    bytes.length)));
        } catch (IOException | RuntimeException e) {
            throw new StoreDamagedException(directory == null ? Path.of("(heap)") : directory,
                    "holds a stored chunk that cannot be decoded (" + e + "); rebuild the index", e);
        }
    }

    /** One write: the change, then a commit; on failure, everything since the last commit is rolled back. */
    private void write(String what, WriterAction action) {
        writeLock.lock();
        try {
            ensureOpen();
            try {
                action.apply(writer);
                commit();
            } catch (IOException | RuntimeException e) {
                restartAfterFailure(e);
                throw new RagBackendException(NAME, false, "Lucene store " + where() + ": " + what
                        + " failed and was rolled back, nothing of it was written: " + e, e);
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new RagBackendException(NAME, false, "Lucene store " + where() + ": cannot refresh the searchers"
                    + " after " + what + ": " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    private interface WriterAction {
        void apply(IndexWriter writer) throws IOException;
    }

    /** Commits with the settings and index info, then any merge the commit triggered, then notes the commit. */
    private void commit() throws IOException {
        IndexWriter w = writer;
        Map<String, String> data = new LinkedHashMap<>();
        data.put(KEY_FORMAT, FORMAT);
        data.put(KEY_DIMENSION, Integer.toString(dimension));
        data.put(KEY_SIMILARITY, similarity.configName());
        data.put(KEY_ANALYZER, analysis.configName());
        IndexInfo info = indexInfo;
        if (info != null) {
            info.toMap().forEach((k, v) -> data.put(INFO_PREFIX + k, v));
        }
        w.setLiveCommitData(data.entrySet());
        w.commit();
        // A commit may start merges; the serial scheduler has run them by now: commit their result too,
        // so that the directory holds nothing but the last commit's files.
        for (int i = 0; i < 8 && w.hasUncommittedChanges(); i++) {
            w.commit();
        }
        writeMarker();
    }

    /** Notes the last commit's file name beside the index (atomically replaced): what names a lost commit. */
    private void writeMarker() throws IOException {
        if (directory == null) {
            return;
        }
        String segments = SegmentInfos.readLatestCommit(luceneDirectory).getSegmentsFileName();
        Path tmp = directory.resolve(MARKER_FILE + ".tmp");
        Files.writeString(tmp, "# written by Ragkit's Lucene store after each commit\ncommit=" + segments + "\n");
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, directory.resolve(MARKER_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** After a failed write: drop the uncommitted changes (the writer may be unusable) and start a new writer. */
    private void restartAfterFailure(Exception cause) {
        try {
            searchers.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            writer.rollback();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            startWriter();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            closed = true; // no writer left: fail every later call clearly
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        ensureOpen();
        Query filter = request.filter().map(FilterQueries::toQuery).orElse(null);
        if (request.isDense()) {
            float[] query = request.vector().orElseThrow();
            Vectors.requireDimension("query vector", query, dimension);
            float[] unit = Vectors.normalised("query vector", query);
            return withSearcher(s -> dense(s, similarity == Similarity.DOT_PRODUCT ? unit : query, request, filter));
        }
        return withSearcher(s -> keyword(s, request.text().orElseThrow(), request, filter));
    }

    private List<SearchHit> dense(IndexSearcher searcher, float[] query, SearchRequest request, Query filter)
            throws IOException {
        int k = Math.max(request.topK(), efSearch);
        // Relevance order only (no Sort): a field sort costs the KNN query noticeably; ties are fixed below.
        TopDocs top = searcher.search(new KnnFloatVectorQuery(F_VECTOR, query, k, filter), k);
        List<Scored> scored = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            // Lucene scores both functions as (1 + cosine) / 2; quantised scores are approximate, so they
            // only choose the candidates and the cosine comes from the stored float vector.
            double cosine = quantization == Quantization.NONE ? 2.0 * sd.score - 1.0
                    : cosine(query, vectorOf(searcher, sd.doc));
            scored.add(new Scored(sd.doc, Vectors.cosineScore(cosine)));
        }
        if (quantization != Quantization.NONE) {
            scored.sort(null); // rescored: restore the order (stable, so ties keep Lucene's order for now)
        }
        StoredFields stored = searcher.storedFields();
        orderTiesById(scored, searcher, request.topK());
        List<SearchHit> hits = new ArrayList<>(Math.min(request.topK(), scored.size()));
        for (Scored s : scored) {
            if (hits.size() == request.topK()) {
                break;
            }
            if (s.score >= request.minScore()) {
                hits.add(new SearchHit(cachedChunk(searcher, stored, s.doc), s.score));
            }
        }
        return hits;
    }

    /**
     * Orders each run of equal scores (clamping makes every negative cosine a tie at 0) by chunk id, as
     * the contract asks; Lucene orders them by its doc id. Only runs reaching into the first
     * {@code topK} matter, and only their ids are read.
     */
    private static void orderTiesById(List<Scored> scored, IndexSearcher searcher, int topK) throws IOException {
        int start = 0;
        while (start < Math.min(topK, scored.size())) {
            int end = start + 1;
            while (end < scored.size() && scored.get(end).score == scored.get(start).score) {
                end++;
            }
            if (end - start > 1) {
                Map<Integer, String> ids = new HashMap<>();
                for (Scored t : scored.subList(start, end)) {
                    ids.put(t.doc, idOf(searcher, t.doc));
                }
                scored.subList(start, end).sort(java.util.Comparator.comparing(t -> ids.get(t.doc)));
            }
            start = end;
        }
    }

    /** A candidate and its score; ordered by descending score only (a stable sort keeps ties in place). */
    private record Scored(int doc, double score) implements Comparable<Scored> {
        @Override
        public int compareTo(Scored o) {
            return Double.compare(o.score, score);
        }
    }

    private double cosine(float[] query, float[] stored) {
        double dot = 0;
        double qq = 0;
        double ss = 0;
        for (int i = 0; i < query.length; i++) {
            dot += (double) query[i] * stored[i];
            qq += (double) query[i] * query[i];
            ss += (double) stored[i] * stored[i];
        }
        return dot / Math.sqrt(qq * ss);
    }

    private List<SearchHit> keyword(IndexSearcher searcher, String text, SearchRequest request, Query filter)
            throws IOException {
        Map<BytesRef, Integer> terms = analyse(text);
        if (terms.isEmpty()) {
            return List.of();
        }
        if (terms.size() > IndexSearcher.getMaxClauseCount()) {
            throw new InvalidInputException("keyword query has " + terms.size() + " distinct terms but at most "
                    + IndexSearcher.getMaxClauseCount() + " are searched; shorten the query");
        }
        CollectionStatistics stats = searcher.collectionStatistics(F_TEXT);
        if (stats == null) {
            return List.of();
        }
        long docCount = stats.docCount();
        BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
        double maxScore = 0;
        for (Map.Entry<BytesRef, Integer> t : terms.entrySet()) {
            Term term = new Term(F_TEXT, t.getKey());
            int repeats = t.getValue();
            anyTerm.add(repeats == 1 ? new TermQuery(term) : new BoostQuery(new TermQuery(term), repeats), Occur.SHOULD);
            // Lucene's BM25 term score is boost · idf · tf / (tf + k1 · norm): it tends to boost · idf.
            long df = searcher.getIndexReader().docFreq(term);
            maxScore += repeats * Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
        }
        Query query = anyTerm.build();
        if (filter != null) {
            query = new BooleanQuery.Builder().add(query, Occur.MUST).add(filter, Occur.FILTER).build();
        }
        TopDocs top = searcher.search(query, request.topK(), BY_SCORE_THEN_ID, true);
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc sd : top.scoreDocs) {
            double score = maxScore > 0 ? Math.max(0, Math.min(1.0, sd.score / maxScore)) : 0;
            if (score >= request.minScore()) {
                hits.add(new SearchHit(cachedChunk(searcher, stored, sd.doc), score));
            }
        }
        return hits;
    }

    /** The analysed query terms with their number of occurrences, in query order. */
    private Map<BytesRef, Integer> analyse(String text) throws IOException {
        Map<BytesRef, Integer> terms = new LinkedHashMap<>();
        try (TokenStream stream = analyzer.tokenStream(F_TEXT, text)) {
            TermToBytesRefAttribute term = stream.addAttribute(TermToBytesRefAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.merge(BytesRef.deepCopyOf(term.getBytesRef()), 1, Integer::sum);
            }
            stream.end();
        }
        return terms;
    }

    private Chunk chunkOf(StoredFields stored, int doc) throws IOException {
        BytesRef bytes = stored.document(doc, Set.of(F_CHUNK)).getBinaryValue(F_CHUNK);
        if (bytes == null) {
            throw new StoreDamagedException(directory == null ? Path.of("(heap)") : directory,
                    "holds a document without its stored chunk; rebuild the index", null);
        }
        return decode(bytes);
    }

    /**
     * The chunk of a document, from the cache when it is there. Reading a stored field decompresses a
     * block of neighbouring documents (tens of microseconds each), which dominates a search that returns
     * 100 hits; segments never change, so a decoded chunk stays valid as long as its segment lives.
     */
    private Chunk cachedChunk(IndexSearcher searcher, StoredFields stored, int doc) throws IOException {
        if (chunkCacheSize == 0) {
            return chunkOf(stored, doc);
        }
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        org.apache.lucene.index.IndexReader.CacheHelper helper = leaf.reader().getCoreCacheHelper();
        if (helper == null) {
            return chunkOf(stored, doc);
        }
        CacheKey key = new CacheKey(helper.getKey(), doc - leaf.docBase);
        Chunk chunk = chunkCache.get(key);
        if (chunk == null) {
            chunk = chunkOf(stored, doc);
            if (cachedCores.add(key.core())) {
                helper.addClosedListener(core -> {
                    cachedCores.remove(core);
                    chunkCache.keySet().removeIf(k -> k.core() == core);
                });
            }
            if (chunkCache.size() >= chunkCacheSize) {
                chunkCache.clear(); // crude but bounded: a full cache starts over
            }
            chunkCache.put(key, chunk);
        }
        return chunk;
    }

    /** A document of one segment core. */
    private record CacheKey(Object core, int doc) {
    }

    /** The chunk id of a document, from its doc values (no stored-field block to decompress). */
    private static String idOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        org.apache.lucene.index.SortedDocValues ids = org.apache.lucene.index.DocValues.getSorted(leaf.reader(), F_ID);
        if (!ids.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("document " + doc + " has no id");
        }
        return ids.lookupOrd(ids.ordValue()).utf8ToString();
    }

    private float[] vectorOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
        int target = doc - leaf.docBase;
        if (values == null || values.advance(target) != target) {
            throw new StoreDamagedException(directory == null ? Path.of("(heap)") : directory,
                    "holds a chunk without its vector; rebuild the index", null);
        }
        return values.vectorValue().clone();
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        ensureOpen();
        if (ids.isEmpty()) {
            return List.of();
        }
        return withSearcher(s -> {
            Map<String, Integer> docs = docsOf(s, ids);
            StoredFields stored = s.storedFields();
            List<Chunk> chunks = new ArrayList<>(docs.size());
            for (String id : ids) {
                Integer doc = docs.get(id);
                if (doc != null) {
                    chunks.add(cachedChunk(s, stored, doc));
                }
            }
            return chunks;
        });
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        ensureOpen();
        if (ids.isEmpty()) {
            return List.of();
        }
        return withSearcher(s -> {
            Map<String, Integer> docs = docsOf(s, ids);
            StoredFields stored = s.storedFields();
            List<EmbeddedChunk> chunks = new ArrayList<>(docs.size());
            for (String id : ids) {
                Integer doc = docs.get(id);
                if (doc != null) {
                    chunks.add(new EmbeddedChunk(cachedChunk(s, stored, doc), vectorOf(s, doc)));
                }
            }
            return chunks;
        });
    }

    /** Lucene doc ids of the live documents among {@code ids}. */
    private static Map<String, Integer> docsOf(IndexSearcher searcher, Collection<String> ids) throws IOException {
        Set<BytesRef> terms = new HashSet<>();
        for (String id : ids) {
            terms.add(new BytesRef(Objects.requireNonNull(id, "id")));
        }
        TopDocs top = searcher.search(new TermInSetQuery(F_ID, terms), Math.max(1, terms.size()));
        Map<String, Integer> docs = new HashMap<>();
        for (ScoreDoc sd : top.scoreDocs) {
            docs.put(idOf(searcher, sd.doc), sd.doc);
        }
        return docs;
    }

    @Override
    public void delete(Collection<String> ids) {
        ensureOpen();
        ensureWritable("delete");
        if (ids.isEmpty()) {
            return;
        }
        List<Term> terms = new ArrayList<>(ids.size());
        for (String id : ids) {
            terms.add(new Term(F_ID, Objects.requireNonNull(id, "id")));
        }
        write("delete of " + ids.size() + " ids", w -> w.deleteDocuments(terms.toArray(Term[]::new)));
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        ensureOpen();
        if (limit < 1) {
            throw new InvalidInputException("scan limit was " + limit + " but it must be >= 1");
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER);
        if (filter != null) {
            q.add(FilterQueries.toQuery(filter), Occur.FILTER);
        }
        if (cursor != null) {
            q.add(new TermRangeQuery(F_ID, new BytesRef(cursor), null, false, false), Occur.FILTER);
        }
        Query query = q.build();
        return withSearcher(s -> {
            // One more than asked tells whether another page follows.
            TopDocs top = s.search(query, limit + 1, BY_ID);
            StoredFields stored = s.storedFields();
            List<Chunk> page = new ArrayList<>(Math.min(limit, top.scoreDocs.length));
            for (int i = 0; i < Math.min(limit, top.scoreDocs.length); i++) {
                page.add(cachedChunk(s, stored, top.scoreDocs[i].doc));
            }
            boolean more = top.scoreDocs.length > limit;
            return new ScanPage(page, more ? Optional.of(page.get(page.size() - 1).id()) : Optional.empty());
        });
    }

    @Override
    public long count() {
        ensureOpen();
        return withSearcher(s -> (long) s.getIndexReader().numDocs());
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        ensureOpen();
        return Optional.ofNullable(indexInfo);
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        Objects.requireNonNull(info, "info");
        ensureOpen();
        ensureWritable("recordIndexInfo");
        writeLock.lock();
        try {
            IndexInfo before = indexInfo;
            indexInfo = info;
            try {
                commit();
            } catch (IOException | RuntimeException e) {
                indexInfo = before;
                restartAfterFailure(e);
                throw new RagBackendException(NAME, false, "Lucene store " + where()
                        + ": recording the index info failed: " + e, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        if (readOnly) {
            return;
        }
        if (compactOnFlush && segmentCount() > 1) {
            compact(); // commits too
            return;
        }
        writeLock.lock();
        try {
            ensureOpen();
            if (writer.hasUncommittedChanges()) {
                commit();
            }
        } catch (IOException e) {
            throw new RagBackendException(NAME, false, "Lucene store " + where() + ": flush failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeQuietly() {
        // Every write was committed when it returned: closing only releases files and the lock.
        for (AutoCloseable c : new AutoCloseable[] {searchers, writer, luceneDirectory}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // releasing: nothing left to save
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private interface SearcherAction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherAction<T> action) {
        ReferenceManager<IndexSearcher> manager = searchers;
        try {
            if (readOnly) {
                refreshReadOnly(manager);
            }
            IndexSearcher searcher = manager.acquire();
            try {
                return action.apply(searcher);
            } finally {
                manager.release(searcher);
            }
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw new RagException("Lucene store " + where() + " is closed", e);
        } catch (IOException e) {
            throw new RagBackendException(NAME, false, "Lucene store " + where() + ": search failed: " + e, e);
        }
    }

    /** A read-only store follows another process's commits, looking at most every 100 ms. */
    private void refreshReadOnly(ReferenceManager<IndexSearcher> manager) throws IOException {
        long now = System.nanoTime();
        if (now - lastRefresh > READ_ONLY_REFRESH_NANOS) {
            lastRefresh = now;
            manager.maybeRefresh();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("Lucene store " + where() + " is closed");
        }
    }

    private void ensureWritable(String what) {
        if (readOnly) {
            throw new RagException("Lucene store " + where() + " is read-only: " + what + " is not allowed");
        }
    }

    private String where() {
        return directory == null ? "(in memory)" : directory.toString();
    }

    /** A builder for this store; only {@link Builder#dimension(int)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link LuceneVectorStore}. */
    public static final class Builder {
        private int dimension;
        private Similarity similarity = Similarity.DOT_PRODUCT;
        private Quantization quantization = Quantization.NONE;
        private int maxConn = 16;
        private int beamWidth = 100;
        private int efSearch = 100;
        private TextAnalysis analysis = TextAnalysis.STANDARD;
        private Path directory;
        private boolean readOnly;
        private boolean verifyOnOpen = true;
        private int chunkCache = 20_000;
        private boolean compactOnFlush;

        private Builder() {
        }

        /** Dimension of every vector, 1 to {@value LuceneVectorStore#MAX_DIMENSION}. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** How vectors are compared (default {@link Similarity#DOT_PRODUCT} of normalised vectors). */
        public Builder similarity(Similarity similarity) {
            this.similarity = Objects.requireNonNull(similarity, "similarity");
            return this;
        }

        /** Scalar quantisation of the searched vectors (default none). */
        public Builder quantization(Quantization quantization) {
            this.quantization = Objects.requireNonNull(quantization, "quantization");
            return this;
        }

        /** HNSW neighbours per node, Lucene's {@code maxConn} (M), 1 to 512; default 16. */
        public Builder maxConn(int maxConn) {
            this.maxConn = maxConn;
            return this;
        }

        /** HNSW candidates while building, Lucene's {@code beamWidth} (efConstruction), 1 to 3200; default 100. */
        public Builder beamWidth(int beamWidth) {
            this.beamWidth = beamWidth;
            return this;
        }

        /** HNSW candidates per search (at least topK are always kept); default 100. */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /** How chunk text is analysed for BM25 (default {@link TextAnalysis#STANDARD}). */
        public Builder analysis(TextAnalysis analysis) {
            this.analysis = Objects.requireNonNull(analysis, "analysis");
            return this;
        }

        /** Persist in this directory; on the heap only when null (the default). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Open the directory's last commit without writing anything (default false). */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Verify every file's checksum when opening (default true): one sequential read of the index, so
         * that a damaged file is named at open instead of answering wrong results later.
         */
        public Builder verifyOnOpen(boolean verifyOnOpen) {
            this.verifyOnOpen = verifyOnOpen;
            return this;
        }

        /**
         * Decoded chunks kept on the heap for hits, gets and scans (default 20,000; 0: none). Reading a
         * chunk from Lucene decompresses a block of neighbours, which dominates searches returning many hits.
         */
        public Builder chunkCache(int chunks) {
            this.chunkCache = chunks;
            return this;
        }

        /**
         * {@link LuceneVectorStore#flush()} also {@link LuceneVectorStore#compact() compacts} an index left in
         * several segments (default false). The ingestor and the index lifecycle flush at the end of a run or
         * a build, so the index they leave is one graph; worth it for bulk loads, not for a store flushed
         * after every small change (each compaction rewrites the index).
         */
        public Builder compactOnFlush(boolean compactOnFlush) {
            this.compactOnFlush = compactOnFlush;
            return this;
        }

        /** Opens (or creates) the store. */
        public LuceneVectorStore build() {
            List<String> problems = new ArrayList<>();
            if (dimension < 1 || dimension > MAX_DIMENSION) {
                problems.add("dimension was " + dimension + " but it must be 1 to " + MAX_DIMENSION
                        + " (Lucene's limit for indexed vectors)");
            }
            if (maxConn < 1 || maxConn > 512) {
                problems.add("maxConn (HNSW M) was " + maxConn + " but it must be 1 to 512");
            }
            if (beamWidth < 1 || beamWidth > 3200) {
                problems.add("beamWidth (HNSW efConstruction) was " + beamWidth + " but it must be 1 to 3200");
            }
            if (efSearch < 1) {
                problems.add("efSearch was " + efSearch + " but it must be >= 1");
            }
            if (chunkCache < 0) {
                problems.add("chunkCache was " + chunkCache + " but it must be >= 0");
            }
            if (readOnly && directory == null) {
                problems.add("readOnly needs a directory");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new LuceneVectorStore(this);
        }
    }
}
