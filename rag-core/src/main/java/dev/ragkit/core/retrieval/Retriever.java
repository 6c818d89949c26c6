package dev.ragkit.core.retrieval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.Instrumentation;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.model.StepTiming;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.core.text.LanguageDetector;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the chunks that answer a query: dense (the embedder and the store's vector search), keyword
 * (the store's BM25), or hybrid (both, fused by {@link ReciprocalRankFusion}). Thread-safe.
 *
 * <p>In hybrid mode the dense list counts less for a query written in a language the embedder does not
 * cover ({@link Embedder#languages()}, the query's language by {@link LanguageDetector}): an English-only
 * model ranks French passages poorly, and fused with equal weight it pulls BM25's good French ranking
 * down. See {@link Builder#uncoveredLanguageWeight(double)}.
 *
 * <p>Scores are similarities in [0, 1] in every mode (see {@link SearchRequest}); {@code minScore}
 * applies to each mode's list before fusion, so it means the same thing whatever the mode.
 */
public final class Retriever {
    /**
     * The most hits one query may ask for. Far above any useful prompt, it keeps a typo or a
     * misread setting from asking a store for hundreds of millions of hits (and from overflowing
     * the candidate count, 4 x top-k).
     */
    public static final int MAX_TOP_K = 10_000;
    /** Tag on retrieval metrics and spans naming the index version searched ({@code v3}, or {@code none}). */
    public static final String INDEX_VERSION_TAG = "index.version";
    /**
     * The dense list's weight in hybrid fusion for a query in a language the embedder does not cover,
     * chosen by 5-fold cross-validation on French questions (PIAF) with the English MiniLM model:
     * see rag-eval's README, "French queries and English embedders" (0.10 then) and "Keyword proximity"
     * (0.05 since the keyword list reads French better: chosen by four of the five folds).
     */
    public static final double DEFAULT_UNCOVERED_LANGUAGE_WEIGHT = 0.05;

    private final Embedder embedder;
    private final VectorStore store;
    private final RetrievalMode mode;
    private final int topK;
    private final double minScore;
    private final int candidates;
    private final ReciprocalRankFusion fusion;
    private final double uncoveredLanguageWeight;
    private final Instrumentation instrumentation;
    /** The version label for metrics when the store is one fixed version rather than a live store; else null. */
    private final String versionLabel;
    private final Builder settings;
    /** The query caches, or null. */
    private final QueryCaches caches;

    private Retriever(Builder b) {
        this.embedder = b.embedder;
        this.store = Objects.requireNonNull(b.store, "store");
        this.mode = b.mode;
        this.topK = b.topK;
        this.minScore = b.minScore;
        this.candidates = b.candidates == -1 ? defaultCandidates(b.topK) : b.candidates;
        this.fusion = new ReciprocalRankFusion(b.rrfK);
        this.uncoveredLanguageWeight = b.uncoveredLanguageWeight;
        this.instrumentation = new Instrumentation(b.meterRegistry, b.tracer);
        this.versionLabel = b.indexVersion > 0 ? "v" + b.indexVersion : null;
        this.settings = b.copy();
        this.caches = b.caches;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link Retriever}. */
    public static final class Builder {
        private Embedder embedder;
        private VectorStore store;
        private RetrievalMode mode = RetrievalMode.HYBRID;
        private int topK = 5;
        private double minScore;
        private int candidates = -1;
        private int rrfK = ReciprocalRankFusion.DEFAULT_K;
        private double uncoveredLanguageWeight = DEFAULT_UNCOVERED_LANGUAGE_WEIGHT;
        private MeterRegistry meterRegistry;
        private Tracer tracer;
        private int indexVersion;
        private QueryCaches caches;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.embedder = embedder;
            b.store = store;
            b.mode = mode;
            b.topK = topK;
            b.minScore = minScore;
            b.candidates = candidates;
            b.rrfK = rrfK;
            b.uncoveredLanguageWeight = uncoveredLanguageWeight;
            b.meterRegistry = meterRegistry;
            b.tracer = tracer;
            b.indexVersion = indexVersion;
            // caches are not copied: a copy searches another version's store, whose writes (a reindex)
            // do not go through the caches' invalidation
            return b;
        }

        /**
         * The index version {@code store} holds, for tag {@code index.version} on this retriever's metrics
         * and spans when the store is one fixed version (a rollout's candidate) rather than a
         * {@link LiveVersionStore}, which names its version itself.
         */
        public Builder indexVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("index version was " + version + " but it must be >= 1");
            }
            this.indexVersion = version;
            return this;
        }

        /** Embeds queries; required unless the mode is keyword. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** The store to search; required. */
        public Builder store(VectorStore store) {
            this.store = store;
            return this;
        }

        /** Dense, keyword or hybrid; hybrid by default. */
        public Builder mode(RetrievalMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Hits returned per query, from 1 to {@link #MAX_TOP_K}; 5 by default. */
        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Hits scoring below this (in [0, 1]) are dropped; 0 by default. */
        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        /** Hits fetched from each list before fusion; {@code max(4 * topK, 40)} by default. */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        /** RRF's k; 60 by default. */
        public Builder rrfK(int rrfK) {
            this.rrfK = rrfK;
            return this;
        }

        /**
         * Hybrid mode: the dense list's weight in fusion (BM25's is 1) for a query whose detected language
         * the embedder does not declare in {@link Embedder#languages()}; in [0, 1],
         * {@link #DEFAULT_UNCOVERED_LANGUAGE_WEIGHT} by default. 1 fuses as for any query; 0 answers such
         * queries from keyword search alone (the query is then not embedded). Queries whose language is
         * not detected, and embedders that declare no language, always get weight 1.
         */
        public Builder uncoveredLanguageWeight(double weight) {
            this.uncoveredLanguageWeight = weight;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /**
         * Query-embedding and search-result caches; none by default. Writes to {@code store} must go through
         * {@link QueryCaches#invalidatingWrites} for the next identical query to see them.
         */
        public Builder caches(QueryCaches caches) {
            this.caches = caches;
            return this;
        }


        /**
         * @throws RagConfigurationException when the mode needs what the store or embedder lacks
         */
        public Retriever build() {
            List<String> problems = new ArrayList<>();
            if (store == null) {
                problems.add("a retriever needs a store");
            }
            if (mode != RetrievalMode.KEYWORD && embedder == null) {
                problems.add("retrieval mode " + mode.name().toLowerCase(Locale.ROOT) + " needs an embedder");
            }
            if (store != null && mode != RetrievalMode.DENSE
                    && !store.capabilities().contains(StoreCapability.KEYWORD_SEARCH)) {
                problems.add("retrieval mode " + mode.name().toLowerCase(Locale.ROOT) + " needs keyword search but store '"
                        + store.name() + "' has none; wrap it with Bm25SidecarStore or use mode dense");
            }
            if (store != null && embedder != null && embedder.dimension() != store.dimension()) {
                problems.add("embedder " + embedder.id() + " makes vectors of dimension " + embedder.dimension()
                        + " but store '" + store.name() + "' holds dimension " + store.dimension());
            }
            if (store != null && embedder != null && mode != RetrievalMode.KEYWORD) {
                try {
                    IndexCompatibility.requireSameEmbedder(store, embedder, "this retriever");
                } catch (RagConfigurationException e) {
                    problems.addAll(e.problems());
                }
            }
            if (topK < 1 || topK > MAX_TOP_K) {
                problems.add("retrieval topK was " + topK + " but it must be between 1 and " + MAX_TOP_K);
            }
            if (!(uncoveredLanguageWeight >= 0 && uncoveredLanguageWeight <= 1)) {
                problems.add("retrieval uncoveredLanguageWeight was " + uncoveredLanguageWeight + " but it must be in [0, 1]");
            }
            if (!(minScore >= 0 && minScore <= 1)) {
                problems.add("retrieval minScore was " + minScore + " but it must be in [0, 1]");
            }
            int fetched = candidates == -1 ? defaultCandidates(topK) : candidates;
            if (fetched < topK) {
                problems.add("retrieval candidates was " + fetched + " but it must be >= topK (" + topK + ")");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new Retriever(this);
        }
    }

    /** {@code max(4 x topK, 40)}, computed in long so that no top-k can overflow it. */
    static int defaultCandidates(int topK) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(4L * topK, 40));
    }

    public RetrievalMode mode() {
        return mode;
    }

    public int topK() {
        return topK;
    }

    public VectorStore store() {
        return store;
    }

    /**
     * A builder holding this retriever's settings (mode, top-k, scores, fusion, observability, embedder,
     * store): e.g. the same retrieval over another index version with that version's embedder.
     */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** The best {@link #topK()} hits for {@code query}. */
    public List<SearchHit> retrieve(String query) {
        return retrieve(query, null, topK, (Instrumentation.Steps) null);
    }

    /** The best {@code topK} hits for {@code query} among chunks satisfying {@code filter} (null: all). */
    public List<SearchHit> retrieve(String query, Filter filter, int topK) {
        return retrieve(query, filter, topK, (Instrumentation.Steps) null);
    }

    /**
     * As {@link #retrieve(String, Filter, int)}, handing the timing of each step (query embedding,
     * each store search) to {@code timings} as it ends.
     */
    public List<SearchHit> retrieve(String query, Filter filter, int topK, Consumer<StepTiming> timings) {
        return retrieve(query, filter, topK, timings == null ? null : new Instrumentation.Steps(timings));
    }

    private List<SearchHit> retrieve(String query, Filter filter, int topK, Instrumentation.Steps steps) {
        if (query == null || query.isBlank()) {
            throw new InvalidInputException("query was empty");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new InvalidInputException("topK was " + topK + " but it must be between 1 and " + MAX_TOP_K);
        }
        if (filter != null) {
            // Refused before the query is embedded or anything is sent, never dropped or approximated.
            store.filterSupport().require(store.name(), filter);
        }
        List<SearchHit> hits = switch (mode) {
            case DENSE -> dense(query, filter, topK, steps);
            case KEYWORD -> keyword(query, filter, topK, steps);
            case HYBRID -> {
                int n = Math.max(candidates, topK);
                double denseWeight = denseWeight(query);
                if (denseWeight == 0) {
                    yield keyword(query, filter, topK, steps);
                }
                yield fusion.fuse(List.of(dense(query, filter, n, steps), keyword(query, filter, n, steps)),
                        List.of(denseWeight, 1.0), topK);
            }
        };
        instrumentation.maxScore(store.name(), mode.name().toLowerCase(Locale.ROOT), versionTag(),
                hits.stream().mapToDouble(SearchHit::score).max().orElse(0));
        return hits;
    }

    /**
     * The weight of the dense list in hybrid fusion for {@code query} (the keyword list's is 1): the
     * {@linkplain Builder#uncoveredLanguageWeight(double) uncovered-language weight} when the embedder
     * declares its languages and the query's detected language is not among them, else 1.
     */
    public double denseWeight(String query) {
        if (embedder == null || uncoveredLanguageWeight == 1.0) {
            return 1.0;
        }
        Set<String> covered = embedder.languages();
        if (covered.isEmpty()) {
            return 1.0;
        }
        Optional<String> language = LanguageDetector.detect(query);
        return language.isPresent() && !covered.contains(language.get()) ? uncoveredLanguageWeight : 1.0;
    }

    private List<SearchHit> dense(String query, Filter filter, int k, Instrumentation.Steps steps) {
        Supplier<List<SearchHit>> search = () -> {
            Supplier<float[]> embed = () -> instrumentation.step("rag.embed", "rag.embed", "embedder", embedder.id(),
                    steps, () -> embedder.embedQuery(query));
            float[] vector = caches == null ? embed.get() : caches.queryEmbedding(embedder, query, embed);
            return search(SearchRequest.dense(vector, k).withFilter(filter).withMinScore(minScore), steps);
        };
        return caches == null ? search.get() : caches.searchResults(store.name(),
                versionTag().get(INDEX_VERSION_TAG), embedder.id(), query, k, minScore, filter, search);
    }

    private List<SearchHit> keyword(String query, Filter filter, int k, Instrumentation.Steps steps) {
        Supplier<List<SearchHit>> search = () -> search(SearchRequest.keyword(query, k).withFilter(filter)
                .withMinScore(minScore), steps);
        return caches == null ? search.get() : caches.searchResults(store.name(),
                versionTag().get(INDEX_VERSION_TAG), null, query, k, minScore, filter, search);
    }

    /**
     * Tag {@code index.version}: the version a {@link LiveVersionStore} serves ({@code v3}), {@code none} for
     * a plain store. One value per live version, so it stays few.
     */
    private Map<String, String> versionTag() {
        if (versionLabel != null) {
            return Map.of(INDEX_VERSION_TAG, versionLabel);
        }
        return Map.of(INDEX_VERSION_TAG, store instanceof LiveVersionStore live ? "v" + live.version() : "none");
    }

    private List<SearchHit> search(SearchRequest request, Instrumentation.Steps steps) {
        return instrumentation.step("rag.retrieval", "rag.search", "store", store.name(), versionTag(), steps,
                span -> {
                    span.setAttribute("mode", request.isDense() ? "dense" : "keyword");
                    span.setAttribute("top_k", request.topK());
                    List<SearchHit> hits = store.search(request);
                    span.setAttribute("hits", hits.size());
                    return hits;
                });
    }
}
