package dev.ragkit.core.ingest;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.Instrumentation;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.Metadata;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.text.ControlCharacters;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.Splitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental ingestion: splits documents, compares the chunks with what the store holds, embeds
 * and writes only new or changed chunks, and deletes chunks that disappeared.
 *
 * <ul>
 *   <li>Re-ingesting an unchanged document embeds nothing and writes nothing.</li>
 *   <li>Chunks are written before stale ones are deleted, and each batch is one store write, so a
 *       failure or a kill leaves every stored chunk whole; rerunning the same ingestion completes it
 *       and ends in the same state as an uninterrupted run.</li>
 *   <li>Identical texts in one batch are embedded once.</li>
 *   <li>Embeddings are reused by content, not by position: when the store declares
 *       {@link StoreCapability#READ_VECTORS}, a new or moved chunk whose text matches one of its
 *       document's stored chunks gets that chunk's stored vector instead of a call to the embedder, so
 *       a paragraph inserted at the top of a document embeds only the chunks that really changed. With
 *       {@link Builder#reuseEmbeddingsFrom(VectorStore)}, the vectors of another store (the live
 *       version of an index being rebuilt) are reused the same way.</li>
 *   <li>A document's chunks are embedded and written in batches as the splitter cuts them, so a
 *       document of millions of characters takes memory for its text and one batch, not for all its
 *       chunks and vectors; its vanished chunks are deleted only once all its new ones are written.</li>
 *   <li>Control characters are removed from the text first ({@link ControlCharacters}).</li>
 *   <li>A document longer than {@link Builder#maxDocumentChars(int)} is skipped, named in
 *       {@link IngestionReport#skipped()}, and its stored chunks are left as they were.</li>
 * </ul>
 * The store must declare {@link StoreCapability#SCAN} and {@link StoreCapability#DELETE}. One
 * ingestion at a time per store: concurrent ingestions of the same document are not coordinated.
 */
public final class Ingestor {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    /** Default of {@link Builder#maxDocumentChars(int)}: 20 million characters, about 20 MB of text. */
    public static final int DEFAULT_MAX_DOCUMENT_CHARS = 20_000_000;
    /** The configuration key of {@link Builder#maxDocumentChars(int)}, named in skip messages. */
    public static final String MAX_DOCUMENT_CHARS_KEY = "rag.ingest.max-document-chars";

    private static final int SCAN_PAGE = 1000;
    /**
     * Vectors of a document's stored chunks kept in memory after the chunk was overwritten at its
     * position, in case a later chunk of the same document has its text. An inserted or removed passage
     * shifts the chunks after it by a few positions, which this covers many times over; a document
     * rewritten wholesale would otherwise keep every vector of its old version in memory.
     */
    static final int RESCUED_VECTORS = 4096;

    private final Embedder embedder;
    private final VectorStore store;
    private final Splitter splitter;
    private final int batchSize;
    private final int concurrency;
    private final int maxDocumentChars;
    private final VectorStore reuseStore;
    private final Instrumentation instrumentation;

    private Ingestor(Builder b) {
        this.embedder = b.embedder;
        this.store = b.store;
        this.splitter = b.splitter;
        this.batchSize = b.batchSize;
        this.concurrency = b.concurrency;
        this.maxDocumentChars = b.maxDocumentChars;
        this.reuseStore = b.reuseStore;
        this.instrumentation = new Instrumentation(b.meterRegistry, b.tracer);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link Ingestor}. */
    public static final class Builder {
        private Embedder embedder;
        private VectorStore store;
        private Splitter splitter = RecursiveSplitter.defaults();
        private int batchSize = 64;
        private int concurrency = 1;
        private int maxDocumentChars = DEFAULT_MAX_DOCUMENT_CHARS;
        private VectorStore reuseStore;
        private MeterRegistry meterRegistry;
        private Tracer tracer;

        private Builder() {
        }

        /** Required. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** Required; must declare SCAN and DELETE. */
        public Builder store(VectorStore store) {
            this.store = store;
            return this;
        }

        /** {@link RecursiveSplitter#defaults()} unless set. */
        public Builder splitter(Splitter splitter) {
            this.splitter = Objects.requireNonNull(splitter, "splitter");
            return this;
        }

        /** Texts per embedding call and chunks per store write; 64 by default. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Embedding calls in flight at once; 1 by default. Raise it for remote embedders; in-process
         * models already use every core within one call.
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Documents with more characters than this are skipped rather than ingested;
         * {@value #DEFAULT_MAX_DOCUMENT_CHARS} by default. It bounds what one document can cost: its
         * text is held, split and normalised in memory (chunks and vectors are not, see above).
         */
        public Builder maxDocumentChars(int maxDocumentChars) {
            this.maxDocumentChars = maxDocumentChars;
            return this;
        }

        /**
         * Another store whose vectors this ingestion reuses: a chunk that is neither unchanged nor
         * reusable from this ingestor's own store, and whose text matches a chunk that {@code other}
         * holds for the same document, is written with {@code other}'s vector instead of being embedded.
         * Meant for building a new version of an index beside the live one: pass the live version.
         *
         * <p>Used only when {@code other} declares {@link StoreCapability#SCAN} and
         * {@link StoreCapability#READ_VECTORS} and its {@link VectorStore#indexInfo()} records the same
         * embedder id and dimension as this ingestor's embedder (checked at each ingestion, and logged
         * at INFO when it does not hold); vectors of another model are never reused. Not set by default.
         * This ingestor only reads {@code other}, and never closes it.
         */
        public Builder reuseEmbeddingsFrom(VectorStore other) {
            this.reuseStore = Objects.requireNonNull(other, "other");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }


        /** @throws RagConfigurationException listing every missing part or unmet requirement */
        public Ingestor build() {
            List<String> problems = new ArrayList<>();
            if (embedder == null) {
                problems.add("an ingestor needs an embedder");
            }
            if (store == null) {
                problems.add("an ingestor needs a store");
            } else {
                for (StoreCapability needed : List.of(StoreCapability.SCAN, StoreCapability.DELETE)) {
                    if (!store.capabilities().contains(needed)) {
                        problems.add("incremental ingestion needs store capability " + needed + " but store '"
                                + store.name() + "' declares only " + store.capabilities());
                    }
                }
            }
            if (embedder != null && store != null && embedder.dimension() != store.dimension()) {
                problems.add("embedder " + embedder.id() + " makes vectors of dimension " + embedder.dimension()
                        + " but store '" + store.name() + "' holds dimension " + store.dimension());
            }
            if (batchSize < 1) {
                problems.add("ingestion batchSize was " + batchSize + " but it must be >= 1");
            }
            if (concurrency < 1) {
                problems.add("ingestion concurrency was " + concurrency + " but it must be >= 1");
            }
            if (maxDocumentChars < 1) {
                problems.add("ingestion maxDocumentChars was " + maxDocumentChars + " but it must be >= 1");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new Ingestor(this);
        }
    }

    /** Ingests {@code documents} without progress reports. */
    public IngestionReport ingest(List<Document> documents) {
        return ingest(documents, IngestionListener.NONE);
    }

    /**
     * Brings the store in line with {@code documents}: each document's chunks become exactly the
     * splitter's chunks of its current text. Documents not in the list are left alone, and so are
     * documents longer than {@link #maxDocumentChars()}, which the report lists as skipped.
     *
     * @throws InvalidInputException when two documents share an id
     * @throws RagBackendException when the embedder or the store fails; what was written stays
     *     consistent, and rerunning completes the work
     */
    public IngestionReport ingest(List<Document> documents, IngestionListener listener) {
        Objects.requireNonNull(listener, "listener");
        Set<String> ids = new HashSet<>();
        for (Document d : documents) {
            if (!ids.add(d.id())) {
                throw new InvalidInputException("document id '" + d.id() + "' appears twice in one ingestion");
            }
        }
        long start = System.nanoTime();
        // Before the first write: refuse another model's index, and record what builds this one.
        IndexCompatibility.checkAndRecord(store, IndexCompatibility.infoOf(embedder, splitter.describe()));
        long characters = 0;
        for (Document d : documents) {
            characters += d.text().length();
        }
        ExecutorService pool = concurrency > 1 ? Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "ragkit-embed");
            t.setDaemon(true);
            return t;
        }) : null;
        Run run = new Run(documents.size(), characters, listener, pool, reusableStore());
        try {
            for (Document document : documents) {
                run.ingest(document);
            }
            run.flush();
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        IngestionReport report = new IngestionReport(documents.size(), run.embedded, run.unchanged, run.deleted,
                Duration.ofNanos(System.nanoTime() - start), run.skipped, run.reused);
        LOG.debug("ingestion into store '{}': {} document(s), {} chunk(s) embedded, {} reused, {} unchanged, {}"
                + " deleted, {} document(s) skipped, in {} ms", store.name(), report.documents(),
                report.chunksEmbedded(), report.chunksReused(), report.chunksUnchanged(), report.chunksDeleted(),
                run.skipped.size(), report.duration().toMillis());
        return report;
    }

    /**
     * The store of {@link Builder#reuseEmbeddingsFrom} when it can be reused now: it reads vectors back
     * and holds vectors of this ingestor's embedder. Null otherwise.
     */
    private VectorStore reusableStore() {
        if (reuseStore == null) {
            return null;
        }
        Set<StoreCapability> caps = reuseStore.capabilities();
        if (!caps.contains(StoreCapability.SCAN) || !caps.contains(StoreCapability.READ_VECTORS)) {
            LOG.info("ingestion: not reusing embeddings from store '{}': reuse needs capabilities SCAN and "
                    + "READ_VECTORS but it declares {}", reuseStore.name(), caps);
            return null;
        }
        IndexInfo wanted = IndexCompatibility.infoOf(embedder, splitter.describe());
        Optional<IndexInfo> built = reuseStore.indexInfo();
        if (built.isEmpty() || !built.get().sameEmbedder(wanted) || reuseStore.dimension() != embedder.dimension()) {
            LOG.info("ingestion: not reusing embeddings from store '{}': it holds vectors of {} but this ingestion"
                    + " uses {}", reuseStore.name(), built.map(IndexInfo::describeEmbedder).orElse("an unrecorded"
                    + " embedder"), wanted.describeEmbedder());
            return null;
        }
        return reuseStore;
    }

    /** {@link #sync(DocumentLoader, IngestionListener)} without progress reports. */
    public SyncReport sync(DocumentLoader loader) {
        return sync(loader, IngestionListener.NONE);
    }

    /**
     * Brings the store in line with one source: ingests every document the loader yields (in batches,
     * as {@link #ingest} does, tagged with metadata {@value DocumentLoader#SOURCE_ID_KEY} = the
     * source's id), then deletes the documents stored from that source before that it no longer
     * yields, except those it reported as skipped. Deletion happens only after the loader finished:
     * if it or the ingestion fails, no document is deleted, and rerunning completes the work.
     * Progress counts the documents of the batches handed to the ingestor so far.
     *
     * @throws RagConfigurationException when the store does not declare SCAN, FILTER and DELETE
     * @throws InvalidInputException when the loader yields one id twice
     */
    public SyncReport sync(DocumentLoader loader, IngestionListener listener) {
        return new SourceSync(this, store, loader, listener, true).run();
    }

    /**
     * Ingests everything {@code loader} yields, in batches as for {@link #sync}, but deletes nothing:
     * for stores that cannot list a source's documents (no SCAN, FILTER or DELETE), where documents
     * that disappeared from the source keep their chunks. The report's {@code documentsDeleted} is 0.
     */
    public SyncReport ingest(DocumentLoader loader, IngestionListener listener) {
        return new SourceSync(this, store, loader, listener, false).run();
    }

    /** The longest document, in characters, that {@link #ingest} takes; longer ones are skipped. */
    public int maxDocumentChars() {
        return maxDocumentChars;
    }

    /** Removes every chunk of these documents; unknown ids are ignored. */
    public IngestionReport deleteDocuments(Collection<String> documentIds) {
        long start = System.nanoTime();
        int deleted = 0;
        for (String id : documentIds) {
            List<String> chunkIds = new ArrayList<>(storedChunks(id).keySet());
            if (!chunkIds.isEmpty()) {
                store.delete(chunkIds);
                deleted += chunkIds.size();
            }
        }
        return new IngestionReport(documentIds.size(), 0, 0, deleted, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Content hash to chunk id of every chunk {@code source} holds of one document: where a chunk of
     * that document with the same text can take its vector from (of duplicate texts, any one).
     */
    private static Map<String, String> chunkIdsByHash(VectorStore source, String documentId) {
        Map<String, String> byHash = new HashMap<>();
        forEachStored(source, Filter.eq(Metadata.DOCUMENT_ID_KEY, documentId), c -> byHash.putIfAbsent(c.contentHash(), c.id()));
        return byHash;
    }

    /** Every chunk of {@code source} that satisfies {@code filter} (null: all), page by page. */
    private static void forEachStored(VectorStore source, Filter filter, Consumer<Chunk> action) {
        String cursor = null;
        do {
            ScanPage page = source.scan(filter, cursor, SCAN_PAGE);
            page.chunks().forEach(action);
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
    }

    /** The vectors {@code source} holds for {@code ids}, by id; ids it no longer holds are missing. */
    private static Map<String, float[]> vectorsOf(VectorStore source, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, float[]> vectors = new HashMap<>();
        for (EmbeddedChunk e : source.getEmbedded(ids)) {
            vectors.put(e.chunk().id(), e.vector());
        }
        return vectors;
    }

    /**
     * A chunk to write, and where its vector comes from: {@code vector} in hand, the chunk
     * {@code ownId} of this ingestor's store, the chunk {@code otherId} of the reuse store, or, when
     * all are null, the embedder.
     *
     * @param overwrittenHash the content hash of the stored chunk this one replaces at its position,
     *     null when there was none
     */
    private record Pending(Chunk chunk, float[] vector, String ownId, String otherId, String overwrittenHash) {
    }

    /** Ids of every document with chunks in the store whose metadata satisfies {@code filter} (null: all). */
    public Set<String> storedDocumentIds(Filter filter) {
        Set<String> documentIds = new HashSet<>();
        forEachStored(store, filter, c -> documentIds.add(c.documentId()));
        return documentIds;
    }

    /**
     * What the store holds of one document: chunk id to what decides whether a new chunk with that id
     * is unchanged. Only the hash is kept, not the text, so a huge stored document costs little here.
     */
    private Map<String, StoredChunk> storedChunks(String documentId) {
        Map<String, StoredChunk> stored = new HashMap<>();
        // A document's chunks nearly always carry the same metadata: keep one copy of it.
        AtomicReference<Map<String, Object>> sharedMetadata = new AtomicReference<>();
        forEachStored(store, Filter.eq(Metadata.DOCUMENT_ID_KEY, documentId), c -> {
            Map<String, Object> metadata = sharedMetadata.updateAndGet(m -> c.metadata().equals(m) ? m : c.metadata());
            stored.put(c.id(), new StoredChunk(c.contentHash(), metadata));
        });
        return stored;
    }

    /** A stored chunk as far as change detection goes: the same hash and metadata mean the same chunk. */
    private record StoredChunk(String contentHash, Map<String, Object> metadata) {
        boolean sameAs(Chunk chunk) {
            return contentHash.equals(chunk.contentHash()) && metadata.equals(chunk.metadata());
        }
    }

    /** State of one ingestion call. */
    private final class Run {
        private final int total;
        private final long charactersTotal;
        private final IngestionListener listener;
        private final ExecutorService pool;
        /** Chunks waiting to be embedded: written once there are enough for every embedding call in flight. */
        private final int flushAt;
        private final List<Pending> pending = new ArrayList<>();
        /** The reuse store, when its vectors can be reused in this run; null otherwise. */
        private final VectorStore other;
        /** Whether this ingestor's store reads vectors back, so that moved chunks keep theirs. */
        private final boolean ownReusable;
        /** The document being split, null between documents. */
        private String current;
        /** Content hash to chunk id of the current document's chunks in this store, not yet overwritten. */
        private Map<String, String> ownByHash = Map.of();
        /** Content hash to chunk id of the current document's chunks in the reuse store. */
        private Map<String, String> otherByHash = Map.of();
        /** Vectors of the current document's stored chunks read just before they were overwritten. */
        private final Map<String, float[]> rescued = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > RESCUED_VECTORS;
            }
        };
        /** Stale chunk ids of documents split to the end whose pending chunks are not written yet. */
        private final Map<String, List<String>> staleByDocument = new LinkedHashMap<>();
        private final List<SkippedDocument> skipped = new ArrayList<>();
        private int done;
        private int embedded;
        private int reused;
        private int unchanged;
        private int deleted;
        /** Characters of the documents already split to the end (or skipped). */
        private long charactersBefore;
        /** Characters read of the document being split. */
        private int charactersRead;
        /** Chunks found unchanged since the last progress report. */
        private int unchangedSinceReport;

        Run(int total, long charactersTotal, IngestionListener listener, ExecutorService pool, VectorStore other) {
            this.total = total;
            this.other = other;
            this.ownReusable = store.capabilities().contains(StoreCapability.READ_VECTORS);
            this.charactersTotal = charactersTotal;
            this.listener = listener;
            this.pool = pool;
            this.flushAt = (int) Math.min(Integer.MAX_VALUE, (long) batchSize * concurrency);
        }

        void ingest(Document document) {
            int length = document.text().length();
            if (length > maxDocumentChars) {
                skipped.add(new SkippedDocument(document.id(), length + " characters, more than "
                        + MAX_DOCUMENT_CHARS_KEY + " (" + maxDocumentChars + "); raise it to ingest this document"));
                LOG.debug("ingestion: skipped document '{}' of {} characters (more than {})", document.id(), length,
                        maxDocumentChars);
                finishSplit(document.id(), List.of(), length);
                return;
            }
            String text = ControlCharacters.strip(document.text());
            Document clean = text == document.text() ? document : new Document(document.id(), text, document.metadata());
            Map<String, StoredChunk> stored = storedChunks(document.id());
            startDocument(document.id(), stored);
            splitter.split(clean, (chunk, textRead) -> {
                StoredChunk before = stored.remove(chunk.id());
                if (before != null && before.sameAs(chunk)) {
                    unchanged++;
                    unchangedSinceReport++;
                } else {
                    pending.add(pendingFor(chunk, before));
                }
                charactersRead = Math.max(charactersRead, Math.min(textRead, length));
                if (pending.size() >= flushAt) {
                    flush();
                } else if (unchangedSinceReport >= flushAt) {
                    report();
                }
            });
            // What the splitter no longer produces disappeared from the document.
            List<String> stale = stored.keySet().stream().sorted().toList();
            finishSplit(document.id(), stale, length);
        }

        /** Notes where the chunks of the document about to be split can take their vectors from. */
        private void startDocument(String documentId, Map<String, StoredChunk> stored) {
            current = documentId;
            rescued.clear();
            ownByHash = new HashMap<>();
            if (ownReusable) {
                stored.forEach((id, c) -> ownByHash.putIfAbsent(c.contentHash(), id));
            }
            otherByHash = other == null ? Map.of() : chunkIdsByHash(other, documentId);
        }

        /** A chunk to write, with the best source of its vector that is known now. */
        private Pending pendingFor(Chunk chunk, StoredChunk before) {
            String hash = chunk.contentHash();
            String overwritten = before == null ? null : before.contentHash();
            float[] vector = rescued.get(hash);
            if (vector != null) {
                return new Pending(chunk, vector, null, null, overwritten);
            }
            String ownId = ownByHash.get(hash);
            if (ownId != null) {
                return new Pending(chunk, null, ownId, null, overwritten);
            }
            return new Pending(chunk, null, null, otherByHash.get(hash), overwritten);
        }

        /** Queues a document split to the end; it is done once its pending chunks are written. */
        private void finishSplit(String documentId, List<String> stale, int length) {
            current = null;
            ownByHash = Map.of();
            otherByHash = Map.of();
            rescued.clear();
            staleByDocument.put(documentId, stale);
            charactersBefore += length;
            charactersRead = 0;
            if (pending.isEmpty()) {
                finishDocuments();
            }
        }

        /**
         * Embeds and writes every pending chunk, then deletes the stale chunks of the documents they
         * complete. The document being split, if any, is not among those: its stale chunks wait until
         * all its chunks are written.
         */
        void flush() {
            if (!pending.isEmpty()) {
                List<EmbeddedChunk> withVectors = new ArrayList<>();
                List<Chunk> toEmbed = new ArrayList<>();
                resolveVectors(withVectors, toEmbed);
                for (int i = 0; i < withVectors.size(); i += batchSize) {
                    store.upsert(withVectors.subList(i, Math.min(withVectors.size(), i + batchSize)));
                }
                List<List<Chunk>> batches = new ArrayList<>();
                for (int i = 0; i < toEmbed.size(); i += batchSize) {
                    batches.add(toEmbed.subList(i, Math.min(toEmbed.size(), i + batchSize)));
                }
                if (pool == null) {
                    for (List<Chunk> batch : batches) {
                        store.upsert(embed(batch));
                    }
                } else {
                    List<Future<List<EmbeddedChunk>>> futures = new ArrayList<>();
                    for (List<Chunk> batch : batches) {
                        futures.add(pool.submit(() -> embed(batch)));
                    }
                    for (Future<List<EmbeddedChunk>> f : futures) {
                        store.upsert(await(f));
                    }
                }
                embedded += toEmbed.size();
                reused += withVectors.size();
                LOG.debug("ingestion: embedded and wrote {} chunk(s) in {} batch(es), wrote {} with reused vectors",
                        toEmbed.size(), batches.size(), withVectors.size());
                pending.clear();
            }
            finishDocuments();
        }

        /**
         * Sorts the pending chunks into those written with a vector already computed and those to embed.
         * Every stored vector is read before anything is written: this flush may overwrite a position
         * whose old vector a chunk of this flush, or a later chunk of the document being split, reuses.
         */
        private void resolveVectors(List<EmbeddedChunk> withVectors, List<Chunk> toEmbed) {
            Set<String> ownIds = new HashSet<>();
            Set<String> otherIds = new HashSet<>();
            Map<String, String> toRescue = new HashMap<>();
            for (Pending p : pending) {
                if (p.ownId() != null) {
                    ownIds.add(p.ownId());
                } else if (p.otherId() != null) {
                    otherIds.add(p.otherId());
                }
                String overwritten = p.overwrittenHash();
                if (overwritten != null && p.chunk().documentId().equals(current)
                        && p.chunk().id().equals(ownByHash.get(overwritten))) {
                    toRescue.put(p.chunk().id(), overwritten);
                    ownIds.add(p.chunk().id());
                }
            }
            Map<String, float[]> own = vectorsOf(store, ownIds);
            Map<String, float[]> others = other == null ? Map.of() : vectorsOf(other, otherIds);
            toRescue.forEach((id, hash) -> {
                ownByHash.remove(hash);
                float[] vector = own.get(id);
                if (vector != null) {
                    rescued.put(hash, vector);
                }
            });
            for (Pending p : pending) {
                float[] vector = p.vector();
                if (vector == null && p.ownId() != null) {
                    vector = own.get(p.ownId());
                } else if (vector == null && p.otherId() != null) {
                    vector = others.get(p.otherId());
                }
                if (vector != null && vector.length == embedder.dimension()) {
                    withVectors.add(new EmbeddedChunk(p.chunk(), vector));
                } else {
                    // Gone from its store since the document was read (or never there): embed it.
                    toEmbed.add(p.chunk());
                }
            }
        }

        private void finishDocuments() {
            for (Map.Entry<String, List<String>> e : staleByDocument.entrySet()) {
                List<String> stale = e.getValue();
                if (!stale.isEmpty()) {
                    store.delete(stale);
                    deleted += stale.size();
                    LOG.debug("ingestion: document '{}' lost {} chunk(s) it no longer has", e.getKey(), stale.size());
                }
                done++;
            }
            staleByDocument.clear();
            report();
        }

        private void report() {
            unchangedSinceReport = 0;
            listener.onProgress(new IngestionProgress(done, total, embedded, unchanged,
                    charactersBefore + charactersRead, charactersTotal, reused));
        }

        private List<EmbeddedChunk> embed(List<Chunk> batch) {
            // Identical texts (boilerplate, repeated headers) are embedded once.
            Map<String, Integer> firstByHash = new LinkedHashMap<>();
            List<String> texts = new ArrayList<>();
            for (Chunk c : batch) {
                firstByHash.computeIfAbsent(c.contentHash(), h -> {
                    texts.add(c.text());
                    return texts.size() - 1;
                });
            }
            List<float[]> vectors = instrumentation.step("rag.embed", "rag.embed", "embedder", embedder.id(), null,
                    () -> embedder.embedDocuments(texts));
            if (vectors.size() != texts.size()) {
                throw RagBackendException.permanent(embedder.id(), "returned " + vectors.size() + " vectors for "
                        + texts.size() + " texts", null);
            }
            List<EmbeddedChunk> out = new ArrayList<>(batch.size());
            for (Chunk c : batch) {
                out.add(new EmbeddedChunk(c, vectors.get(firstByHash.get(c.contentHash()))));
            }
            return out;
        }

        private List<EmbeddedChunk> await(Future<List<EmbeddedChunk>> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RagException("ingestion interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new RagException("embedding failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
