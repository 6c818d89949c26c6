package dev.ragkit.core.ingest;

import dev.ragkit.core.model.Document;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A named source of documents (a folder, a database table, a web site) that
 * {@link Ingestor#sync(DocumentLoader)} brings into the index, deleting what the source no longer holds.
 *
 * <p>A loader pushes its documents one by one into a {@link Sink}, so a source of any size is never
 * held in memory at once. It names what it could not read with {@link Sink#skipped}: those documents
 * keep what they had in the index, since they may still exist in the source.
 *
 * <pre>{@code
 * DocumentLoader products = new DocumentLoader() {
 *     public String sourceId() { return "db:products"; }
 *     public void load(Sink sink) {
 *         for (Product p : repository.findAll()) {
 *             sink.document(new Document("product-" + p.id(), p.description(), Map.of("title", p.name())));
 *         }
 *     }
 * };
 * SyncReport report = ingestor.sync(products);
 * }</pre>
 */
public interface DocumentLoader {
    /**
     * Metadata key holding, on every chunk ingested through {@link Ingestor#sync}, the
     * {@link #sourceId()} of the source it came from: a later sync deletes the documents of that
     * source that it no longer yields.
     */
    String SOURCE_ID_KEY = "source_id";

    /**
     * A stable, non-blank identifier of the source, the same on every run (e.g. the absolute folder,
     * {@code jdbc:products}). Two loaders with the same id are the same source.
     */
    String sourceId();

    /**
     * Yields every document of the source into {@code sink}, each id once, and names into
     * {@link Sink#skipped} or {@link Sink#skippedUnder} whatever exists but could not be read.
     * Throwing stops the sync before it deletes anything.
     */
    void load(Sink sink);

    /**
     * A loader from a source id and a function that feeds the sink, e.g.
     * {@code DocumentLoader.of("db:faq", sink -> rows.forEach(r -> sink.document(toDocument(r))))}.
     */
    static DocumentLoader of(String sourceId, Consumer<Sink> load) {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(load, "load");
        return new DocumentLoader() {
            @Override
            public String sourceId() {
                return sourceId;
            }

            @Override
            public void load(Sink sink) {
                load.accept(sink);
            }

            @Override
            public String toString() {
                return "DocumentLoader[" + sourceId + "]";
            }
        };
    }

    /** Receives a loader's documents; not thread-safe: call it from the loading thread. */
    interface Sink {
        /** A document of the source; ingested in batches as they come. */
        void document(Document document);

        /**
         * A document that exists in the source but could not be read; its chunks already in the index,
         * if any, are kept.
         *
         * @param reason what was wrong and what to change, e.g. {@code not UTF-8 text}
         */
        void skipped(String documentId, String reason);

        /**
         * A part of the source that could not be listed (a folder without permission): every stored
         * document whose id starts with {@code idPrefix} is kept. {@code ""} protects the whole source.
         */
        void skippedUnder(String idPrefix, String reason);
    }
}
