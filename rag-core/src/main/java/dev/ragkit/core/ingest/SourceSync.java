package dev.ragkit.core.ingest;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One {@link Ingestor#sync(DocumentLoader, IngestionListener)}: ingests what the loader yields in
 * batches, then deletes the documents of the source that it did not yield. Deletion comes last, once
 * the loader has finished without error, so a failed sync deletes no document. Without deletion it is
 * {@link Ingestor#ingest(DocumentLoader, IngestionListener)}: the same batches, for stores that cannot
 * find a source's documents.
 */
final class SourceSync {
    /** Documents held before they are handed to the ingestor. */
    static final int DOCUMENTS_PER_BATCH = 64;
    /** Characters held before they are handed to the ingestor, so that big documents are not piled up. */
    static final long CHARACTERS_PER_BATCH = 4_000_000;

    private final Ingestor ingestor;
    private final VectorStore store;
    private final DocumentLoader loader;
    private final String sourceId;
    private final IngestionListener listener;
    private final boolean deleteVanished;

    private final List<Document> batch = new ArrayList<>();
    private long batchCharacters;
    private final Set<String> seen = new HashSet<>();
    private final List<SkippedDocument> skipped = new ArrayList<>();
    private final Set<String> protectedIds = new HashSet<>();
    private final List<String> protectedPrefixes = new ArrayList<>();
    private final Map<String, List<String>> takenOver = new TreeMap<>();
    private int documents;
    private int embedded;
    private int reused;
    private int unchanged;
    private int deleted;
    private int doneBefore;
    private long charactersBefore;

    SourceSync(Ingestor ingestor, VectorStore store, DocumentLoader loader, IngestionListener listener,
               boolean deleteVanished) {
        this.ingestor = ingestor;
        this.store = store;
        this.loader = Objects.requireNonNull(loader, "loader");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.deleteVanished = deleteVanished;
        List<String> problems = new ArrayList<>();
        List<StoreCapability> needs = deleteVanished
                ? List.of(StoreCapability.SCAN, StoreCapability.FILTER, StoreCapability.DELETE) : List.of();
        for (StoreCapability needed : needs) {
            if (!store.capabilities().contains(needed)) {
                problems.add("syncing a source finds its deleted documents with SCAN and a FILTER on '"
                        + DocumentLoader.SOURCE_ID_KEY + "' and removes them with DELETE, but store '" + store.name()
                        + "' does not declare " + needed + " (it declares " + store.capabilities()
                        + "); use Ingestor.ingest, which deletes nothing, or a store with these capabilities");
            }
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
        String id = loader.sourceId();
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("document loader " + loader.getClass().getName()
                    + " has source id '" + id + "' but it must be non-blank");
        }
        this.sourceId = id;
    }

    SyncReport run() {
        long start = System.nanoTime();
        loader.load(new DocumentLoader.Sink() {
            @Override
            public void document(Document document) {
                add(document);
            }

            @Override
            public void skipped(String documentId, String reason) {
                skipped.add(new SkippedDocument(documentId, reason));
                protectedIds.add(documentId);
            }

            @Override
            public void skippedUnder(String idPrefix, String reason) {
                skipped.add(new SkippedDocument(idPrefix, reason));
                protectedPrefixes.add(Objects.requireNonNull(idPrefix, "idPrefix"));
            }
        });
        flush();
        // Only now that every document of the source is known: what it no longer holds goes.
        Set<String> gone = new TreeSet<>();
        if (deleteVanished) {
            gone.addAll(ingestor.storedDocumentIds(Filter.eq(DocumentLoader.SOURCE_ID_KEY, sourceId)));
            gone.removeAll(seen);
            gone.removeIf(this::isProtected);
        }
        if (!gone.isEmpty()) {
            deleted += ingestor.deleteDocuments(gone).chunksDeleted();
        }
        store.flush();
        return new SyncReport(sourceId, documents, embedded, unchanged, deleted, gone.size(),
                Duration.ofNanos(System.nanoTime() - start), skipped, takenOver, reused);
    }

    private boolean isProtected(String id) {
        if (protectedIds.contains(id)) {
            return true;
        }
        for (String prefix : protectedPrefixes) {
            if (id.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void add(Document document) {
        Objects.requireNonNull(document, "document");
        if (!seen.add(document.id())) {
            throw new InvalidInputException("source '" + sourceId + "' yielded document id '" + document.id()
                    + "' twice");
        }
        Map<String, Object> metadata = new LinkedHashMap<>(document.metadata());
        metadata.put(DocumentLoader.SOURCE_ID_KEY, sourceId);
        batch.add(new Document(document.id(), document.text(), metadata));
        batchCharacters += document.text().length();
        documents++;
        if (batch.size() >= DOCUMENTS_PER_BATCH || batchCharacters >= CHARACTERS_PER_BATCH) {
            flush();
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        noteTakenOver();
        int before = doneBefore;
        long charsBefore = charactersBefore;
        IngestionReport report = ingestor.ingest(batch, p -> listener.onProgress(new IngestionProgress(
                before + p.documentsDone(), before + p.documentsTotal(), embedded + p.chunksEmbedded(),
                unchanged + p.chunksUnchanged(), charsBefore + p.charactersRead(), charsBefore + p.charactersTotal(),
                reused + p.chunksReused())));
        embedded += report.chunksEmbedded();
        reused += report.chunksReused();
        unchanged += report.chunksUnchanged();
        deleted += report.chunksDeleted();
        skipped.addAll(report.skipped());
        doneBefore += batch.size();
        charactersBefore += batchCharacters;
        batch.clear();
        batchCharacters = 0;
    }

    /** Finds the documents of this batch that another source stored before (by their first chunk). */
    private void noteTakenOver() {
        Map<String, String> documentOfFirstChunk = new HashMap<>();
        batch.forEach(d -> documentOfFirstChunk.put(Chunk.idOf(d.id(), 0), d.id()));
        for (Chunk stored : store.get(documentOfFirstChunk.keySet())) {
            Object previous = stored.metadata().get(DocumentLoader.SOURCE_ID_KEY);
            if (previous != null && !previous.equals(sourceId)) {
                takenOver.computeIfAbsent(previous.toString(), k -> new ArrayList<>()).add(stored.documentId());
            }
        }
    }
}
