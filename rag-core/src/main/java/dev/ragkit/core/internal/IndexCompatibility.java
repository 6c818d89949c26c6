package dev.ragkit.core.internal;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import java.util.Optional;

/**
 * Keeps an index and the embedder used with it in the same vector space: the one check that the
 * ingestor, the retriever and the assembly share. Vectors of two models cannot be compared, and a
 * search that compares them returns plausible noise rather than an error.
 */
public final class IndexCompatibility {
    /** The key that lets {@code Ragkit.fromConfig} empty a mismatched index for a full re-ingestion. */
    public static final String REBUILD_KEY = "rag.index.rebuild";

    private IndexCompatibility() {
    }

    /** What this embedder and splitter would record. */
    public static IndexInfo infoOf(Embedder embedder, String splitter) {
        return new IndexInfo(embedder.id(), embedder.dimension(), splitter);
    }

    /**
     * Throws when the store records another embedder than {@code embedder}; passes when it records none
     * (an empty index, or one built before indexes recorded their embedder).
     *
     * @param action what is about to use the index, e.g. {@code "this retriever"}, for the message
     */
    public static void requireSameEmbedder(VectorStore store, Embedder embedder, String action) {
        Optional<IndexInfo> stored = store.indexInfo();
        IndexInfo wanted = infoOf(embedder, "");
        if (stored.isPresent() && !stored.get().sameEmbedder(wanted)) {
            throw mismatch(store, stored.get(), wanted, action);
        }
    }

    /**
     * Before an ingestion: fails on another embedder, then records this embedder and splitter when the
     * store has no record yet or a record with another splitter.
     */
    public static void checkAndRecord(VectorStore store, IndexInfo wanted) {
        Optional<IndexInfo> stored = store.indexInfo();
        if (stored.isPresent() && !stored.get().sameEmbedder(wanted)) {
            throw mismatch(store, stored.get(), wanted, "this ingestion");
        }
        if (stored.isEmpty() || !stored.get().equals(wanted)) {
            store.recordIndexInfo(wanted);
        }
    }

    /** The error naming both embedders and the ways out. */
    public static RagConfigurationException mismatch(VectorStore store, IndexInfo stored, IndexInfo wanted,
                                                     String action) {
        return new RagConfigurationException("The index in store '" + store.name() + "' was built with "
                + stored.describeEmbedder() + " but " + action + " uses " + wanted.describeEmbedder()
                + "; vectors of different models cannot be compared. Use the embedder that built it, or another"
                + " index, or rebuild this one: " + REBUILD_KEY + "=true empties it when Ragkit.fromConfig opens it,"
                + " and the next ingestion embeds every document with the new embedder");
    }
}
