package dev.ragkit.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrieverTest {
    private final WordHashEmbedder embedder = new WordHashEmbedder(256);
    private MemoryVectorStore store;

    @BeforeEach
    void ingest() {
        store = MemoryVectorStore.builder().dimension(256).build();
        Ingestor.builder().embedder(embedder).store(store).build().ingest(List.of(
                new Document("eiffel", "La tour Eiffel mesure 330 mètres et se trouve à Paris.", Map.of("lang", "fr")),
                new Document("louvre", "Le musée du Louvre est le musée le plus visité au monde.", Map.of("lang", "fr")),
                new Document("bridge", "The Golden Gate Bridge spans the strait in San Francisco.", Map.of("lang", "en")),
                new Document("tower", "The Eiffel Tower was built for the 1889 World's Fair.", Map.of("lang", "en")),
                new Document("cooking", "Slow cooking brings out the flavour of root vegetables.", Map.of("lang", "en"))));
    }

    private Retriever retriever(RetrievalMode mode, double minScore) {
        return Retriever.builder().embedder(embedder).store(store).mode(mode).topK(3).minScore(minScore).build();
    }

    private static List<String> docs(List<SearchHit> hits) {
        return hits.stream().map(h -> h.chunk().documentId()).toList();
    }

    @Test
    void everyModeFindsTheRelevantDocumentsWithScoresInTheUnitInterval() {
        for (RetrievalMode mode : RetrievalMode.values()) {
            List<SearchHit> hits = retriever(mode, 0).retrieve("Eiffel tower height in Paris");
            assertThat(docs(hits)).as(mode.name()).isNotEmpty();
            assertThat(docs(hits).subList(0, 2)).as(mode.name()).containsExactlyInAnyOrder("eiffel", "tower");
            assertThat(hits).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        }
    }

    @Test
    void keywordSearchFoldsAccentsAndCase() {
        List<SearchHit> hits = retriever(RetrievalMode.KEYWORD, 0).retrieve("MUSEE le plus VISITE");
        assertThat(docs(hits).get(0)).isEqualTo("louvre");
    }

    @Test
    void minScoreMeansTheSameThresholdInEveryMode() {
        for (RetrievalMode mode : RetrievalMode.values()) {
            List<SearchHit> all = retriever(mode, 0).retrieve("Eiffel tower");
            double cut = all.get(0).score();
            List<SearchHit> kept = retriever(mode, cut).retrieve("Eiffel tower");
            assertThat(kept).as(mode.name()).isNotEmpty().allSatisfy(h -> assertThat(h.score()).isGreaterThanOrEqualTo(cut));
        }
    }

    @Test
    void filtersApplyInEveryMode() {
        for (RetrievalMode mode : RetrievalMode.values()) {
            List<SearchHit> hits = retriever(mode, 0).retrieve("Eiffel tower", Filter.eq("lang", "en"), 5);
            assertThat(hits).as(mode.name()).isNotEmpty()
                    .allSatisfy(h -> assertThat(h.chunk().metadata()).containsEntry("lang", "en"));
        }
    }

    @Test
    void hybridNeedsKeywordSearchOrASidecar() {
        VectorStore denseOnly = new DenseOnlyStore(store);
        assertThatThrownBy(() -> Retriever.builder().embedder(embedder).store(denseOnly).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("needs keyword search but store 'memory' has none");
        VectorStore wrapped = Bm25SidecarStore.wrapIfNeeded(denseOnly, TextAnalyzer.frenchEnglish());
        List<SearchHit> hits = Retriever.builder().embedder(embedder).store(wrapped).build()
                .retrieve("Golden Gate");
        assertThat(docs(hits).get(0)).isEqualTo("bridge");
    }

    @Test
    void topKIsBoundedAndTheDefaultCandidateCountCannotOverflow() {
        assertThatThrownBy(() -> Retriever.builder().embedder(embedder).store(store).topK(536_870_912).build())
                .isInstanceOf(RagConfigurationException.class)
                .hasMessage("retrieval topK was 536870912 but it must be between 1 and 10000");
        assertThatThrownBy(() -> retriever(RetrievalMode.HYBRID, 0).retrieve("Golden Gate", null, 10_001))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("topK was 10001 but it must be between 1 and 10000");
        assertThat(Retriever.defaultCandidates(5)).isEqualTo(40);
        assertThat(Retriever.defaultCandidates(10_000)).isEqualTo(40_000);
        assertThat(Retriever.defaultCandidates(536_870_912)).isEqualTo(2_147_483_647);
        assertThat(Retriever.defaultCandidates(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rejectsEmptyQueries() {
        assertThatThrownBy(() -> retriever(RetrievalMode.HYBRID, 0).retrieve(" "))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rrfOrdersByFusedRankAndKeepsTheBestScore() {
        Chunk a = Chunk.of("a", 0, "a", Map.of());
        Chunk b = Chunk.of("b", 0, "b", Map.of());
        Chunk c = Chunk.of("c", 0, "c", Map.of());
        List<SearchHit> dense = List.of(new SearchHit(a, 0.9), new SearchHit(b, 0.8), new SearchHit(c, 0.1));
        List<SearchHit> keyword = List.of(new SearchHit(b, 0.7), new SearchHit(c, 0.6));
        List<SearchHit> fused = new ReciprocalRankFusion(60).fuse(List.of(dense, keyword), 3);
        // b: 1/62 + 1/61, a: 1/61, c: 1/63 + 1/62
        assertThat(fused).extracting(SearchHit::id).containsExactly("b#0", "c#0", "a#0");
        assertThat(fused.get(0).score()).isEqualTo(0.8);
        assertThat(new ReciprocalRankFusion(60).fuse(List.of(dense, keyword), 1)).hasSize(1);
    }

    /** A store that hides its keyword search, as FAISS has none. */
    private static final class DenseOnlyStore extends ForwardingVectorStore {
        DenseOnlyStore(VectorStore d) {
            super(d);
        }

        @Override
        public java.util.Set<dev.ragkit.core.spi.StoreCapability> capabilities() {
            return java.util.EnumSet.of(dev.ragkit.core.spi.StoreCapability.FILTER,
                    dev.ragkit.core.spi.StoreCapability.DELETE, dev.ragkit.core.spi.StoreCapability.SCAN);
        }

        @Override
        public List<SearchHit> search(dev.ragkit.core.model.SearchRequest request) {
            if (!request.isDense()) {
                throw new dev.ragkit.core.spi.UnsupportedCapabilityException(name(),
                        dev.ragkit.core.spi.StoreCapability.KEYWORD_SEARCH);
            }
            return super.search(request);
        }

    }
}
