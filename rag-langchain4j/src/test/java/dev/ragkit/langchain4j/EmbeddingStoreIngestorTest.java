package dev.ragkit.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.store.faiss.FaissVectorStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's own ingestion pipeline writes into a Ragkit FAISS store; Ragkit's API then finds the same content. */
class EmbeddingStoreIngestorTest {
    private static final List<String> QUERIES = List.of("When was the Eiffel Tower built?", "How do bees make honey?",
            "What does a compiler do?", "Which planet is the largest?");

    @Test
    void whatLangChain4jIngestsRagkitSearchesWithTheSameHits(@TempDir Path dir) {
        HashingEmbeddingModel model = new HashingEmbeddingModel();
        try (FaissVectorStore faiss = FaissVectorStore.builder().dimension(HashingEmbeddingModel.DIMENSION)
                .index("Flat").directory(dir).build()) {
            RagkitEmbeddingStore store = RagkitEmbeddingStore.of(faiss);
            EmbeddingStoreIngestor.builder()
                    .documentSplitter(DocumentSplitters.recursive(120, 0))
                    .embeddingModel(model)
                    .embeddingStore(store)
                    .build()
                    .ingest(documents());
            assertThat(faiss.count()).isGreaterThan(8);

            Retriever retriever = Retriever.builder().store(faiss).mode(RetrievalMode.DENSE).topK(3)
                    .embedder(LangChain4jEmbedder.builder(model).build()).build();
            for (String query : QUERIES) {
                List<SearchHit> ragkitHits = retriever.retrieve(query);
                List<EmbeddingMatch<TextSegment>> lc4jMatches = store.search(EmbeddingSearchRequest.builder()
                        .queryEmbedding(model.embed(query).content()).maxResults(3).build()).matches();

                assertThat(ragkitHits).as("Ragkit hits for '%s'", query).hasSize(3);
                assertThat(ragkitHits.stream().map(h -> EmbeddingIds.toEmbeddingId(h.chunk())).toList())
                        .as("same ids for '%s'", query)
                        .containsExactlyElementsOf(lc4jMatches.stream().map(EmbeddingMatch::embeddingId).toList());
                assertThat(ragkitHits.stream().map(h -> h.chunk().text()).toList()).as("same texts for '%s'", query)
                        .containsExactlyElementsOf(lc4jMatches.stream().map(m -> m.embedded().text()).toList());
            }
            // The metadata LangChain4j attached (document metadata plus its index) is filterable from Ragkit.
            List<SearchHit> science = retriever.retrieve("Which planet is the largest?", Filter.eq("topic", "space"), 3);
            assertThat(science).isNotEmpty().allSatisfy(h -> assertThat(h.chunk().metadata()).containsEntry("topic", "space"));
            assertThat(science.get(0).chunk().text()).contains("Jupiter");
        }
    }

    private static List<Document> documents() {
        return List.of(
                Document.from("The Eiffel Tower was built between 1887 and 1889 for the World's Fair in Paris. "
                        + "Gustave Eiffel's company designed and built the tower. It was the tallest structure in the world "
                        + "until 1930.", Metadata.from(Map.of("topic", "history", "year", 1889))),
                Document.from("Bees make honey from flower nectar. They store the nectar in the hive and fan it with "
                        + "their wings until the water evaporates. A colony can make many kilograms of honey a year.",
                        Metadata.from(Map.of("topic", "nature"))),
                Document.from("A compiler translates source code into machine code or bytecode. It parses the program, "
                        + "checks its types and generates instructions. Java compiles to bytecode run by the JVM.",
                        Metadata.from(Map.of("topic", "computing"))),
                Document.from("Jupiter is the largest planet in the solar system. It is a gas giant with a great red "
                        + "spot, a storm bigger than the Earth. Saturn, the next largest planet, has bright rings.",
                        Metadata.from(Map.of("topic", "space"))));
    }
}
