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
}
