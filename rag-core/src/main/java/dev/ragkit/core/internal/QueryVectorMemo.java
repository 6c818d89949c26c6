package dev.ragkit.core.internal;

import dev.ragkit.core.spi.Embedder;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lets a guard and the retrieval share one encoder pass over the question. The guards' view
 * ({@link #producer()}) remembers, per thread, the last query it embedded; the retrieval's view
 * ({@link #consumer()}) takes that vector when it embeds the same text next on the same thread, and
 * forgets it, so a later question is always embedded afresh. Everything else is passed through:
 * both views have the embedder's id and dimension, and neither closes it (the assembly does).
 */
public final class QueryVectorMemo {
    private record Entry(String text, float[] vector) {
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
        public float[] embedQuery(String query) {
            Entry e = last.get();
            if (e != null && e.text().equals(query)) {
                if (!produces) {
                    last.remove();
                }
                return e.vector().clone();
            }
            float[] v = embedder.embedQuery(query);
            if (produces) {
                last.set(new Entry(query, v.clone()));
            }
            return v;
        }

        @Override
        public String toString() {
            return embedder.toString();
        }
    }
}
