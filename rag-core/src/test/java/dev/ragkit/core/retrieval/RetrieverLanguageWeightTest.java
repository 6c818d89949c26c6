package dev.ragkit.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetrieverLanguageWeightTest {
    /** A test embedder that declares its languages and counts query embeddings. */
    private static final class DeclaringEmbedder implements Embedder {
        private final WordHashEmbedder delegate = new WordHashEmbedder(64);
        private final Set<String> languages;
        private final AtomicInteger queries = new AtomicInteger();

        DeclaringEmbedder(Set<String> languages) {
            this.languages = languages;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public Set<String> languages() {
            return languages;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return delegate.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            queries.incrementAndGet();
            return delegate.embedQuery(query);
        }
    }

    private final DeclaringEmbedder english = new DeclaringEmbedder(Set.of("en"));
    private MemoryVectorStore store;

    @BeforeEach
    void ingest() {
        store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor.builder().embedder(english).store(store).build().ingest(List.of(
                new Document("eiffel", "La tour Eiffel mesure 330 mètres et se trouve à Paris.", Map.of()),
                new Document("tower", "The Eiffel Tower was built for the 1889 World's Fair.", Map.of())));
    }

    private Retriever hybrid(Embedder embedder, double weight) {
        return Retriever.builder().embedder(embedder).store(store).mode(RetrievalMode.HYBRID)
                .uncoveredLanguageWeight(weight).build();
    }

    @Test
    void theDenseListCountsLessOnlyForAQueryInALanguageTheEmbedderLacks() {
        Retriever retriever = hybrid(english, 0.1);
        assertThat(retriever.denseWeight("Quelle est la hauteur de la tour Eiffel ?")).isEqualTo(0.1);
        assertThat(retriever.denseWeight("What is the height of the Eiffel Tower?")).isEqualTo(1.0);
        assertThat(retriever.denseWeight("Eiffel")).as("language not detected").isEqualTo(1.0);
        assertThat(Retriever.builder().embedder(english).store(store).build().denseWeight("Quelle est la tour ?"))
                .as("default").isEqualTo(Retriever.DEFAULT_UNCOVERED_LANGUAGE_WEIGHT);
    }

    @Test
    void anEmbedderThatDeclaresNoLanguageIsNeverDownWeighted() {
        DeclaringEmbedder unknown = new DeclaringEmbedder(Set.of());
        assertThat(hybrid(unknown, 0.1).denseWeight("Quelle est la hauteur de la tour Eiffel ?")).isEqualTo(1.0);
        DeclaringEmbedder french = new DeclaringEmbedder(Set.of("en", "fr"));
        assertThat(hybrid(french, 0.1).denseWeight("Quelle est la hauteur de la tour Eiffel ?")).isEqualTo(1.0);
    }

    @Test
    void weightZeroAnswersFromKeywordSearchWithoutEmbeddingTheQuery() {
        Retriever retriever = hybrid(english, 0);
        List<SearchHit> hits = retriever.retrieve("Quelle est la hauteur de la tour Eiffel ?");
        assertThat(english.queries.get()).isZero();
        assertThat(hits.get(0).chunk().documentId()).isEqualTo("eiffel");
        retriever.retrieve("What is the height of the Eiffel Tower?");
        assertThat(english.queries.get()).isEqualTo(1);
    }

    @Test
    void aWeightOutsideTheUnitIntervalIsRefusedAtBuild() {
        assertThatThrownBy(() -> hybrid(english, 1.5)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("uncoveredLanguageWeight was 1.5");
        assertThatThrownBy(() -> hybrid(english, Double.NaN)).isInstanceOf(RagConfigurationException.class);
    }

    @Test
    void weightedFusionLetsTheHeavierListDecide() {
        SearchHit a = hit("a");
        SearchHit b = hit("b");
        SearchHit c = hit("c");
        ReciprocalRankFusion rrf = new ReciprocalRankFusion(60);
        List<SearchHit> dense = List.of(a, c);
        List<SearchHit> keyword = List.of(c, b);
        // equal weights: c is in both lists
        assertThat(ids(rrf.fuse(List.of(dense, keyword), 3))).containsExactly("c#0", "a#0", "b#0");
        // dense at 0.01: keyword order decides, dense only adds a last
        assertThat(ids(rrf.fuse(List.of(dense, keyword), List.of(0.01, 1.0), 3))).containsExactly("c#0", "b#0", "a#0");
        assertThatThrownBy(() -> rrf.fuse(List.of(dense, keyword), List.of(1.0), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rrf.fuse(List.of(dense, keyword), List.of(-1.0, 1.0), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SearchHit hit(String doc) {
        return new SearchHit(Chunk.of(doc, 0, "text " + doc, Map.of()), 0.5);
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }
}
