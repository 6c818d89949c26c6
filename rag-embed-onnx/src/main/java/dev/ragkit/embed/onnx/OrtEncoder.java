package dev.ragkit.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ragkit.core.model.ScoredQuery;
import dev.ragkit.embed.onnx.internal.NativeCleaner;
import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds texts with ONNX Runtime and DJL's tokenizer directly. Texts are tokenized once and cut into
 * windows exactly as LangChain4j's {@code OnnxBertBiEncoder} does (so vectors stay the same), sorted
 * by length, and run {@code runSize} windows per ONNX call, padded to the longest window of the call
 * with an attention mask, then pooled per the model (mean over the mask, or the CLS token). A text
 * with several windows gets the average of its windows weighted by their token counts, as
 * LangChain4j computes it. Encoders on the same model and thread count share one session and
 * tokenizer, closed with the last encoder using them; an encoder that becomes unreachable without
 * {@link #close()} is released by {@link NativeCleaner}, which logs the leak.
 */
final class OrtEncoder implements OnnxEmbedder.Encoder {
    /** LangChain4j's window: 512 positions minus [CLS] and [SEP]. */
    static final int CONTENT_WINDOW = 510;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    private final OrtEnvironment environment;
    private final OrtSession session;
    /** The model's own output (the token states of its last layer), the one output ingestion fetches. */
    private final String hiddenOutput;
    /** The query head and its session, or null when none ships for the model. */
    private final QueryHead head;
    private final OrtSession headSession;
    /** The query head's id alone, or nothing. */
    private final Set<String> heads;
    private final HuggingFaceTokenizer tokenizer;
    /** This encoder's hold on the shared session; released once, by close() or by the cleaner. */
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private final boolean clsPooling;
    private final boolean typeIds;
    private final int runSize;
    private final Executor executor;

    /**
     * @param runSize the most windows per ONNX call
     * @param executor where runs go when there are several; {@code null} runs them in the caller
     */
    private OrtEncoder(OrtEnvironment environment, Shared shared, boolean clsPooling, int runSize, Executor executor) {
        this.environment = environment;
        this.session = shared.session;
        this.hiddenOutput = shared.hiddenOutput;
        this.head = shared.head;
        this.headSession = shared.headSession;
        this.heads = head == null ? Set.of() : Set.of(head.id());
        this.tokenizer = shared.tokenizer;
        this.clsPooling = clsPooling;
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.runSize = runSize;
        this.executor = executor;
        this.release = new Release(shared);
        this.cleanable = NativeCleaner.register(this, release);
    }

    /**
     * A model's ONNX session and tokenizer, shared by the open encoders on that model and thread count
     * and closed when the last of them is released.
     */
    private static final class Shared {
        private final String key;
        /** For logs: {@code 'all-minilm-l6-v2-q' (intra-op threads 1)}. */
        private final String description;
        private final OrtSession session;
        private final String hiddenOutput;
        private final QueryHead head;
        private final OrtSession headSession;
        private final HuggingFaceTokenizer tokenizer;
        /** Open encoders using it; guarded by {@link #LOADED}. */
        private int users;

        Shared(String key, String description, OrtSession session, String hiddenOutput, QueryHead head,
               OrtSession headSession, HuggingFaceTokenizer tokenizer) {
            this.key = key;
            this.description = description;
            this.session = session;
            this.hiddenOutput = hiddenOutput;
            this.head = head;
            this.headSession = headSession;
            this.tokenizer = tokenizer;
        }
    }

    /** Sessions by {@code <model>@<intra-op threads>}; guarded by itself. */
    private static final Map<String, Shared> LOADED = new HashMap<>();

    /**
     * Gives up one encoder's hold on a shared session: by {@link #close()} or, for an encoder that became
     * unreachable while open, by the cleaner, which then logs the leak. Refers to the shared session only,
     * never to the encoder, so that the encoder can become unreachable.
     */
    static final class Release implements Runnable {
        private final Shared shared;
        /** Set by close() before it runs this, so that only a leak logs. */
        private volatile boolean closing;
        private volatile boolean released;
        private volatile boolean leaked;

        private Release(Shared shared) {
            this.shared = shared;
        }

        @Override
        public void run() {
            if (!closing) {
                leaked = true;
                LOG.warn("ONNX session of model {} was never closed; freed by the garbage collector",
                        shared.description);
            }
            releaseShared(shared);
            released = true;
        }

        /** Whether this hold was given up, by close() or by the cleaner. */
        boolean released() {
            return released;
        }

        /** Whether the cleaner, not close(), gave it up. */
        boolean leaked() {
            return leaked;
        }
    }

    /**
     * An encoder on {@code model}, its ONNX session using {@code intraOpThreads} threads inside one
     * call (0 = ONNX Runtime's default, one per core). Open encoders on the same model and thread count
     * share one session.
     */
    static OrtEncoder load(OnnxModel model, int intraOpThreads, int runSize, Executor executor) {
        String key = model.configName() + "@" + intraOpThreads;
        Shared shared;
        synchronized (LOADED) {
            shared = LOADED.get(key);
            if (shared == null) {
                shared = open(model, intraOpThreads, key);
                LOADED.put(key, shared);
            }
            shared.users++;
        }
        try {
            return new OrtEncoder(OrtEnvironment.getEnvironment(), shared, model == OnnxModel.BGE_SMALL_EN_V15_Q,
                    runSize, executor);
        } catch (RuntimeException | Error e) {
            releaseShared(shared);
            throw e;
        }
    }

    private static void releaseShared(Shared shared) {
        synchronized (LOADED) {
            if (--shared.users > 0) {
                return;
            }
            LOADED.remove(shared.key, shared);
        }
        shared.tokenizer.close();
        closeQuietly(shared.session, shared.key);
        if (shared.headSession != null) {
            closeQuietly(shared.headSession, shared.key + " (query head)");
        }
    }

    private static void closeQuietly(OrtSession session, String what) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ONNX session of {} failed: {}", what, e.getMessage());
        }
    }

    /** The keys of the sessions open now; what tests check a release against. */
    static java.util.Set<String> openSessions() {
        synchronized (LOADED) {
            return java.util.Set.copyOf(LOADED.keySet());
        }
    }

    /** This encoder's hold on its session, for tests that watch it being released. */
    Release release() {
        return release;
    }

    /**
     * Gives up this encoder's hold on the shared session, closing the session when no other encoder uses
     * it. Idempotent; later {@link #encode} calls fail. Must not run while {@link #encode} does.
     */
    @Override
    public void close() {
        release.closing = true;
        cleanable.clean();
    }

    private static Shared open(OnnxModel model, int intraOpThreads, String key) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        // Same tokenizer files as OnnxModel.newModel: MiniLM's rewritten for a 256-token window,
        // bge's as shipped (no truncation: long texts are cut into 510-token windows here). Both are
        // read from the class path into memory: nothing is written to disk.
        Map<String, String> options = Map.of("padding", "false");
        String name = model.configName();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                sessionOptions.setIntraOpNumThreads(intraOpThreads);
            }
            byte[] weights;
            try (InputStream in = resource(name + ".onnx")) {
                weights = in.readAllBytes();
            }
            // With a query head, the model also hands out the states the head reads (declared one more
            // output); ingestion fetches only the model's own output, so it pays nothing for it.
            QueryHead head = QueryHead.bundledFor(model).orElse(null);
            OrtSession session = environment.createSession(
                    head == null ? weights : OnnxGraphs.withFloatOutput(weights, head.statesTensor()), sessionOptions);
            List<String> outputs = new ArrayList<>(session.getOutputNames());
            if (head != null) {
                outputs.remove(head.statesTensor());
            }
            OrtSession headSession = null;
            if (head != null) {
                try {
                    headSession = environment.createSession(head.graph(), sessionOptions);
                } catch (OrtException | RuntimeException e) {
                    session.close();
                    throw e;
                }
            }
            InputStream tokenizerJson = model == OnnxModel.ALL_MINILM_L6_V2_Q
                    ? new ByteArrayInputStream(OnnxModelFiles.tokenizerJson(name, 256).getBytes(StandardCharsets.UTF_8))
                    : resource(name + "-tokenizer.json");
            try (InputStream in = tokenizerJson) {
                String description = "'" + name + "' (intra-op threads "
                        + (intraOpThreads > 0 ? Integer.toString(intraOpThreads) : "default") + ")";
                return new Shared(key, description, session, outputs.get(0), head, headSession,
                        HuggingFaceTokenizer.newInstance(in, options));
            } catch (IOException | RuntimeException e) {
                session.close();
                if (headSession != null) {
                    headSession.close();
                }
                throw e;
            }
        } catch (OrtException | IOException e) {
            throw new IllegalStateException("cannot load ONNX model " + name + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = OrtEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource '" + name + "' is not on the class path");
        }
        return in;
    }

    /** One model input row: its token ids (with [CLS] and [SEP]), the text it belongs to and its weight. */
    private record Window(long[] ids, int text, int weight) {
    }

    @Override
    public List<float[]> encode(List<String> texts) {
        if (release.released()) {
            throw new IllegalStateException("the ONNX session of " + release.shared.key + " is closed");
        }
        try {
            return encodeOpen(texts);
        } finally {
            // The session must outlive the native calls: keep this encoder (and so its cleaner) alive until here.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Set<String> heads() {
        return heads;
    }

    /**
     * One query's vector (pooled, not yet normalised) and its head's score, in one pass: the model runs
     * once with both its own output and the head's states requested, then the head over those states
     * (at most {@link QueryHead#MAX_TOKENS} of them, the window it was trained on).
     */
    @Override
    public ScoredQuery encodeScored(String text) {
        if (head == null) {
            throw new IllegalStateException("no query head ships for " + release.shared.key);
        }
        if (release.released()) {
            throw new IllegalStateException("the ONNX session of " + release.shared.key + " is closed");
        }
        try {
            List<Window> windows = new ArrayList<>();
            addWindows(text, 0, windows);
            if (windows.size() != 1) {
                // The head's model cuts texts at 256 tokens (its tokenizer), so a query is one window.
                throw new IllegalStateException("the query cut into " + windows.size() + " windows; a query head reads one");
            }
            long[] ids = windows.get(0).ids();
            long[] shape = {1, ids.length};
            long[] mask = new long[ids.length];
            Arrays.fill(mask, 1);
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                addInputs(inputs, ids, mask, shape);
                try (OrtSession.Result result = session.run(inputs, Set.of(hiddenOutput, head.statesTensor()))) {
                    FloatBuffer hidden = ((OnnxTensor) result.get(hiddenOutput).orElseThrow()).getFloatBuffer();
                    int dim = hidden.capacity() / ids.length;
                    float[] pooled = new float[dim];
                    meanPool(hidden, 0, ids.length, pooled);
                    OnnxTensor states = (OnnxTensor) result.get(head.statesTensor()).orElseThrow();
                    double score = headScore(states, inputs.get("attention_mask"), ids.length, dim);
                    return new ScoredQuery(pooled, Map.of(head.id(), score));
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on a query of " + ids.length + " tokens: "
                        + e.getMessage(), e);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The head's probability over the states of one window of {@code tokens} tokens. A window within the
     * head's reach is read as the model ran it (its states and mask tensors as they are); a longer one
     * from its first {@link QueryHead#MAX_TOKENS} tokens.
     */
    private double headScore(OnnxTensor states, OnnxTensor mask, int tokens, int dim) throws OrtException {
        if (tokens <= QueryHead.MAX_TOKENS) {
            return headScore(states, mask);
        }
        int read = QueryHead.MAX_TOKENS;
        long[] ones = new long[read];
        Arrays.fill(ones, 1);
        try (OnnxTensor first = OnnxTensor.createTensor(environment, states.getFloatBuffer().limit(read * dim),
                new long[] {1, read, dim});
             OnnxTensor firstMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones), new long[] {1, read})) {
            return headScore(first, firstMask);
        }
    }

    private double headScore(OnnxTensor states, OnnxTensor mask) throws OrtException {
        try (OrtSession.Result out = headSession.run(Map.of("states", states, "attention_mask", mask))) {
            return ((float[]) out.get(0).getValue())[0];
        }
    }

    private List<float[]> encodeOpen(List<String> texts) {
        List<Window> windows = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            addWindows(texts.get(t), t, windows);
        }
        // Sorting by length keeps padding (wasted compute) small inside each run.
        windows.sort(Comparator.comparingInt(w -> w.ids().length));
        List<List<Window>> runs = new ArrayList<>();
        for (int from = 0; from < windows.size(); from += runSize) {
            runs.add(windows.subList(from, Math.min(windows.size(), from + runSize)));
        }
        List<float[][]> pooled = new ArrayList<>(runs.size());
        if (executor == null || runs.size() == 1) {
            for (List<Window> run : runs) {
                pooled.add(run(run));
            }
        } else {
            List<CompletableFuture<float[][]>> futures = new ArrayList<>(runs.size());
            for (List<Window> run : runs) {
                futures.add(CompletableFuture.supplyAsync(() -> run(run), executor));
            }
            try {
                for (CompletableFuture<float[][]> f : futures) {
                    pooled.add(f.join());
                }
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        float[][] sums = new float[texts.size()][];
        for (int r = 0; r < runs.size(); r++) {
            List<Window> run = runs.get(r);
            for (int i = 0; i < run.size(); i++) {
                Window w = run.get(i);
                float[] v = pooled.get(r)[i];
                if (sums[w.text()] == null) {
                    sums[w.text()] = new float[v.length];
                }
                float[] sum = sums[w.text()];
                for (int d = 0; d < v.length; d++) {
                    sum[d] += v[d] * w.weight();
                }
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] sum : sums) {
            out.add(normalise(sum));
        }
        return out;
    }

    /**
     * Cuts the text's tokens (the tokenizer file may already truncate them) into windows of at most
     * {@value #CONTENT_WINDOW} tokens, moving a cut back so it never splits a word ("##" pieces).
     */
    private void addWindows(String text, int index, List<Window> windows) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        String[] tokens = encoding.getTokens();
        int n = ids.length;
        if (n <= 2) {
            throw new IllegalArgumentException("text " + index + " has no token to embed");
        }
        long cls = ids[0];
        long sep = ids[n - 1];
        int start = 1;
        while (start < n - 1) {
            int end = start + CONTENT_WINDOW;
            if (end >= n - 1) {
                end = n - 1;
            } else {
                while (end > start && tokens[end].startsWith("##")) {
                    end--;
                }
                if (end == start) {
                    end = start + CONTENT_WINDOW;
                }
            }
            long[] window = new long[end - start + 2];
            window[0] = cls;
            System.arraycopy(ids, start, window, 1, end - start);
            window[window.length - 1] = sep;
            windows.add(new Window(window, index, end - start));
            start = end;
        }
    }

    /** One ONNX call for the run's windows, padded to the longest; returns one pooled vector per window. */
    private float[][] run(List<Window> run) {
        int rows = run.size();
        int length = 0;
        for (Window w : run) {
            length = Math.max(length, w.ids().length);
        }
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            long[] w = run.get(r).ids();
            System.arraycopy(w, 0, ids, r * length, w.length);
            for (int p = 0; p < w.length; p++) {
                mask[r * length + p] = 1;
            }
        }
        long[] shape = {rows, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            addInputs(inputs, ids, mask, shape);
            try (OrtSession.Result result = session.run(inputs, Set.of(hiddenOutput))) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int dim = (int) outShape[2];
                FloatBuffer states = hidden.getFloatBuffer();
                float[][] pooled = new float[rows][dim];
                for (int r = 0; r < rows; r++) {
                    int base = r * length * dim;
                    if (clsPooling) {
                        states.get(base, pooled[r], 0, dim);
                    } else {
                        meanPool(states, base, run.get(r).ids().length, pooled[r]);
                    }
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + rows + " window(s) of up to " + length
                    + " tokens: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The model's inputs for {@code ids} (flattened rows of {@code shape}), added to {@code inputs} as
     * they are created so that the caller closes every one even when a later one fails.
     */
    private void addInputs(Map<String, OnnxTensor> inputs, long[] ids, long[] mask, long[] shape) throws OrtException {
        inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
        inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
        if (typeIds) {
            // Single-sentence inputs: every token is of segment 0.
            inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
        }
    }

    /** The mean of {@code tokens} token vectors starting at {@code base} in {@code states}, into {@code into}. */
    private static void meanPool(FloatBuffer states, int base, int tokens, float[] into) {
        int dim = into.length;
        for (int p = 0; p < tokens; p++) {
            int at = base + p * dim;
            for (int d = 0; d < dim; d++) {
                into[d] += states.get(at + d);
            }
        }
        for (int d = 0; d < dim; d++) {
            into[d] /= tokens;
        }
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }
}
