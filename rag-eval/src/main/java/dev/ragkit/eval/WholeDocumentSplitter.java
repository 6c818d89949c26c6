package dev.ragkit.eval;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.text.Splitter;
import java.util.List;

/**
 * A {@link Splitter} that keeps each document whole, as one chunk ({@code <id>#0}). BEIR's protocol
 * indexes every corpus document as a single unit (the model truncates what it cannot read), so
 * retrieval scores stay comparable with published ones.
 */
public final class WholeDocumentSplitter implements Splitter {
    /** Creates the splitter; it has no settings. */
    public WholeDocumentSplitter() {
    }

    @Override
    public List<Chunk> split(Document document) {
        if (document.text().isBlank()) {
            return List.of();
        }
        return List.of(Chunk.of(document.id(), 0, document.text(), document.metadata()));
    }
}
