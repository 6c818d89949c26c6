package dev.ragkit.store.redisearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.spi.Embedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid retrieval on the store: the core's Retriever fuses the store's native KNN and BM25 answers (RRF),
 * since RediSearch 2.10 has no server-side hybrid. The embedder is a stand-in that puts every text on one
 * of two axes, so the dense side alone cannot tell the kittens chunk from the cats one and the keyword side must.
 */
class RediSearchHybridIT {
    @TempDir
    Path directory;

    /** Texts mentioning cats or kittens point along axis 0, the others along axis 1. */
    private static final class AxisEmbedder implements Embedder {
        @Override
        public String id() {
            return "test:axis";
        }

        @Override
        public int dimension() {
            return 4;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            texts.forEach(t -> out.add(embedQuery(t)));
            return out;
        }

        @Override
        public float[] embedQuery(String query) {
            String t = query.toLowerCase();
            return t.contains("cat") || t.contains("kitten") ? new float[] {1, 0, 0, 0} : new float[] {0, 1, 0, 0};
        }
    }

    @Test
    void hybridFusesKnnAndBm25AndHonoursTheFilter() {
        AxisEmbedder embedder = new AxisEmbedder();
        try (RediSearchVectorStore store = RediSearchTestStores.builder(RediSearchTestStores.nameFor(directory), 4)
                .fields(List.of("lang")).build()) {
            List<EmbeddedChunk> chunks = new ArrayList<>();
            String[][] docs = {{"a", "Kittens sleep all day.", "en"}, {"b", "Cats chase the red laser pointer.", "en"},
                {"c", "Dogs chase balls.", "en"}, {"d", "Les chats chassent le pointeur laser rouge.", "fr"}};
            for (String[] d : docs) {
                chunks.add(new EmbeddedChunk(Chunk.of(d[0], 0, d[1], Map.of("lang", d[2])), embedder.embedQuery(d[1])));
            }
            store.upsert(chunks);
            Retriever hybrid = Retriever.builder().embedder(embedder).store(store).mode(RetrievalMode.HYBRID).topK(3)
                    .build();
            List<SearchHit> hits = hybrid.retrieve("cat laser pointer");
            assertThat(hits).isNotEmpty();
            assertThat(hits.get(0).id()).as("dense ties a#0 and b#0; BM25 on 'laser pointer' breaks the tie")
                    .isEqualTo("b#0");
            List<SearchHit> english = hybrid.retrieve("cat laser pointer", Filter.eq("lang", "en"), 5);
            assertThat(english).extracting(h -> h.chunk().metadata().get("lang")).containsOnly("en");
        }
    }
}
