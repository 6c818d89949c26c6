package dev.ragkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.ScoredQuery;
import dev.ragkit.core.spi.Embedder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryVectorMemoTest {
    /** Vectors that name the text's length and count the calls. */
    private static class CountingEmbedder implements Embedder {
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

    /** A counting embedder whose model also scores a query: the score is the text's length over 100. */
    private static final class ScoringEmbedder extends CountingEmbedder {
        final AtomicInteger scoredPasses = new AtomicInteger();

        @Override
        public Set<String> queryHeads() {
            return Set.of("length-head");
        }

        @Override
        public ScoredQuery embedQueryScored(String query) {
            scoredPasses.incrementAndGet();
            return new ScoredQuery(new float[] {query.length(), 1}, Map.of("length-head", query.length() / 100.0));
        }
    }

    @Test
    void withHeadsAGuardReadingScoresThenOneReadingTheVectorAndTheRetrievalShareOnePass() {
        ScoringEmbedder e = new ScoringEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        Embedder guard = memo.producer();
        assertThat(guard.queryHeads()).containsExactly("length-head");

        // The injection guard reads the head's score; the toxicity guard then wants the vector, and
        // the retrieval takes it: one pass for the three.
        assertThat(guard.embedQueryScored("twelve chars").score("length-head")).hasValue(0.12);
        assertThat(guard.embedQuery("twelve chars")).containsExactly(12, 1);
        assertThat(memo.consumer().embedQuery("twelve chars")).containsExactly(12, 1);
        assertThat(e.scoredPasses.get()).isEqualTo(1);
        assertThat(e.queries.get()).isZero();
    }

    @Test
    void aGuardThatWantsOnlyTheVectorNeverPaysForTheHeads() {
        ScoringEmbedder e = new ScoringEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        // Toxicity at OUTPUT, or the retrieval alone: no head runs.
        memo.producer().embedQuery("an answer to check");
        memo.consumer().embedQuery("another question");
        assertThat(e.scoredPasses.get()).isZero();
        assertThat(e.queries.get()).isEqualTo(2);

        // A guard reading scores after a plain pass of the same text gets them: a second pass.
        assertThat(memo.producer().embedQueryScored("an answer to check").score("length-head")).hasValue(0.18);
        assertThat(e.scoredPasses.get()).isEqualTo(1);
        assertThat(memo.consumer().embedQueryScored("an answer to check").scores()).containsKey("length-head");
        assertThat(e.scoredPasses.get()).isEqualTo(1);
    }

    @Test
    void anEmbedderWithoutHeadsScoresNothingAndEmbedsOnce() {
        CountingEmbedder e = new CountingEmbedder();
        QueryVectorMemo memo = new QueryVectorMemo(e);
        ScoredQuery q = memo.producer().embedQueryScored("abc");
        assertThat(q.scores()).isEmpty();
        assertThat(q.score("any")).isEmpty();
        assertThat(memo.consumer().embedQuery("abc")).containsExactly(3, 1);
        assertThat(e.queries.get()).isEqualTo(1);
    }
}
