package dev.ragkit.core.text;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import java.util.List;

/** Cuts a document into chunks. Deterministic: the same document always gives the same chunks. */
@FunctionalInterface
public interface Splitter {
    /** The chunks of {@code document}, numbered from 0; none for a blank document. */
    List<Chunk> split(Document document);

    /**
     * The splitter and its settings, recorded with an index ({@link dev.ragkit.core.model.IndexInfo}):
     * equal descriptions cut equal chunks. The class name unless a splitter says more.
     */
    default String describe() {
        return getClass().getName();
    }

    /**
     * Hands the chunks of {@code document} to {@code sink} one at a time, in order: the same chunks
     * as {@link #split(Document)}. Ingestion calls this, so a splitter that overrides it to hand over
     * each chunk as soon as it is cut lets a huge document be embedded and stored while it is being
     * split, in bounded memory. This default splits the whole document first.
     */
    default void split(Document document, ChunkSink sink) {
        List<Chunk> chunks = split(document);
        int length = document.text().length();
        for (int i = 0; i < chunks.size(); i++) {
            // Without positions from the splitter, how far it has read is estimated from the chunk count.
            sink.accept(chunks.get(i), (int) ((long) length * (i + 1) / chunks.size()));
        }
    }

    /** Receives the chunks of a document as a {@link Splitter} cuts them. */
    @FunctionalInterface
    interface ChunkSink {
        /**
         * Takes the next chunk.
         *
         * @param chunk the next chunk, numbered from 0
         * @param textRead about how many characters of the document's text the chunks so far cover,
         *     between 0 and the text's length; for progress reports only
         */
        void accept(Chunk chunk, int textRead);
    }
}
