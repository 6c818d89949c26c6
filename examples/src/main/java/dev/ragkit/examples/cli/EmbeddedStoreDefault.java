package dev.ragkit.examples.cli;

import dev.ragkit.core.RagException;
import dev.ragkit.store.faiss.FaissVectorStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store the CLI uses when none is named: FAISS where its native library loads (Linux
 * x86-64 with OpenBLAS and OpenMP), the pure-Java Lucene store everywhere else. Decided once per
 * process by loading the library (what any FAISS store does first); both stay selectable by name.
 */
final class EmbeddedStoreDefault {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreDefault.class);

    /** The store name and why it was chosen. */
    record Choice(String store, String reason) {
    }

    static final Choice CHOICE = probe(() -> FaissVectorStore.builder().dimension(1).index("Flat").build().close());
    private static volatile boolean logged;

    private EmbeddedStoreDefault() {
    }

    /** The choice, given what loading FAISS does (building a one-dimensional in-memory index loads the library). */
    static Choice probe(Runnable loadFaiss) {
        try {
            loadFaiss.run();
            return new Choice("faiss", "the FAISS native library loaded on " + platform());
        } catch (RagException | LinkageError e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return new Choice("lucene", "the FAISS native library does not load on " + platform() + " (" + why
                    + "); Lucene is pure Java");
        }
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    /** Says once which default store is used and why (--store or RAG_STORE choose another). */
    static void logChoice() {
        if (!logged) {
            logged = true;
            LOG.info("default embedded store: {} ({}); --store faiss|lucene or RAG_STORE chooses another",
                    CHOICE.store(), CHOICE.reason());
        }
    }
}
