package dev.ragkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.Embedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryVectorMemoTest {
    /** Vectors that name the text's length and count the calls. */
    private static final class CountingEmbedder implements Embedder {
        final AtomicInteger queries = new AtomicInteger();

        @Override
        public String id() {
            return "test:count";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(t -> new float[] {t.length(), 0}).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            queries.incrementAndGet();
            return new float[] {query.length(), 1};
        }
    }

    @Test
    void theRetrievalTakesTheVectorTheGuardMadeForTheSameQuestionOnce() {
        CountingEmbedder e = new CountingEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        Embedder guard = memo.producer();
        Embedder retrieval = memo.consumer();
        assertThat(guard.id()).isEqualTo("test:count");
        assertThat(retrieval.dimension()).isEqualTo(2);

        float[] g = guard.embedQuery("how long do refunds take?");
        float[] r = retrieval.embedQuery("how long do refunds take?");
        assertThat(r).containsExactly(g);
        assertThat(e.queries.get()).isEqualTo(1);

        // Taken once: asking again embeds again, so nothing stale is ever served.
        retrieval.embedQuery("how long do refunds take?");
        assertThat(e.queries.get()).isEqualTo(2);
        // Another text is never served from the memo.
        guard.embedQuery("first");
        retrieval.embedQuery("second");
        assertThat(e.queries.get()).isEqualTo(4);
    }

    @Test
    void withoutAGuardTheRetrievalEmbedsEveryTimeAndCallersCannotCorruptTheMemo() {
        CountingEmbedder e = new CountingEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        memo.consumer().embedQuery("q");
        memo.consumer().embedQuery("q");
        assertThat(e.queries.get()).isEqualTo(2);

        float[] g = memo.producer().embedQuery("abc");
        g[0] = 99;
        assertThat(memo.consumer().embedQuery("abc")).containsExactly(3, 1);
    }

    @Test
    void theMemoIsPerThread() throws InterruptedException {
        CountingEmbedder e = new CountingEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        memo.producer().embedQuery("shared text");
        Thread other = new Thread(() -> memo.consumer().embedQuery("shared text"));
        other.start();
        other.join();
        assertThat(e.queries.get()).isEqualTo(2);
        assertThat(memo.consumer().embedDocuments(List.of("ab"))).singleElement().satisfies(v -> assertThat(v[0]).isEqualTo(2));
    }
}
