package dev.ragkit.core.internal;

import dev.ragkit.core.model.ScoredQuery;
import dev.ragkit.core.spi.Embedder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Lets a guard and the retrieval share one encoder pass over the question. The guards' view
 * ({@link #producer()}) remembers, per thread, the last query it embedded; the retrieval's view
 * ({@link #consumer()}) takes that vector when it embeds the same text next on the same thread, and
 * forgets it, so a later question is always embedded afresh. When the embedder runs classifier heads
 * ({@link Embedder#queryHeads()}), a guard that reads their scores ({@link Embedder#embedQueryScored})
 * gets them from the same pass as the vector, and a later guard or the retrieval reuses that pass; a
 * guard that wants only the vector (as toxicity at the OUTPUT stage) never pays for the heads. So the
 * guards that read scores should be listed first in {@code rag.guards} (as {@code injection,toxicity,...});
 * in the other order the question is encoded twice. Everything else
 * is passed through: both views have the embedder's id and dimension, and neither closes it (the
 * assembly does).
 */
public final class QueryVectorMemo {
    /** A remembered query; {@code scored} when it came from {@link Embedder#embedQueryScored}. */
    private record Entry(String text, ScoredQuery query, boolean scored) {
    }

    private final Embedder embedder;
    private final ThreadLocal<Entry> last = new ThreadLocal<>();

    public QueryVectorMemo(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** The view for guards: embeds and remembers the query for this thread. */
    public Embedder producer() {
        return new View(true);
    }

    /** The view for the retrieval: takes a remembered vector of the same text, else embeds. */
    public Embedder consumer() {
        return new View(false);
    }

    private final class View implements Embedder {
        private final boolean produces;

        View(boolean produces) {
            this.produces = produces;
        }

        @Override
        public String id() {
            return embedder.id();
        }

        @Override
        public int dimension() {
            return embedder.dimension();
        }

        @Override
        public Set<String> languages() {
            // The retriever weighs the dense list by the languages the real embedder covers.
            return embedder.languages();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return embedder.embedDocuments(texts);
        }

        @Override
        public Set<String> queryHeads() {
            return embedder.queryHeads();
        }

        @Override
        public float[] embedQuery(String query) {
            Entry remembered = take(query, false);
            if (remembered != null) {
                return remembered.query().vector();
            }
            float[] v = embedder.embedQuery(query);
            if (produces) {
                last.set(new Entry(query, new ScoredQuery(v, Map.of()), false));
            }
            return v;
        }

        @Override
        public ScoredQuery embedQueryScored(String query) {
            Entry remembered = take(query, true);
            if (remembered != null) {
                return remembered.query();
            }
            ScoredQuery q = embedder.embedQueryScored(query);
            if (produces) {
                last.set(new Entry(query, q, true));
            }
            return q;
        }

        /**
         * This thread's remembered query when it is {@code text} and, when {@code needsScores}, holds the
         * heads' scores (or the embedder has no head); the retrieval's view takes it away.
         */
        private Entry take(String text, boolean needsScores) {
            Entry e = last.get();
            if (e == null || !e.text().equals(text) || needsScores && !e.scored() && !embedder.queryHeads().isEmpty()) {
                return null;
            }
            if (!produces) {
                last.remove();
            }
            return e;
        }

        @Override
        public String toString() {
            return embedder.toString();
        }
    }
}
