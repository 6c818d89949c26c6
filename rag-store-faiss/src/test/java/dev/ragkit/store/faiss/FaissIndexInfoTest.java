package dev.ragkit.store.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A FAISS index records the embedder that built it and refuses another one, after a reopen too. */
class FaissIndexInfoTest {
    private static final int DIM = 8;

    @TempDir
    Path dir;

    /** Two "models": same dimension, different ids (and different vectors). */
    private record HashEmbedder(String id) implements Embedder {
        @Override
        public int dimension() {
            return DIM;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(this::embedQuery).toList();
        }

        @Override
        public float[] embedQuery(String text) {
            float[] v = new float[DIM];
            for (String word : text.split("\\W+")) {
                v[Math.floorMod((id + word).hashCode(), DIM)] += 1;
            }
            v[0] += 0.01f;
            return v;
        }
    }

    private FaissVectorStore open() {
        return FaissVectorStore.builder().dimension(DIM).index("Flat").directory(dir).build();
    }

    @Test
    void anotherEmbedderIsRefusedNamingBothAfterAReopen() {
        List<Document> docs = List.of(new Document("a", "FAISS searches dense vectors quickly."),
                new Document("b", "The journal keeps every write until the next snapshot."));
        try (FaissVectorStore store = open()) {
            Ingestor.builder().store(store).embedder(new HashEmbedder("model-a")).build().ingest(docs);
        }
        try (FaissVectorStore store = open()) {
            assertThat(store.indexInfo()).hasValueSatisfying(info -> assertThat(info.embedder()).isEqualTo("model-a"));
            Ingestor other = Ingestor.builder().store(store).embedder(new HashEmbedder("model-b")).build();
            assertThatThrownBy(() -> other.ingest(docs)).isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("built with embedder 'model-a' (dimension 8)")
                    .hasMessageContaining("uses embedder 'model-b' (dimension 8)");
            assertThat(store.count()).as("nothing written by the refused ingestion").isEqualTo(2);
            assertThatThrownBy(() -> Retriever.builder().store(store).embedder(new HashEmbedder("model-b"))
                    .mode(RetrievalMode.DENSE).build()).isInstanceOf(RagConfigurationException.class)
                    .hasMessageContaining("'model-a'").hasMessageContaining("'model-b'");
            Retriever same = Retriever.builder().store(store).embedder(new HashEmbedder("model-a"))
                    .mode(RetrievalMode.DENSE).build();
            assertThat(same.retrieve("dense vectors")).isNotEmpty();
            assertThat(Ingestor.builder().store(store).embedder(new HashEmbedder("model-a")).build().ingest(docs)
                    .chunksUnchanged()).as("same text and same embedder: unchanged").isEqualTo(2);
        }
    }
}
