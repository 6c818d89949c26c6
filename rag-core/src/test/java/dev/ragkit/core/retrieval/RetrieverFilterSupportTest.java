package dev.ragkit.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.UnsupportedCapabilityException;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A filter part the store cannot apply is refused by the retriever before anything is embedded or searched. */
class RetrieverFilterSupportTest {
    @Test
    void anUnsupportedFilterPartIsRefusedBeforeEmbeddingOrSearching() {
        WordHashEmbedder words = new WordHashEmbedder(64);
        AtomicInteger embedded = new AtomicInteger();
        AtomicInteger searched = new AtomicInteger();
        Embedder embedder = new Embedder() {
            @Override
            public String id() {
                return words.id();
            }

            @Override
            public int dimension() {
                return words.dimension();
            }

            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                return words.embedDocuments(texts);
            }

            @Override
            public float[] embedQuery(String query) {
                embedded.incrementAndGet();
                return words.embedQuery(query);
            }
        };
        MemoryVectorStore memory = MemoryVectorStore.builder().dimension(64).build();
        Chunk chunk = Chunk.of("d", 0, "the tower", Map.of("year", 1889L, "title", "Tower"));
        memory.upsert(List.of(new EmbeddedChunk(chunk, words.embedQuery("the tower"))));
        Map<FilterSupport.Operator, Set<FilterSupport.ValueType>> ops = new EnumMap<>(FilterSupport.Operator.class);
        ops.put(FilterSupport.Operator.EQ, EnumSet.allOf(FilterSupport.ValueType.class));
        ops.put(FilterSupport.Operator.GT, EnumSet.of(FilterSupport.ValueType.NUMBER));
        FilterSupport narrow = new FilterSupport(ops, EnumSet.of(FilterSupport.Connective.AND), Set.of(), "a test store");
        ForwardingVectorStore store = new ForwardingVectorStore(memory) {
            @Override
            public FilterSupport filterSupport() {
                return narrow;
            }

            @Override
            public List<SearchHit> search(SearchRequest request) {
                searched.incrementAndGet();
                return super.search(request);
            }
        };
        Retriever retriever = Retriever.builder().embedder(embedder).store(store).mode(RetrievalMode.DENSE).topK(3).build();

        assertThat(retriever.retrieve("tower", Filter.and(Filter.eq("title", "Tower"), Filter.gt("year", 1800)), 3))
                .hasSize(1);
        int embeddedBefore = embedded.get();
        int searchedBefore = searched.get();
        assertThatThrownBy(() -> retriever.retrieve("tower", Filter.and(Filter.eq("title", "Tower"),
                Filter.gt("title", "A")), 3))
                .isInstanceOf(UnsupportedCapabilityException.class)
                .hasMessageContaining("gt on 'title' with a STRING value").hasMessageContaining("a test store");
        assertThatThrownBy(() -> retriever.retrieve("tower", Filter.or(Filter.eq("title", "Tower"),
                Filter.eq("title", "Bridge")), 3))
                .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("part or ");
        assertThat(embedded.get()).as("query embeddings after refusals").isEqualTo(embeddedBefore);
        assertThat(searched.get()).as("searches after refusals").isEqualTo(searchedBefore);
    }
}
