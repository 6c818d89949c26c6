package dev.ragkit.embed.onnx;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.ScoredQuery;
import dev.ragkit.core.model.Vectors;
import dev.ragkit.core.spi.Embedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Embedder} running a small sentence-embedding model in process with ONNX Runtime. The
 * weights and tokenizer ship inside Maven artifacts, so it needs no server, no key and no network.
 *
 * <pre>{@code
 * Embedder embedder = OnnxEmbedder.builder().model(OnnxModel.BGE_SMALL_EN_V15_Q).build();
 * float[] query = embedder.embedQuery("How do I rotate the logs?");
 * }</pre>
 *
 * <p>The default model comes with this library; any other needs its model artifact on the class path
 * ({@link OnnxModel#mavenCoordinates()}), else {@link Builder#build()} fails naming it. Native
 * libraries are copied once into a cache directory ({@link Builder#cacheDirectory(Path)}).
 *
 * <p>Vectors are L2-normalised. Queries get the model's query instruction (see
 * {@link OnnxModel#queryPrefix()}); documents never do. A text longer than the model's token window
 * (256 tokens for all-MiniLM-L6-v2, 512 for bge-small, as the models were trained and published) is
 * embedded from its beginning only, so keep chunks within about 1,000 characters (the splitter's
 * default). Instances are thread-safe.
 *
 * <p>The model runs on ONNX Runtime directly, one text per call by default, the calls spread over one
 * thread per core: the same vectors as LangChain4j's {@code OnnxEmbeddingModel}, 1.4 to 2 times as
 * fast on 2 cores. See {@link Builder#textsPerModelCall(int)} for padded batches and their cost.
 *
 * <p>{@link #close()} releases the ONNX session; an embedder left unclosed is released by the garbage
 * collector with a warning naming the model.
 */
public final class OnnxEmbedder implements Embedder {
    /** Name used as the backend in errors and as the provider name. */
    static final String BACKEND = "onnx";

    private final OnnxModel model;
    private final int batchSize;
    private final Encoder encoder;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Turns texts into vectors, in order; the seam that lets tests see exactly what is encoded. */
    interface Encoder {
        List<float[]> encode(List<String> texts);

        /** Ids of the query heads {@link #encodeScored} runs; none by default. */
        default Set<String> heads() {
            return Set.of();
        }

        /** One query's vector (not yet normalised) and its heads' scores, in one model pass. */
        default ScoredQuery encodeScored(String text) {
            throw new UnsupportedOperationException("this encoder runs no query head");
        }

        /** Releases what the encoder holds; idempotent. Nothing by default. */
        default void close() {
        }
    }

    OnnxEmbedder(OnnxModel model, int batchSize, Encoder encoder) {
        this.model = Objects.requireNonNull(model, "model");
        if (batchSize < 1) {
            throw new InvalidInputException("batchSize was " + batchSize + " but it must be >= 1");
        }
        this.batchSize = batchSize;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** A builder with the defaults: {@link OnnxModel#ALL_MINILM_L6_V2_Q}, batches of 64, one thread per core. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model this embedder runs. */
    public OnnxModel model() {
        return model;
    }

    /** {@code onnx:<model config name>}, e.g. {@code onnx:all-minilm-l6-v2-q}. */
    @Override
    public String id() {
        return BACKEND + ":" + model.configName();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    /** The model's languages: {@code en} for both bundled models. */
    @Override
    public Set<String> languages() {
        return model.languages();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        ensureOpen();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("text " + i + " of " + texts.size() + " was "
                        + (text == null ? "null" : "'" + text + "'") + " but it must be non-blank");
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        // Batches bound the number of texts in flight (one task per text in the executor).
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            out.addAll(encodeChecked(batch));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        checkQuery(query);
        return encodeChecked(List.of(model.queryPrefix() + query)).get(0);
    }

    /**
     * The query heads this embedder runs in the same pass as a query's vector: for
     * {@link OnnxModel#ALL_MINILM_L6_V2_Q}, rag-guard's prompt-injection head over the model's states
     * after layer 4 (its id ends with a digest of its weights); none for the other models.
     */
    @Override
    public Set<String> queryHeads() {
        return encoder.heads();
    }

    /**
     * {@link #embedQuery}'s vector and, from the same model pass, each query head's score (a
     * probability). The head reads the query's first 128 tokens, the window it was trained on. A model
     * without a head gives {@link #embedQuery}'s vector and no score.
     */
    @Override
    public ScoredQuery embedQueryScored(String query) {
        if (encoder.heads().isEmpty()) {
            return Embedder.super.embedQueryScored(query);
        }
        checkQuery(query);
        ScoredQuery scored;
        try {
            scored = encoder.encodeScored(model.queryPrefix() + query);
        } catch (RuntimeException e) {
            throw RagBackendException.permanent(BACKEND, "model " + model.configName() + " failed to embed and score"
                    + " a query: " + e.getMessage(), e);
        }
        return new ScoredQuery(checkedVector(scored.vector(), "model " + model.configName() + " vector for the query"),
                scored.scores());
    }

    /**
     * Releases this embedder's hold on its ONNX session; the session closes with the last embedder on the
     * same model and thread count. Idempotent; later calls fail with a {@link RagException} saying the
     * embedder is closed. Must not run while an embedding call is in flight. An embedder that becomes
     * unreachable without being closed is released by the garbage collector, which logs a warning.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            encoder.close();
        }
    }

    /** This embedder's encoder; the seam for tests that watch its session. */
    Encoder encoder() {
        return encoder;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new RagException("embedder " + id() + " is closed");
        }
    }

    private void checkQuery(String query) {
        ensureOpen();
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was " + (query == null ? "null" : "'" + query + "'")
                    + " but it must be non-blank");
        }
    }

    private List<float[]> encodeChecked(List<String> texts) {
        List<float[]> vectors;
        try {
            vectors = encoder.encode(texts);
        } catch (RuntimeException e) {
            throw RagBackendException.permanent(BACKEND, "model " + model.configName() + " failed to embed "
                    + texts.size() + " text(s): " + e.getMessage(), e);
        }
        if (vectors == null || vectors.size() != texts.size()) {
            throw RagBackendException.permanent(BACKEND, "model " + model.configName() + " returned "
                    + (vectors == null ? "null" : vectors.size() + " vectors") + " for " + texts.size() + " texts", null);
        }
        List<float[]> out = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            out.add(checkedVector(vectors.get(i), "model " + model.configName() + " vector for text " + i));
        }
        return out;
    }

    /** The model's vector {@code what}, normalised, when it has the model's dimension and is finite. */
    private float[] checkedVector(float[] v, String what) {
        if (v == null || v.length != model.dimension()) {
            throw RagBackendException.permanent(BACKEND, what + " had dimension "
                    + (v == null ? "null" : v.length) + " instead of " + model.dimension(), null);
        }
        try {
            Vectors.requireFinite(what, v);
            return Vectors.normalised(what, v);
        } catch (InvalidInputException e) {
            // The input was fine; a bad vector is the model's fault.
            throw RagBackendException.permanent(BACKEND, e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + id() + ", dimension=" + dimension() + ", batchSize=" + batchSize + "]";
    }

    /**
     * The per-text path through LangChain4j's {@code OnnxBertBiEncoder} ({@code embedAll} on
     * {@code executor}, or LangChain4j's pool when null); the reference the ONNX Runtime path is
     * checked against, and what {@code rag-eval}'s benchmark compares with.
     */
    static Encoder langChain4jEncoder(OnnxModel model, Executor executor) {
        AbstractInProcessEmbeddingModel loaded = model.newModel(executor);
        return texts -> {
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            List<Embedding> embeddings = loaded.embedAll(segments).content();
            return embeddings.stream().map(Embedding::vector).toList();
        };
    }

    /** Builds an {@link OnnxEmbedder}; {@link #build()} loads the model (a second or two the first time). */
    public static final class Builder {
        private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

        private OnnxModel model = OnnxModel.ALL_MINILM_L6_V2_Q;
        private int batchSize = 64;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int textsPerCall = 1;
        private Executor executor;
        private Path cacheDirectory;
        private ClassLoader modelLoader = OnnxModel.class.getClassLoader();

        private Builder() {
        }

        /** The model to run; default {@link OnnxModel#ALL_MINILM_L6_V2_Q}. */
        public Builder model(OnnxModel model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The model by configuration name, e.g. {@code bge-small-en-v1.5-q}.
         *
         * @throws InvalidInputException naming the valid models when there is no such model
         */
        public Builder model(String configName) {
            this.model = OnnxModel.fromConfigName(configName).orElseThrow(() -> new InvalidInputException(
                    "ONNX model was '" + configName + "' but it must be one of " + OnnxModel.configNames()));
            return this;
        }

        /** How many texts {@code embedDocuments} works on at a time; default 64. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new InvalidInputException("batchSize was " + batchSize + " but it must be >= 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How many model calls run at once; default one per core. With 1 every call runs in the
         * calling thread and ONNX Runtime spreads each call over every core; with n > 1 the calls run
         * on a shared pool of n daemon threads and each call uses one core (measured faster: ONNX
         * Runtime's own threads spin and fight over the cores when calls overlap).
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidInputException("threads was " + threads + " but it must be >= 1");
            }
            this.threads = threads;
            this.executor = null;
            return this;
        }

        /**
         * Runs the model calls of a batch in parallel on this executor (each call on one core)
         * instead of the pool chosen by {@link #threads(int)}; {@code Runnable::run} runs them one
         * after the other in the calling thread.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * How many texts share one model call, padded to the longest with an attention mask; default
         * 1. More is two to three times faster on 2 cores but changes the vectors a little (cosine
         * 0.98 to 0.999 to the one-text vectors), and a text's vector then depends on the texts it
         * was batched with: the quantized models scale their 8-bit activations per call (ONNX
         * {@code DynamicQuantizeLinear}), so every text of a call shares one scale.
         */
        public Builder textsPerModelCall(int textsPerCall) {
            if (textsPerCall < 1) {
                throw new InvalidInputException("textsPerModelCall was " + textsPerCall + " but it must be >= 1");
            }
            this.textsPerCall = textsPerCall;
            return this;
        }

        /**
         * Where ONNX Runtime's and DJL's native libraries are copied out of their jars, once, and
         * loaded from on later starts; default {@code $XDG_CACHE_HOME/ragkit}, else
         * {@code ~/.cache/ragkit}. Native libraries load once per JVM, so the first embedder built
         * decides. Host settings win: ONNX Runtime's {@code onnxruntime.native.path} (or per-library
         * properties) and DJL's {@code ENGINE_CACHE_DIR} or {@code DJL_CACHE_DIR} are left alone.
         */
        public Builder cacheDirectory(Path cacheDirectory) {
            this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            return this;
        }

        /** Where the model's weights are looked up before loading; a seam for tests. */
        Builder modelLoader(ClassLoader modelLoader) {
            this.modelLoader = Objects.requireNonNull(modelLoader, "modelLoader");
            return this;
        }

        /**
         * Loads the model and returns the embedder.
         *
         * @throws RagConfigurationException when the model's artifact is not on the class path,
         *     naming its Maven coordinates
         * @throws RagBackendException when the model or ONNX Runtime cannot be loaded
         */
        public OnnxEmbedder build() {
            model.requireOnClassPath(modelLoader);
            NativeRuntime.prepare(cacheDirectory != null ? cacheDirectory : NativeRuntime.defaultCacheDirectory());
            Executor runs = executor != null ? executor : threads > 1 ? pool(threads) : null;
            Encoder encoder;
            try {
                encoder = OrtEncoder.load(model, runs == null ? 0 : 1, textsPerCall, runs);
            } catch (LinkageError | RuntimeException e) {
                throw RagBackendException.permanent(BACKEND, "could not load ONNX model " + model.configName()
                        + " (artifact " + model.artifactId() + "): " + e, e);
            }
            return new OnnxEmbedder(model, batchSize, encoder);
        }

        /** Daemon threads, shared per size by every embedder (idle threads cost little), so close leaves them. */
        private static ExecutorService pool(int threads) {
            return POOLS.computeIfAbsent(threads, n -> {
                AtomicInteger count = new AtomicInteger();
                return Executors.newFixedThreadPool(n, r -> {
                    Thread t = new Thread(r, "ragkit-onnx-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            });
        }
    }
}
