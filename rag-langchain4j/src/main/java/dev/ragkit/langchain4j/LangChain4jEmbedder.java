package dev.ragkit.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Any LangChain4j {@link EmbeddingModel} as a Ragkit {@link Embedder}: texts are checked before any request
 * (blank or null text is an {@link InvalidInputException}), failures become {@link RagBackendException}s
 * (see {@link Failures}), and every vector the model returns is checked (count, dimension, finite values),
 * because a model server that answers with the wrong shape must not reach a store.
 */
public final class LangChain4jEmbedder implements Embedder {
    private final EmbeddingModel model;
    private final String id;
    private final int dimension;
    private final int batchSize;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LangChain4jEmbedder(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.id = b.id != null ? b.id : "langchain4j:" + describeModel(model);
        if (b.batchSize < 1) {
            throw new InvalidInputException("batchSize was " + b.batchSize + " but it must be >= 1");
        }
        this.batchSize = b.batchSize;
        if (b.dimension > 0) {
            this.dimension = b.dimension;
        } else if (b.dimension == 0) {
            // LangChain4j learns an unknown dimension by embedding a probe text: one request, made here once.
            try {
                this.dimension = model.dimension();
            } catch (RuntimeException e) {
                throw Failures.map(id, "learning the embedding dimension", e);
            }
        } else {
            throw new InvalidInputException("dimension was " + b.dimension + " but it must be > 0 (or unset)");
        }
    }

    /** Settings for an embedder over {@code model}. */
    public static Builder builder(EmbeddingModel model) {
        return new Builder(model);
    }

    /** Settings of a {@link LangChain4jEmbedder}. */
    public static final class Builder {
        private final EmbeddingModel model;
        private String id;
        private int dimension;
        private int batchSize = 64;

        private Builder(EmbeddingModel model) {
            this.model = model;
        }

        /** The embedder id recorded with indexes (default {@code langchain4j:<model name>}). */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new InvalidInputException("embedder id was '" + id + "' but it must be non-blank");
            }
            this.id = id;
            return this;
        }

        /** The vector dimension; unset, it is learned from the model (one request for remote models). */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Texts per request to the model (default 64). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public LangChain4jEmbedder build() {
            return new LangChain4jEmbedder(this);
        }
    }

    /** The wrapped model. */
    public EmbeddingModel model() {
        return model;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        ensureOpen();
        if (texts == null) {
            throw new InvalidInputException("texts to embed was null");
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            segments.add(TextSegment.from(requireText(texts.get(i), "text " + i)));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < segments.size(); from += batchSize) {
            List<TextSegment> batch = segments.subList(from, Math.min(segments.size(), from + batchSize));
            out.addAll(call(batch));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        ensureOpen();
        return call(List.of(TextSegment.from(requireText(query, "query")))).get(0);
    }

    private List<float[]> call(List<TextSegment> batch) {
        Response<List<Embedding>> response;
        try {
            response = model.embedAll(batch);
        } catch (RuntimeException e) {
            throw Failures.map(id, "embedding " + batch.size() + " text(s)", e);
        }
        List<Embedding> embeddings = response == null ? null : response.content();
        if (embeddings == null || embeddings.size() != batch.size()) {
            throw RagBackendException.permanent(id, "the model returned " + (embeddings == null ? "no" : embeddings.size())
                    + " vectors for " + batch.size() + " texts", null);
        }
        List<float[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < embeddings.size(); i++) {
            float[] v = embeddings.get(i) == null ? null : embeddings.get(i).vector();
            if (v == null || v.length != dimension) {
                throw RagBackendException.permanent(id, "the model returned a vector of dimension "
                        + (v == null ? 0 : v.length) + " but this embedder's dimension is " + dimension, null);
            }
            try {
                Vectors.requireFinite("vector " + i + " from the model", v);
            } catch (InvalidInputException e) {
                throw RagBackendException.permanent(id, e.getMessage(), e);
            }
            out.add(v);
        }
        return out;
    }

    private static String requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(what + " to embed was " + (text == null ? "null" : "blank")
                    + "; embed non-blank text only");
        }
        return text;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("embedder '" + id + "' is closed");
        }
    }

    /** Marks the embedder closed; the LangChain4j model has no close and is left to its owner. */
    @Override
    public void close() {
        closed.set(true);
    }

    static String describeModel(Object model) {
        String name = null;
        try {
            name = model instanceof EmbeddingModel m ? m.modelName() : null;
        } catch (RuntimeException ignored) {
            // modelName() is optional in LangChain4j; the class name identifies the model instead.
        }
        return name != null && !name.isBlank() && !"unknown".equalsIgnoreCase(name) ? name : model.getClass().getSimpleName();
    }
}
