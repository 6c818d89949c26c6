package dev.ragkit.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ragkit.*} properties: the keys of {@link dev.ragkit.core.Ragkit#fromConfig} with {@code ragkit.}
 * in place of {@code rag.} ({@code ragkit.store=faiss} is {@code rag.store=faiss}), bound with Spring Boot's
 * relaxed binding ({@code ragkit.retrieval.topK}, {@code RAGKIT_RETRIEVAL_TOPK}).
 *
 * <p>The settings of a provider ({@code ragkit.store.faiss.directory}, {@code ragkit.llm.ollama.base-url})
 * are not fields here, since each provider reads its own: every property under
 * {@code ragkit.<store|embedder|llm|guard>.<provider>.} is passed on to that provider, which reports a key it
 * does not read. A property left unset takes the core's default. {@code ragkit.enabled}, {@code ragkit.health.*}
 * and {@code ragkit.server.*} belong to the starter and the server, not to the core.
 */
@ConfigurationProperties(prefix = "ragkit")
public class RagkitProperties {
    /** Whether to assemble a Ragkit at all (it needs ragkit.embedder too). */
    private boolean enabled = true;
    /** Embedder provider name, e.g. onnx (required). */
    private String embedder;
    /** Store provider name, e.g. faiss; the core's default is memory. */
    private String store;
    /** LLM providers tried in order, comma-separated (ollama,hf); none means extractive answers. */
    private String llm;
    /** Guard providers run in order, comma-separated (pii,injection). */
    private String guards;
    private final Retrieval retrieval = new Retrieval();
    private final Splitter splitter = new Splitter();
    private final Ingest ingest = new Ingest();
    private final Index index = new Index();
    private final Rollout rollout = new Rollout();
    private final Health health = new Health();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getEmbedder() {
        return embedder;
    }

    public void setEmbedder(String embedder) {
        this.embedder = embedder;
    }

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public String getLlm() {
        return llm;
    }

    public void setLlm(String llm) {
        this.llm = llm;
    }

    public String getGuards() {
        return guards;
    }

    public void setGuards(String guards) {
        this.guards = guards;
    }

    public Retrieval getRetrieval() {
        return retrieval;
    }

    public Splitter getSplitter() {
        return splitter;
    }

    public Ingest getIngest() {
        return ingest;
    }

    public Index getIndex() {
        return index;
    }

    public Rollout getRollout() {
        return rollout;
    }

    public Health getHealth() {
        return health;
    }

    /** {@code ragkit.retrieval.*}. */
    public static class Retrieval {
        /** dense, keyword or hybrid (the core's default). */
        private String mode;
        /** Passages retrieved per question (core default 5). */
        private Integer topK;
        /** Hits scoring below this are dropped (core default 0.0). */
        private Double minScore;
        /** Hits fetched per side before fusion (core default max(4 x top-k, 40)). */
        private Integer candidates;
        /** Reciprocal rank fusion constant (core default 60). */
        private Integer rrfK;

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public Integer getTopK() {
            return topK;
        }

        public void setTopK(Integer topK) {
            this.topK = topK;
        }

        public Double getMinScore() {
            return minScore;
        }

        public void setMinScore(Double minScore) {
            this.minScore = minScore;
        }

        public Integer getCandidates() {
            return candidates;
        }

        public void setCandidates(Integer candidates) {
            this.candidates = candidates;
        }

        public Integer getRrfK() {
            return rrfK;
        }

        public void setRrfK(Integer rrfK) {
            this.rrfK = rrfK;
        }
    }

    /** {@code ragkit.splitter.*}. */
    public static class Splitter {
        /** Longest chunk in characters (core default 1000). */
        private Integer maxChars;
        /** Characters shared by consecutive chunks (core default 150). */
        private Integer overlapChars;

        public Integer getMaxChars() {
            return maxChars;
        }

        public void setMaxChars(Integer maxChars) {
            this.maxChars = maxChars;
        }

        public Integer getOverlapChars() {
            return overlapChars;
        }

        public void setOverlapChars(Integer overlapChars) {
            this.overlapChars = overlapChars;
        }
    }

    /** {@code ragkit.ingest.*}. */
    public static class Ingest {
        /** Chunks embedded per batch (core default 64). */
        private Integer batchSize;
        /** Batches embedded in parallel (core default 1). */
        private Integer concurrency;
        /** Longer documents are skipped and reported (core default 20000000). */
        private Integer maxDocumentChars;

        public Integer getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
        }

        public Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        public Integer getMaxDocumentChars() {
            return maxDocumentChars;
        }

        public void setMaxDocumentChars(Integer maxDocumentChars) {
            this.maxDocumentChars = maxDocumentChars;
        }
    }

    /** {@code ragkit.index.*}. */
    public static class Index {
        /** Empty an index built by another embedder instead of failing (core default false). */
        private Boolean rebuild;

        public Boolean getRebuild() {
            return rebuild;
        }

        public void setRebuild(Boolean rebuild) {
            this.rebuild = rebuild;
        }
    }

    /** {@code ragkit.rollout.*}: progressive rollout of a versioned index's candidate. */
    public static class Rollout {
        /** Error rate beyond which the rollout rolls back (core default 0.01). */
        private Double maxErrorRate;
        /** Agreement below which the rollout rolls back (core default 0.7). */
        private Double minAgreement;
        /** Queries judged before deciding (core default 100). */
        private Integer minQueries;
        /** Share of queries also run on the other version (core default 1.0). */
        private Double compareShare;
        /** Healthy candidate queries after which a stage advances by itself (core default 0: by hand). */
        private Integer autoAdvanceAfter;

        public Double getMaxErrorRate() {
            return maxErrorRate;
        }

        public void setMaxErrorRate(Double maxErrorRate) {
            this.maxErrorRate = maxErrorRate;
        }

        public Double getMinAgreement() {
            return minAgreement;
        }

        public void setMinAgreement(Double minAgreement) {
            this.minAgreement = minAgreement;
        }

        public Integer getMinQueries() {
            return minQueries;
        }

        public void setMinQueries(Integer minQueries) {
            this.minQueries = minQueries;
        }

        public Double getCompareShare() {
            return compareShare;
        }

        public void setCompareShare(Double compareShare) {
            this.compareShare = compareShare;
        }

        public Integer getAutoAdvanceAfter() {
            return autoAdvanceAfter;
        }

        public void setAutoAdvanceAfter(Integer autoAdvanceAfter) {
            this.autoAdvanceAfter = autoAdvanceAfter;
        }
    }

    /** {@code ragkit.health.*}: the Actuator health indicators of the store, the embedder and each LLM. */
    public static class Health {
        /** Whether to contribute the ragkit health indicators (when Actuator's health module is present). */
        private boolean enabled = true;
        /**
         * How long a probe's result is reused. An LLM probe is a one-token generation, which a hosted model
         * bills, so it is not repeated on every health request.
         */
        private java.time.Duration cacheTtl = java.time.Duration.ofMinutes(5);
        /** Whether to probe the LLMs at all; when false they are reported without a call. */
        private boolean probeLlms = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public java.time.Duration getCacheTtl() {
            return cacheTtl;
        }

        public void setCacheTtl(java.time.Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }

        public boolean isProbeLlms() {
            return probeLlms;
        }

        public void setProbeLlms(boolean probeLlms) {
            this.probeLlms = probeLlms;
        }
    }
}
