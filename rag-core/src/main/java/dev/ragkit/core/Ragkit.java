package dev.ragkit.core;

import dev.ragkit.core.budget.Budget;
import dev.ragkit.core.budget.BudgetConfig;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.index.ConfiguredEmbedders;
import dev.ragkit.core.index.EmbedderResolver;
import dev.ragkit.core.index.RolloutPolicy;
import dev.ragkit.core.index.RolloutRouter;
import dev.ragkit.core.cache.CacheSettings;
import dev.ragkit.core.cache.QueryCaches;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.internal.DidYouMean;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.internal.QueryVectorMemo;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.retrieval.ReciprocalRankFusion;
import dev.ragkit.core.retrieval.Retriever;
import dev.ragkit.core.secret.Secrets;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardProvider;
import dev.ragkit.core.spi.LlmClient;
import dev.ragkit.core.spi.Provider;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.Bm25SidecarStore;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.store.InstrumentedVersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A pipeline, an ingestor and their parts assembled from a flat configuration map, the way a host
 * names its parts without code ({@code rag.store=faiss}, {@code rag.llm=ollama,hf}).
 *
 * <p>Keys (every other key under {@code rag.<kind>.<name>.} goes to that provider):
 * <ul>
 *   <li>{@code rag.embedder} (required): embedder provider name, e.g. {@code onnx}</li>
 *   <li>{@code rag.store}: store provider name, default {@code memory}; its {@code dimension} key is
 *       filled in from the embedder unless set</li>
 *   <li>{@code rag.llm}: comma-separated LLM providers tried in order; none means extractive answers</li>
 *   <li>{@code rag.guards}: comma-separated guard providers, run in order</li>
 *   <li>{@code rag.retrieval.mode} ({@code dense|keyword|hybrid}, default hybrid),
 *       {@code rag.retrieval.top-k} (5, at most {@value Retriever#MAX_TOP_K}), {@code rag.retrieval.min-score} (0.0),
 *       {@code rag.retrieval.candidates} (hits fetched per side before fusion, default
 *       max(4 x top-k, 40)), {@code rag.retrieval.rrf-k} (reciprocal rank fusion constant, default 60;
 *       smaller values favour the top of each list), {@code rag.retrieval.uncovered-language-weight} (hybrid:
 *       weight of the dense list for a query in a language the embedder does not declare, in [0, 1], default
 *       {@value Retriever#DEFAULT_UNCOVERED_LANGUAGE_WEIGHT}), {@code rag.retrieval.keyword-analyzer} (how the
 *       in-process BM25 index beside a store without keyword search, such as FAISS, reads text:
 *       {@code auto}, the default, reads each text in its own language, see {@link TextAnalyzer#auto()};
 *       or {@code french-english}, {@code english}, {@code french}; stores with keyword search of their own
 *       take their analyzer in their own settings, e.g. the memory store's {@code analyzer}),
 *       {@code rag.retrieval.keyword-proximity-weight} (how much that index rewards the query's words
 *       standing close together, 0 for plain BM25, default {@value Bm25Index#DEFAULT_PROXIMITY_WEIGHT};
 *       the memory store's own is {@code proximity-weight}), {@code rag.retrieval.keyword-subword-weight} (how
 *       much it rewards the query's words sharing character 4-grams with a chunk's words, 0 for whole words
 *       only, default {@value Bm25Index#DEFAULT_SUBWORD_WEIGHT}; the memory store's own is {@code subword-weight})</li>
 *   <li>{@code rag.splitter.max-chars} (1000), {@code rag.splitter.overlap-chars} (150)</li>
 *   <li>{@code rag.ingest.batch-size} (64), {@code rag.ingest.concurrency} (1),
 *       {@code rag.ingest.max-document-chars} (longer documents are skipped and reported, default
 *       {@value Ingestor#DEFAULT_MAX_DOCUMENT_CHARS})</li>
 *   <li>{@code rag.index.rebuild} (false): the index records the embedder that built it, and opening it
 *       with another embedder fails naming both; {@code true} empties such an index instead, so the next
 *       ingestion embeds everything with the new embedder</li>
 *   <li>Progressive rollout of a versioned index's candidate version (see {@link RolloutRouter}):
 *       {@code rag.rollout.max-error-rate} (0.01) and {@code rag.rollout.min-agreement} (0.7), the limits
 *       beyond which the rollout rolls back by itself, judged over at least {@code rag.rollout.min-queries}
 *       (100) candidate or compared queries; {@code rag.rollout.compare-share} (1.0), the share of queries
 *       also run on the other version in the background to measure agreement;
 *       {@code rag.rollout.auto-advance-after} (0: advance by hand), healthy candidate queries after which a
 *       stage advances by itself</li>
 *   <li>{@code rag.cache} ({@code none}, {@code memory}, {@code redis}...) and its limits: see
 *       {@link CacheSettings}</li>
 * </ul>
 *
 * <p>Token and cost budgets are read from the {@code rag.budget.} keys that {@link BudgetConfig} lists;
 * with any of them set, the pipeline counts its model calls against a {@link Budget}. Credential keys of
 * providers accept {@code env:NAME}, {@code file:/path} and {@code vault:path#field} references, resolved
 * through {@link Secrets} with the resolvers that {@code rag.secret.<scheme>.} keys configure.
 *
 * <p>Every {@code rag.*} key must be read by this class or by a configured provider: a misspelt key
 * ({@code rag.retrival.mode}, {@code rag.store.faiss.directry}) or a setting of a provider that is not
 * configured is an error naming the closest known key. Every problem (unknown keys and names, bad
 * values, provider errors, capabilities the store lacks) is reported at once in one
 * {@link RagConfigurationException}, and nothing stays open when assembly fails. The library never
 * reads environment variables; hosts map theirs into the map.
 *
 * <p>Thread-safe once built. {@link #close()} closes every part, in the reverse order of creation.
 */
public final class Ragkit implements AutoCloseable {
    /**
     * Top-level keys this class reads. Every other {@code rag.*} key must be a setting that a configured
     * provider reads ({@code rag.<kind>.<name>.<key>}); anything else is reported, with the closest
     * known key, since a misspelt key silently ignored (persistence off, another retrieval mode) is worse
     * than an error.
     */
    /** The analyzer of the BM25 index Ragkit keeps beside a store without keyword search. */
    static final String KEYWORD_ANALYZER_KEY = "rag.retrieval.keyword-analyzer";
    /** The proximity weight of that BM25 index. */
    static final String KEYWORD_PROXIMITY_KEY = "rag.retrieval.keyword-proximity-weight";
    /** The subword weight of that BM25 index. */
    static final String KEYWORD_SUBWORD_KEY = "rag.retrieval.keyword-subword-weight";
    static final Set<String> KNOWN_KEYS = Set.of(
            "rag.embedder", "rag.store", "rag.llm", "rag.guards",
            "rag.retrieval.mode", "rag.retrieval.top-k", "rag.retrieval.min-score", "rag.retrieval.candidates",
            "rag.retrieval.rrf-k", "rag.retrieval.uncovered-language-weight", KEYWORD_ANALYZER_KEY,
            KEYWORD_PROXIMITY_KEY, KEYWORD_SUBWORD_KEY,
            "rag.splitter.max-chars", "rag.splitter.overlap-chars",
            "rag.ingest.batch-size", "rag.ingest.concurrency", Ingestor.MAX_DOCUMENT_CHARS_KEY,
            IndexCompatibility.REBUILD_KEY,
            "rag.rollout.max-error-rate", "rag.rollout.min-agreement", "rag.rollout.min-queries",
            "rag.rollout.compare-share", "rag.rollout.auto-advance-after",
            CacheSettings.KEY); // its rag.cache.* settings are checked by CacheSettings
    /** The kinds whose providers take settings under {@code rag.<kind>.<name>.}. */
    private static final List<ComponentKind> PROVIDER_KINDS = List.of(ComponentKind.STORE, ComponentKind.EMBEDDER,
            ComponentKind.LLM, ComponentKind.GUARD);

    private final Embedder embedder;
    private final VectorStore store;
    private final List<LlmClient> llms;
    private final List<Guard> guards;
    private final Retriever retriever;
    private final Ingestor ingestor;
    private final RagPipeline pipeline;
    private final VersionedIndex versionedIndex;
    private final RolloutRouter rollout;
    private final QueryCaches caches;
    /** Every part in the order it was created (embedder, LLM clients, guards, store); closed backwards. */
    private final List<AutoCloseable> parts;

    private Ragkit(Embedder embedder, VectorStore store, List<LlmClient> llms, List<Guard> guards,
            Retriever retriever, Ingestor ingestor, RagPipeline pipeline, VersionedIndex versionedIndex,
            AutoCloseable versionEmbedders, RolloutRouter rollout, QueryCaches caches, Budget budget) {
        List<AutoCloseable> inOrder = new ArrayList<>();
        if (budget != null) {
            inOrder.add(budget); // its shared store, if any: closed last, the pipeline counts until the end
        }
        if (caches != null) {
            inOrder.add(caches); // closed last: the retriever uses it until the end
        }
        inOrder.add(embedder);
        inOrder.addAll(llms);
        inOrder.addAll(guards);
        if (versionedIndex != null) {
            inOrder.add(versionedIndex);
        }
        inOrder.add(store);
        if (versionEmbedders != null) {
            inOrder.add(versionEmbedders);
        }
        if (rollout != null) {
            inOrder.add(rollout); // closed first: it searches the store and the versions' embedders
        }
        this.parts = List.copyOf(inOrder);
        this.embedder = embedder;
        this.store = store;
        this.llms = llms;
        this.guards = guards;
        this.retriever = retriever;
        this.ingestor = ingestor;
        this.pipeline = pipeline;
        this.versionedIndex = versionedIndex;
        this.rollout = rollout;
        this.caches = caches;
    }

    /** Assembles from {@code config} with the providers on the class path. */
    public static Ragkit fromConfig(Map<String, String> config) {
        return builder().config(config).build();
    }

    /** Assembles from {@code config} with the providers of {@code registry}. */
    public static Ragkit fromConfig(Map<String, String> config, ProviderRegistry registry) {
        return builder().config(config).registry(registry).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration plus the host's observability hooks. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private ProviderRegistry registry;
        private MeterRegistry meterRegistry;
        private Tracer tracer;
        private EmbedderResolver versionEmbedders;

        private Builder() {
        }

        /**
         * Gives the embedder of each index version, for a rollout's candidate built with another embedder
         * than the host's; by default a {@link ConfiguredEmbedders} over the configuration (closed with the
         * host). A resolver given here is not closed.
         */
        public Builder versionEmbedders(EmbedderResolver resolver) {
            this.versionEmbedders = resolver;
            return this;
        }

        /** Adds {@code values} to the configuration; later calls override earlier keys. */
        public Builder config(Map<String, String> values) {
            values.forEach((k, v) -> config.put(Objects.requireNonNull(k, "config key"),
                    Objects.requireNonNull(v, () -> "value of config key " + k)));
            return this;
        }

        /** Sets one configuration key. */
        public Builder set(String key, String value) {
            return config(Map.of(key, value));
        }

        /** {@link ProviderRegistry#discover()} unless set. */
        public Builder registry(ProviderRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Where step timers and counters go; none by default. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** Where step spans go; none by default. */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** @throws RagConfigurationException listing every problem found */
        public Ragkit build() {
            return new Assembly(Map.copyOf(config), registry != null ? registry : ProviderRegistry.discover(),
                    meterRegistry, tracer, versionEmbedders).assemble();
        }
    }

    /** The pipeline answering questions. */
    public RagPipeline pipeline() {
        return pipeline;
    }

    /** The incremental ingestor writing into {@link #store()}. */
    public Ingestor ingestor() {
        return ingestor;
    }

    public Retriever retriever() {
        return retriever;
    }

    /**
     * The store, with a BM25 sidecar when the configured store has no keyword search of its own. When the
     * configured store's directory is a versioned index, a {@link LiveVersionStore} serving the live
     * version and following promotes and rollbacks (each version with its own sidecar).
     */
    public VectorStore store() {
        return store;
    }

    /**
     * The versioned index that {@link #store()} serves the live version of, with its lifecycle steps
     * measured into the host's registry and tracer ({@code rag.index.*}); empty when the store is a plain
     * one. Promotes and rollbacks through it switch {@link #store()} at once.
     */
    public Optional<VersionedIndex> versionedIndex() {
        return Optional.ofNullable(versionedIndex);
    }

    /**
     * The router that serves progressive rollouts of {@link #versionedIndex()}'s candidate versions
     * through {@link #pipeline()}; empty when the store is a plain one.
     */
    public Optional<RolloutRouter> rollout() {
        return Optional.ofNullable(rollout);
    }

    /**
     * The query caches ({@code rag.cache}); empty when caching is off. Writes through {@link #ingestor()}
     * invalidate them; writes straight to {@link #store()} do not, and are seen once the cached results
     * expire ({@code rag.cache.results.ttl}) or after {@link QueryCaches#invalidate()}.
     */
    public Optional<QueryCaches> caches() {
        return Optional.ofNullable(caches);
    }

    public Embedder embedder() {
        return embedder;
    }

    /** LLM clients in fallback order; empty when answers are extractive. */
    public List<LlmClient> llms() {
        return llms;
    }

    public List<Guard> guards() {
        return guards;
    }

    /**
     * Closes every part in the reverse order of creation: the store (flushed first), the guards, the
     * LLM clients, then the embedder, each list from last to first. Continues past failures and then
     * throws the first with the others suppressed. Idempotent when every part's close is.
     */
    @Override
    public void close() {
        RagException failure = closeAll(parts);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Closes {@code parts} from last to first (the reverse of the order they were created in, so a
     * part is closed before what it was built on), continuing past failures; nulls are skipped.
     *
     * @return the first failure with the later ones suppressed, or null when all closed
     */
    static RagException closeAll(List<? extends AutoCloseable> parts) {
        RagException failure = null;
        for (int i = parts.size() - 1; i >= 0; i--) {
            AutoCloseable part = parts.get(i);
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new RagException("closing " + part + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** One assembly attempt: collects problems, builds parts, and cleans up when anything failed. */
    private static final class Assembly {
        private final Map<String, String> config;
        private final ProviderRegistry registry;
        private final MeterRegistry meterRegistry;
        private final Tracer tracer;
        private final EmbedderResolver versionEmbedders;
        private final List<String> problems = new ArrayList<>();
        /** What was created so far, in order, to close backwards when assembly fails. */
        private final List<AutoCloseable> created = new ArrayList<>();
        /** Resolves the credential references of provider keys; set first thing in assembly. */
        private Secrets secrets = Secrets.defaults();
        /** How the BM25 sidecar reads text ({@link #KEYWORD_ANALYZER_KEY}); read with the retrieval keys. */
        private TextAnalyzer keywordAnalyzer = TextAnalyzer.auto();
        /** The sidecar's proximity and subword weights ({@link #KEYWORD_PROXIMITY_KEY}, {@link #KEYWORD_SUBWORD_KEY}). */
        private KeywordWeights keywordWeights = KeywordWeights.DEFAULTS;
        /** The settings each created provider read, to find keys that no component reads. */
        private final List<ProviderConfig> providerConfigs = new ArrayList<>();
        /** The provider names configured per kind, created or not. */
        private final Map<ComponentKind, List<String>> configured = new java.util.EnumMap<>(ComponentKind.class);
        /** The store's settings name a versioned index that cannot be served: no plain store is opened instead. */
        private boolean versionedFailed;

        Assembly(Map<String, String> config, ProviderRegistry registry, MeterRegistry meterRegistry, Tracer tracer,
                 EmbedderResolver versionEmbedders) {
            this.versionEmbedders = versionEmbedders;
            this.config = config;
            this.registry = registry;
            this.meterRegistry = meterRegistry;
            this.tracer = tracer;
        }

        Ragkit assemble() {
            try {
                return assembleOrCollect();
            } catch (RuntimeException e) {
                closeQuietly(e);
                throw e;
            }
        }

        private Ragkit assembleOrCollect() {
            checkUnknownKeys();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            secrets = Secrets.fromConfig(config, loader != null ? loader : Ragkit.class.getClassLoader(), problems);
            created.add(secrets);
            RetrievalMode mode = parse("rag.retrieval.mode", "hybrid", RetrievalMode::parse);
            int topK = positiveInt("rag.retrieval.top-k", 5);
            if (topK > Retriever.MAX_TOP_K) {
                problems.add("rag.retrieval.top-k was " + topK + " but it must be <= " + Retriever.MAX_TOP_K);
                topK = 5;
            }
            Integer candidates = config.containsKey("rag.retrieval.candidates")
                    ? positiveInt("rag.retrieval.candidates", topK) : null;
            int rrfK = positiveInt("rag.retrieval.rrf-k", ReciprocalRankFusion.DEFAULT_K);
            double minScore = parse("rag.retrieval.min-score", "0", Double::parseDouble);
            double uncoveredWeight = parse("rag.retrieval.uncovered-language-weight",
                    String.valueOf(Retriever.DEFAULT_UNCOVERED_LANGUAGE_WEIGHT), Double::parseDouble);
            if (!(uncoveredWeight >= 0 && uncoveredWeight <= 1)) {
                problems.add("rag.retrieval.uncovered-language-weight was '"
                        + config.get("rag.retrieval.uncovered-language-weight") + "' but it must be between 0 and 1");
                uncoveredWeight = Retriever.DEFAULT_UNCOVERED_LANGUAGE_WEIGHT;
            }
            if (minScore < 0 || minScore > 1 || Double.isNaN(minScore)) {
                problems.add("rag.retrieval.min-score was '" + config.get("rag.retrieval.min-score")
                        + "' but it must be between 0 and 1");
            }
            keywordAnalyzer = parse(KEYWORD_ANALYZER_KEY, "auto", TextAnalyzer::named);
            keywordWeights = new KeywordWeights(
                    keywordWeight(KEYWORD_PROXIMITY_KEY, Bm25Index.DEFAULT_PROXIMITY_WEIGHT),
                    keywordWeight(KEYWORD_SUBWORD_KEY, Bm25Index.DEFAULT_SUBWORD_WEIGHT));
            int maxChars = positiveInt("rag.splitter.max-chars", 1000);
            int overlap = parse("rag.splitter.overlap-chars", "150", Integer::parseInt);
            if (overlap < 0 || overlap >= maxChars) {
                problems.add("rag.splitter.overlap-chars was " + overlap + " but it must be >= 0 and below "
                        + "rag.splitter.max-chars (" + maxChars + ")");
            }
            boolean rebuild = parse(IndexCompatibility.REBUILD_KEY, "false", Assembly::strictBoolean);
            int batchSize = positiveInt("rag.ingest.batch-size", 64);
            int concurrency = positiveInt("rag.ingest.concurrency", 1);
            int maxDocumentChars = positiveInt(Ingestor.MAX_DOCUMENT_CHARS_KEY, Ingestor.DEFAULT_MAX_DOCUMENT_CHARS);
            RolloutPolicy rolloutPolicy = rolloutPolicy();
            Optional<Budget.Builder> budgetSettings = BudgetConfig.read(config, classLoader(), secrets, problems);
            budgetSettings.ifPresent(b -> created.add(b::closeSharedStore));

            String embedderName = config.get("rag.embedder");
            if (embedderName == null || embedderName.isBlank()) {
                problems.add("rag.embedder is required (an embedder provider name; available: "
                        + registry.names(ComponentKind.EMBEDDER) + ")");
            }
            String storeName = config.getOrDefault("rag.store", "memory").trim();
            List<String> llmNames = names("rag.llm");
            List<String> guardNames = names("rag.guards");
            configured.put(ComponentKind.EMBEDDER, embedderName == null ? List.of() : List.of(embedderName.trim()));
            configured.put(ComponentKind.STORE, List.of(storeName));
            configured.put(ComponentKind.LLM, llmNames);
            configured.put(ComponentKind.GUARD, guardNames);

            // Every part whose name resolves is created even when other settings are wrong, so that
            // one run reports all problems; what was created is closed again when assembly fails.
            Embedder embedder = embedderName == null || embedderName.isBlank() ? null
                    : createIfKnown(ComponentKind.EMBEDDER, embedderName.trim(), config);
            boolean storeKnown = known(ComponentKind.STORE, storeName);
            List<LlmClient> llms = new ArrayList<>();
            for (String name : llmNames) {
                LlmClient llm = createIfKnown(ComponentKind.LLM, name, config);
                if (llm != null) {
                    llms.add(llm);
                }
            }
            // Guards that read sentence vectors get the pipeline's embedder through a memo that the
            // retriever reads too, so the question is encoded once for both.
            QueryVectorMemo memo = embedder == null ? null : new QueryVectorMemo(embedder);
            List<Guard> guards = new ArrayList<>();
            for (String name : guardNames) {
                Guard guard = createGuardIfKnown(name, memo == null ? null : memo.producer());
                if (guard != null) {
                    guards.add(guard);
                }
            }
            VectorStore store = null;
            VersionedIndex versioned = null;
            if (storeKnown && embedder != null) {
                versioned = versionedIndex(storeName);
                if (versioned != null) {
                    if (rebuild) {
                        problems.add(IndexCompatibility.REBUILD_KEY + " was 'true' but the store directory is the"
                                + " versioned index '" + versioned.name() + "', whose live version is never emptied;"
                                + " build a new version with the new embedder and promote it (ragkit index reindex)");
                    }
                    store = openLive(versioned, embedder, mode);
                } else if (!versionedFailed) {
                    store = createStore(storeName, embedder.dimension());
                }
            }
            checkProviderKeys();
            if (store != null) {
                checkStoreNeeds(store, mode);
            }
            QueryCaches caches = CacheSettings.fromConfig(config, classLoader(), meterRegistry, problems).orElse(null);
            if (caches != null) {
                created.add(caches);
            }
            failIfProblems();

            VectorStore searchable = store;
            if (mode != RetrievalMode.DENSE) {
                try {
                    searchable = Bm25SidecarStore.wrapIfNeeded(store, keywordAnalyzer, keywordWeights);
                } catch (RagConfigurationException e) {
                    problems.addAll(e.problems());
                }
            }
            failIfProblems();
            if (rebuild) {
                emptyIfBuiltByAnotherEmbedder(searchable, embedder, RecursiveSplitter.of(maxChars, overlap).describe());
            }

            Retriever.Builder retrieverBuilder = Retriever.builder().embedder(memo.consumer()).store(searchable).mode(mode)
                    .topK(topK).minScore(minScore).rrfK(rrfK).uncoveredLanguageWeight(uncoveredWeight)
                    .meterRegistry(meterRegistry).tracer(tracer).caches(caches);
            if (candidates != null) {
                retrieverBuilder.candidates(candidates);
            }
            Retriever retriever = retrieverBuilder.build();
            Ingestor ingestor = Ingestor.builder().embedder(embedder)
                    .store(caches == null ? searchable : caches.invalidatingWrites(searchable))
                    .splitter(RecursiveSplitter.of(maxChars, overlap)).batchSize(batchSize).concurrency(concurrency)
                    .maxDocumentChars(maxDocumentChars).meterRegistry(meterRegistry).tracer(tracer).build();
            VersionedIndex instrumented = versioned == null ? null
                    : InstrumentedVersionedIndex.instrument(versioned, meterRegistry, tracer);
            ConfiguredEmbedders configuredEmbedders = null;
            RolloutRouter router = null;
            if (instrumented != null) {
                EmbedderResolver resolver = versionEmbedders;
                if (resolver == null) {
                    configuredEmbedders = new ConfiguredEmbedders(registry, config, embedder, secrets);
                    created.add(configuredEmbedders);
                    resolver = configuredEmbedders;
                }
                router = RolloutRouter.builder(instrumented, retriever, resolver).policy(rolloutPolicy)
                        .keywordAnalyzer(keywordAnalyzer).keywordWeights(keywordWeights)
                        .meterRegistry(meterRegistry).tracer(tracer).build();
                created.add(router);
                router.refresh(); // a restarted host routes its first queries as the rollout's stage says
            }
            Budget budget = budgetSettings.isEmpty() ? null : budget(budgetSettings.get(), llmNames, llms);
            RagPipeline pipeline = RagPipeline.builder().retriever(retriever).llms(llms).guards(guards)
                    .rollout(router).budget(budget).meterRegistry(meterRegistry).tracer(tracer).build();
            return new Ragkit(embedder, searchable, List.copyOf(llms), List.copyOf(guards), retriever, ingestor,
                    pipeline, instrumented, configuredEmbedders, router, caches, budget);
        }

        /** Where cache backend providers are found: the thread's context class loader, else this class's. */
        private static ClassLoader classLoader() {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return loader != null ? loader : Ragkit.class.getClassLoader();
        }

        /**
         * The budget of {@code rag.budget.*}; its soft-limit model is the provider {@code rag.budget.soft-llm}
         * names, by default the last of a chain of two or more.
         */
        private Budget budget(Budget.Builder settings, List<String> llmNames, List<LlmClient> llms) {
            String soft = config.get(BudgetConfig.SOFT_LLM_KEY);
            if (soft != null) {
                int index = llmNames.indexOf(soft.trim());
                if (index < 0) {
                    problems.add(BudgetConfig.SOFT_LLM_KEY + " was '" + soft + "' but it must name one of rag.llm "
                            + llmNames);
                    failIfProblems();
                }
                settings.softLimitLlm(llms.get(index).id());
            } else if (llms.size() >= 2) {
                settings.softLimitLlm(llms.get(llms.size() - 1).id());
            }
            problems.addAll(settings.checkPrices(llms.stream().map(LlmClient::id).toList()));
            failIfProblems();
            return settings.meterRegistry(meterRegistry).build();
        }

        /** The {@code rag.rollout.*} limits; their problems are recorded with the others. */
        private RolloutPolicy rolloutPolicy() {
            double maxErrorRate = fraction("rag.rollout.max-error-rate", RolloutPolicy.DEFAULT_MAX_ERROR_RATE);
            double minAgreement = fraction("rag.rollout.min-agreement", RolloutPolicy.DEFAULT_MIN_AGREEMENT);
            int minQueries = positiveInt("rag.rollout.min-queries", RolloutPolicy.DEFAULT_MIN_QUERIES);
            double compareShare = fraction("rag.rollout.compare-share", RolloutPolicy.DEFAULT_COMPARE_SHARE);
            long autoAdvance = parse("rag.rollout.auto-advance-after", "0", Long::parseLong);
            if (autoAdvance < 0) {
                problems.add("rag.rollout.auto-advance-after was " + autoAdvance + " but it must be >= 0 (0: advance"
                        + " by hand)");
                autoAdvance = 0;
            }
            return new RolloutPolicy(maxErrorRate, minAgreement, minQueries, compareShare, autoAdvance);
        }

        private double fraction(String key, double defaultValue) {
            double value = parse(key, Double.toString(defaultValue), Double::parseDouble);
            if (!(value >= 0 && value <= 1)) {
                problems.add(key + " was '" + config.get(key) + "' but it must be between 0 and 1");
                return defaultValue;
            }
            return value;
        }

        /**
         * The versioned index the store's settings name, when they name one that exists: a store directory
         * holding a catalog (rather than a plain store), or any store whose provider reports versions.
         * Null for a plain store, or for settings that cannot name a versioned index (a memory store
         * without directory). A versioned index without a live version yet, or one that cannot be read, is
         * a problem rather than an empty plain store.
         */
        private VersionedIndex versionedIndex(String storeName) {
            ProviderConfig settings = new ProviderConfig(ComponentKind.STORE.configSegment(), storeName, config, secrets);
            Optional<VersionedIndex> found;
            try {
                found = registry.store(storeName).versioned(settings);
            } catch (RagConfigurationException notOne) {
                return null; // create() reports these settings' problems, if any
            }
            if (found.isEmpty()) {
                return null;
            }
            VersionedIndex index = found.get();
            try {
                if (index.live().isPresent()) {
                    settings.raw("dimension"); // each version records its own; the retriever checks the embedder's
                    providerConfigs.add(settings);
                    created.add(index);
                    return index;
                }
                if (!index.versions().isEmpty()) {
                    versionedFailed = true;
                    problems.add("store '" + storeName + "' names the versioned index '" + index.name() + "', which"
                            + " has no live version yet (versions " + index.versions().stream().map(v -> v.label() + " "
                            + v.state()).toList() + "); mark one ready and promote it (ragkit index promote)");
                }
            } catch (RagException e) {
                versionedFailed = true;
                problems.add("store '" + storeName + "': " + e.getMessage());
            }
            index.close();
            return null;
        }

        /**
         * Serves the live version: each version gets its own BM25 sidecar when keyword search needs one,
         * and a version built with another embedder than this host's is never served (the first one fails
         * assembly naming both; a later one is refused with a warning while the current one keeps serving).
         */
        private VectorStore openLive(VersionedIndex index, Embedder embedder, RetrievalMode mode) {
            UnaryOperator<VectorStore> decorator = mode == RetrievalMode.DENSE ? s -> s
                    : s -> Bm25SidecarStore.wrapIfNeeded(s, keywordAnalyzer, keywordWeights);
            IndexInfo hosts = IndexCompatibility.infoOf(embedder, "");
            Consumer<VectorStore> admission = s -> s.indexInfo().filter(built -> !built.sameEmbedder(hosts))
                    .ifPresent(built -> {
                        throw new RagConfigurationException("the live version of index '" + index.name()
                                + "' was built with " + built.describeEmbedder() + " but this host uses "
                                + hosts.describeEmbedder() + "; vectors of different models cannot be compared."
                                + " Start the host with the embedder that built the live version, or roll back");
                    });
            try {
                LiveVersionStore live = index instanceof DirectoryVersionedIndex directory
                        ? directory.openLive(decorator, admission)
                        : LiveVersionStore.open(index, v -> decorator.apply(index.open(v)),
                                DirectoryVersionedIndex.DEFAULT_REFRESH, admission);
                created.add(live);
                return live;
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
                return null;
            } catch (RagException e) {
                problems.add("store of versioned index '" + index.name() + "': " + e.getMessage());
                return null;
            }
        }

        private VectorStore createStore(String storeName, int embedderDimension) {
            String dimensionKey = "rag.store." + storeName + ".dimension";
            Map<String, String> storeConfig = new LinkedHashMap<>(config);
            String explicit = config.get(dimensionKey);
            if (explicit == null) {
                storeConfig.put(dimensionKey, Integer.toString(embedderDimension));
            } else if (!explicit.trim().equals(Integer.toString(embedderDimension))) {
                problems.add(dimensionKey + " was '" + explicit + "' but embedder '" + config.get("rag.embedder")
                        + "' makes vectors of dimension " + embedderDimension);
                return null;
            }
            return create(ComponentKind.STORE, storeName, storeConfig);
        }

        /**
         * Records every capability the store lacks for the parts assembled here, all at once (the README's
         * "Writing an adapter" has the same table): the ingestor lists a document's stored chunks with a scan
         * filtered on {@code doc_id} (SCAN) and deletes the chunks that disappeared (DELETE); keyword and
         * hybrid retrieval search the store's text (KEYWORD_SEARCH) or scan it once to build a BM25 sidecar
         * (SCAN). The builders check the same again, for hosts that wire parts themselves.
         */
        private void checkStoreNeeds(VectorStore store, RetrievalMode mode) {
            Set<StoreCapability> declared = store.capabilities();
            String has = "store '" + store.name() + "' declares " + (declared.isEmpty() ? "no capabilities"
                    : "only " + new TreeSet<>(declared));
            if (!declared.contains(StoreCapability.SCAN)) {
                problems.add("incremental ingestion needs store capability SCAN (a scan filtered on doc_id lists a "
                        + "document's stored chunks) but " + has);
            }
            if (!declared.contains(StoreCapability.DELETE)) {
                problems.add("incremental ingestion needs store capability DELETE (chunks that disappeared from a "
                        + "document are deleted) but " + has);
            }
            if (mode != RetrievalMode.DENSE && !declared.contains(StoreCapability.KEYWORD_SEARCH)
                    && !declared.contains(StoreCapability.SCAN)) {
                problems.add("rag.retrieval.mode " + mode.name().toLowerCase(Locale.ROOT) + " needs store capability "
                        + "KEYWORD_SEARCH, or SCAN to build a BM25 sidecar, but " + has
                        + "; set rag.retrieval.mode=dense or use a store that has one of them");
            }
        }

        /** Whether a provider of that name exists; records the "Available: [...]" problem when not. */
        private boolean known(ComponentKind kind, String name) {
            try {
                registry.find(kind, name);
                return true;
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
                return false;
            }
        }

        private <T extends AutoCloseable> T createIfKnown(ComponentKind kind, String name, Map<String, String> values) {
            return known(kind, name) ? create(kind, name, values) : null;
        }

        /** A guard, given the pipeline's embedder (null when it could not be created). */
        private Guard createGuardIfKnown(String name, Embedder embedder) {
            return known(ComponentKind.GUARD, name) ? create(ComponentKind.GUARD, name, config, embedder) : null;
        }

        private <T extends AutoCloseable> T create(ComponentKind kind, String name, Map<String, String> values) {
            return create(kind, name, values, null);
        }

        /** Creates a component, recording its configuration problems instead of stopping at the first. */
        @SuppressWarnings("unchecked")
        private <T extends AutoCloseable> T create(ComponentKind kind, String name, Map<String, String> values,
                                                   Embedder embedder) {
            Provider<T> provider = (Provider<T>) registry.find(kind, name);
            try {
                ProviderConfig settings = new ProviderConfig(kind.configSegment(), name, values, secrets);
                T component = embedder != null && provider instanceof GuardProvider guards
                        ? (T) guards.create(settings, embedder) : provider.create(settings);
                providerConfigs.add(settings);
                if (component == null) {
                    problems.add(kind.displayName() + " provider '" + name + "' (" + provider.getClass().getName()
                            + ") returned no component");
                }
                created.add(component);
                return component;
            } catch (RagConfigurationException e) {
                problems.addAll(e.problems());
                return null;
            }
        }

        private List<String> names(String key) {
            String value = config.get(key);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (String part : value.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) {
                    problems.add(key + " was '" + value + "' but it has an empty name in its list");
                } else if (names.contains(name)) {
                    problems.add(key + " was '" + value + "' but it names '" + name + "' twice");
                } else {
                    names.add(name);
                }
            }
            return names;
        }

        /** Top-level keys: each must be one this class reads, or lie under a provider kind. */
        private void checkUnknownKeys() {
            List<String> knownShapes = new ArrayList<>(KNOWN_KEYS);
            for (String key : new java.util.TreeSet<>(config.keySet())) {
                if (!key.startsWith("rag.") || KNOWN_KEYS.contains(key) || providerKind(key) != null
                        || key.startsWith(BudgetConfig.PREFIX) || key.startsWith(Secrets.PREFIX)
                        || CacheSettings.isCacheKey(key)) { // checked by BudgetConfig, Secrets, CacheSettings
                    continue;
                }
                String hint = DidYouMean.hint(key, knownShapes);
                problems.add(key + " is not a known setting" + (!hint.isEmpty() ? hint : "; settings are "
                        + KNOWN_KEYS.stream().sorted().toList() + " and rag.<store|embedder|llm|guard>.<provider>.<key>"));
            }
        }

        /**
         * Provider keys: each must be read by a created provider of that name. Keys of a provider that is
         * not configured are reported too (a setting for {@code memory} while {@code rag.store=faiss} is
         * lost); a provider that failed to be created is not judged, since it may not have read its keys.
         */
        private void checkProviderKeys() {
            Map<String, ProviderConfig> byPrefix = new LinkedHashMap<>();
            for (ProviderConfig settings : providerConfigs) {
                byPrefix.put(settings.fullKey(""), settings);
            }
            for (String key : new java.util.TreeSet<>(config.keySet())) {
                ComponentKind kind = providerKind(key);
                if (kind == null) {
                    continue;
                }
                String[] parts = key.split("\\.", 4);
                if (parts.length < 4 || parts[3].isEmpty()) {
                    problems.add(key + " is not a known setting: provider settings are rag.<kind>.<provider>.<key>");
                    continue;
                }
                String name = parts[2];
                String prefix = "rag." + kind.configSegment() + "." + name + ".";
                ProviderConfig settings = byPrefix.get(prefix);
                List<String> names = configured.getOrDefault(kind, List.of());
                if (settings != null) {
                    if (settings.unreadKeys().contains(key)) {
                        problems.add(key + " is not a setting of the " + kind.displayName() + " provider '" + name
                                + "'" + DidYouMean.hint(key, settings.askedKeys()) + "; it reads "
                                + settings.askedKeys());
                    }
                } else if (!names.contains(name)) {
                    problems.add(key + " is set but no " + kind.displayName() + " provider named '" + name
                            + "' is configured (" + configuredKey(kind) + " is " + names + ")");
                }
            }
        }

        /** The kind whose provider settings {@code key} is, e.g. STORE for {@code rag.store.faiss.directory}. */
        private static ComponentKind providerKind(String key) {
            for (ComponentKind kind : PROVIDER_KINDS) {
                String prefix = "rag." + kind.configSegment() + ".";
                if (key.startsWith(prefix) && key.length() > prefix.length()) {
                    return kind;
                }
            }
            return null;
        }

        private static String configuredKey(ComponentKind kind) {
            return switch (kind) {
                case STORE -> "rag.store";
                case EMBEDDER -> "rag.embedder";
                case LLM -> "rag.llm";
                default -> "rag.guards";
            };
        }

        /**
         * {@code rag.index.rebuild=true}: an index built by another embedder is emptied (every chunk deleted)
         * and records the new embedder, so that the next ingestion embeds every document again.
         */
        private void emptyIfBuiltByAnotherEmbedder(VectorStore store, Embedder embedder, String splitter) {
            IndexInfo wanted = IndexCompatibility.infoOf(embedder, splitter);
            Optional<IndexInfo> stored = store.indexInfo();
            if (stored.isEmpty() || stored.get().sameEmbedder(wanted)) {
                return;
            }
            if (!store.capabilities().containsAll(Set.of(StoreCapability.SCAN, StoreCapability.DELETE))) {
                throw new RagConfigurationException(IndexCompatibility.REBUILD_KEY + " was 'true' but store '"
                        + store.name() + "' cannot list and delete its chunks (it needs SCAN and DELETE); empty it"
                        + " with the store's own tools, or use a new index");
            }
            String cursor = null;
            do {
                ScanPage page = store.scan(null, cursor, 1000);
                store.delete(page.chunks().stream().map(Chunk::id).toList());
                cursor = page.nextCursor().orElse(null);
            } while (cursor != null);
            store.recordIndexInfo(wanted);
            store.flush();
        }

        private static boolean strictBoolean(String value) {
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("it must be true or false");
            };
        }

        /** A weight of the BM25 sidecar ({@link KeywordWeights}): finite and >= 0, 0 turning it off. */
        private double keywordWeight(String key, double defaultValue) {
            double value = parse(key, String.valueOf(defaultValue), Double::parseDouble);
            if (!KeywordWeights.isWeight(value)) {
                problems.add(key + " was '" + config.get(key) + "' but it must be a finite number >= 0 (0 turns it off)");
                return defaultValue;
            }
            return value;
        }

        private int positiveInt(String key, int defaultValue) {
            int value = parse(key, Integer.toString(defaultValue), Integer::parseInt);
            if (value < 1) {
                problems.add(key + " was " + value + " but it must be >= 1");
                return defaultValue;
            }
            return value;
        }

        private <T> T parse(String key, String defaultValue, java.util.function.Function<String, T> parser) {
            String raw = config.getOrDefault(key, defaultValue).trim();
            try {
                return parser.apply(raw);
            } catch (RuntimeException e) {
                problems.add(key + " was '" + raw + "' but " + describe(e));
                return parser.apply(defaultValue);
            }
        }

        private static String describe(RuntimeException e) {
            if (e instanceof NumberFormatException) {
                return "it must be a number";
            }
            String message = String.valueOf(e.getMessage());
            int requirement = message.indexOf("it must");
            return requirement >= 0 ? message.substring(requirement) : message;
        }

        private void failIfProblems() {
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(List.copyOf(problems));
            }
        }

        private void closeQuietly(RuntimeException cause) {
            RagException failure = closeAll(created);
            if (failure != null) {
                cause.addSuppressed(failure);
            }
        }
    }
}
