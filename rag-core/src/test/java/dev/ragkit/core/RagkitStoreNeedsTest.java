package dev.ragkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VectorStoreProvider;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.TestProviders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link Ragkit#fromConfig} needs from a store: every unmet need is reported in one exception. */
class RagkitStoreNeedsTest {
    private static final String SCAN_MISSING = "incremental ingestion needs store capability SCAN (a scan filtered "
            + "on doc_id lists a document's stored chunks) but store 'limited' declares ";
    private static final String DELETE_MISSING = "incremental ingestion needs store capability DELETE (chunks "
            + "that disappeared from a document are deleted) but store 'limited' declares ";

    /** Stores opened by {@link LimitedStoreProvider}, to check that a failed assembly closes them. */
    private final List<LimitedStore> opened = new ArrayList<>();

    /** A memory store that declares only the capabilities of key {@code capabilities} (comma-separated). */
    private final class LimitedStore extends ForwardingVectorStore {
        private final Set<StoreCapability> capabilities;
        private boolean closed;

        LimitedStore(VectorStore delegate, Set<StoreCapability> capabilities) {
            super(delegate);
            this.capabilities = capabilities;
        }

        @Override
        public String name() {
            return "limited";
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return capabilities;
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }

    private final class LimitedStoreProvider implements VectorStoreProvider {
        @Override
        public String name() {
            return "limited";
        }

        @Override
        public VectorStore create(ProviderConfig config) {
            int dimension = config.requiredInteger("dimension");
            String names = config.string("capabilities", "");
            config.validate();
            EnumSet<StoreCapability> capabilities = EnumSet.noneOf(StoreCapability.class);
            Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                    .forEach(n -> capabilities.add(StoreCapability.valueOf(n)));
            LimitedStore store = new LimitedStore(MemoryVectorStore.builder().dimension(dimension).build(),
                    Set.copyOf(capabilities));
            opened.add(store);
            return store;
        }
    }

    private ProviderRegistry registry() {
        return ProviderRegistry.of(List.of(new LimitedStoreProvider(), new TestProviders.WordsEmbedderProvider()));
    }

    private static Map<String, String> config(String capabilities, String mode) {
        return Map.of("rag.embedder", "words", "rag.store", "limited",
                "rag.store.limited.capabilities", capabilities, "rag.retrieval.mode", mode);
    }

    private static List<String> problems(Throwable e) {
        return ((RagConfigurationException) e).problems();
    }

    @Test
    void everyUnmetNeedIsListedAtOnceWithTheOtherProblems() {
        Map<String, String> config = new java.util.HashMap<>(config("", "hybrid"));
        config.put("rag.splitter.overlap-chars", "2000");
        assertThatThrownBy(() -> Ragkit.fromConfig(config, registry()))
                .isInstanceOf(RagConfigurationException.class)
                .satisfies(e -> assertThat(problems(e)).containsExactlyInAnyOrder(
                        "rag.splitter.overlap-chars was 2000 but it must be >= 0 and below rag.splitter.max-chars (1000)",
                        SCAN_MISSING + "no capabilities",
                        DELETE_MISSING + "no capabilities",
                        "rag.retrieval.mode hybrid needs store capability KEYWORD_SEARCH, or SCAN to build a BM25 "
                                + "sidecar, but store 'limited' declares no capabilities; set rag.retrieval.mode=dense "
                                + "or use a store that has one of them"));
        assertThat(opened).as("stores opened by the failed assembly").hasSize(1)
                .allSatisfy(s -> assertThat(s.closed).as("closed").isTrue());
    }

    @Test
    void denseRetrievalStillNeedsWhatIngestionNeeds() {
        assertThatThrownBy(() -> Ragkit.fromConfig(config("FILTER,PERSISTENCE", "dense"), registry()))
                .satisfies(e -> assertThat(problems(e)).containsExactly(
                        SCAN_MISSING + "only [FILTER, PERSISTENCE]",
                        DELETE_MISSING + "only [FILTER, PERSISTENCE]"));
    }

    @Test
    void scanIsEnoughForKeywordSearchThroughASidecar() {
        assertThatThrownBy(() -> Ragkit.fromConfig(config("SCAN", "keyword"), registry()))
                .satisfies(e -> assertThat(problems(e)).containsExactly(DELETE_MISSING + "only [SCAN]"));

        try (Ragkit rag = Ragkit.fromConfig(config("SCAN,DELETE", "hybrid"), registry())) {
            assertThat(rag.store().capabilities()).as("the store behind a BM25 sidecar")
                    .containsExactlyInAnyOrder(StoreCapability.SCAN, StoreCapability.DELETE,
                            StoreCapability.KEYWORD_SEARCH);
            rag.ingestor().ingest(List.of(new Document("faiss", "FAISS searches dense vectors.")));
            assertThat(rag.pipeline().ask("What searches dense vectors?").citations()).isNotEmpty();
        }
    }
}
