package dev.ragkit.core.index;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.internal.IndexCompatibility;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.DirectoryVersionedIndex;
import dev.ragkit.core.text.Splitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds, promotes and rolls back the versions of one {@link VersionedIndex}, whatever store keeps
 * them:
 *
 * <pre>{@code
 * IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(resolver).keepOldVersions(2).build();
 * ReindexReport built = lifecycle.reindex(FileSystemLoader.of(docs), newEmbedder, splitter, IngestionListener.NONE);
 * PromotionResult result = lifecycle.promote(built.version().number(),
 *         AgreementGate.builder(recentQueries).minAgreement(0.8).build());
 * if (!result.promoted()) { System.err.println(result.summary()); }   // figures and threshold
 * lifecycle.rollback();                                                 // one step back
 * }</pre>
 *
 * <ul>
 *   <li>{@link #reindex} builds the next version beside the live one, which keeps serving queries and
 *       is only read (for its embeddings). Chunks whose text the live version already holds, in the same
 *       document, keep the live vectors when the embedder is the same: only changed text is embedded.</li>
 *   <li>A reindex killed midway leaves its version {@link IndexVersion.State#BUILDING BUILDING}; the next
 *       reindex with the same embedder and splitter continues into that version, finds what is written
 *       unchanged, and writes only the rest.</li>
 *   <li>{@link #promote} runs a {@link PromotionGate} first and moves the alias only if it passes, then
 *       drops the oldest ready versions older than the live one beyond {@link Builder#keepOldVersions}.</li>
 * </ul>
 *
 * Each step is timed ({@code rag.index.lifecycle.reindex}, {@code rag.index.lifecycle.promote} with
 * its gate, {@code rag.index.lifecycle.rollback}; tags {@code index} and {@code outcome}: success,
 * refused or error), counted ({@code rag.index.lifecycle.chunks} by {@code source}: embedded, reused,
 * unchanged; {@code rag.index.lifecycle.promotions} by {@code outcome}), traced (spans of the same
 * names) and logged at INFO. (The {@code rag.index.*} timers of an instrumented index time the
 * index's own steps, such as the alias move, inside these.) Thread-safe as far
 * as the index is; one reindex of an index at a time (the index lets one writer open a version).
 */
public final class IndexLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLifecycle.class);
    /** Default of {@link Builder#keepOldVersions}: the previous live version and the one before. */
    public static final int DEFAULT_KEEP_OLD_VERSIONS = 2;

    private final VersionedIndex index;
    private final EmbedderResolver embedders;
    private final int keepOldVersions;
    private final int batchSize;
    private final int concurrency;
    private final MeterRegistry registry;
    private final Tracer tracer;

    private IndexLifecycle(Builder b) {
        this.index = b.index;
        this.embedders = b.embedders;
        this.keepOldVersions = b.keepOldVersions;
        this.batchSize = b.batchSize;
        this.concurrency = b.concurrency;
        this.registry = b.registry;
        this.tracer = b.tracer != null ? b.tracer : OpenTelemetry.noop().getTracer("dev.ragkit");
    }

    /** A lifecycle over {@code index}; the caller keeps owning (and closes) the index. */
    public static Builder builder(VersionedIndex index) {
        return new Builder(index);
    }

    /** Settings of an {@link IndexLifecycle}. */
    public static final class Builder {
        private final VersionedIndex index;
        private EmbedderResolver embedders;
        private int keepOldVersions = DEFAULT_KEEP_OLD_VERSIONS;
        private int batchSize = 64;
        private int concurrency = 1;
        private MeterRegistry registry;
        private Tracer tracer;

        private Builder(VersionedIndex index) {
            this.index = Objects.requireNonNull(index, "index");
        }

        /**
         * Gives each version's embedder, for the searches of {@link #promote}'s gate; needed only to
         * promote with a gate that searches.
         */
        public Builder embedders(EmbedderResolver embedders) {
            this.embedders = Objects.requireNonNull(embedders, "embedders");
            return this;
        }

        /**
         * Ready versions older than the live one kept after a promotion, the most recent first;
         * {@value #DEFAULT_KEEP_OLD_VERSIONS} by default. 0 keeps none, and so leaves nothing to roll
         * back to.
         */
        public Builder keepOldVersions(int keepOldVersions) {
            this.keepOldVersions = keepOldVersions;
            return this;
        }

        /** Texts per embedding call and chunks per write while reindexing; 64 by default. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Embedding calls in flight while reindexing; 1 by default (see {@link Ingestor.Builder#concurrency}). */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /** @throws RagConfigurationException listing every bad setting */
        public IndexLifecycle build() {
            List<String> problems = new ArrayList<>();
            if (keepOldVersions < 0) {
                problems.add("keepOldVersions was " + keepOldVersions + " but it must be >= 0");
            }
            if (batchSize < 1) {
                problems.add("reindex batchSize was " + batchSize + " but it must be >= 1");
            }
            if (concurrency < 1) {
                problems.add("reindex concurrency was " + concurrency + " but it must be >= 1");
            }
            if (!problems.isEmpty()) {
                throw new RagConfigurationException(problems);
            }
            return new IndexLifecycle(this);
        }
    }

    /** The index's name. */
    public String name() {
        return index.name();
    }

    /** Every version, ascending, with what built it. */
    public List<IndexVersion> list() {
        return index.versions();
    }

    /** The live version's number; empty before the first promotion. */
    public OptionalInt live() {
        return index.live();
    }

    /** The version numbered {@code number}, if it exists. */
    public Optional<IndexVersion> version(int number) {
        return index.versions().stream().filter(v -> v.number() == number).findFirst();
    }

    /**
     * Builds the next version from {@code source} with {@code embedder} and {@code splitter}, beside the
     * live version, and marks it ready with the source's fingerprint and its counts; it does not become
     * live (see {@link #promote}). Continues a version left {@link IndexVersion.State#BUILDING BUILDING}
     * with the same embedder and splitter by an interrupted reindex. Reuses the live version's vectors
     * for chunks whose text it holds when it was built with the same embedder.
     *
     * @throws RagException when the source, the embedder or the store fails; the version stays
     *     BUILDING, and rerunning continues it
     */
    public ReindexReport reindex(DocumentLoader source, Embedder embedder, Splitter splitter,
                                 IngestionListener listener) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(splitter, "splitter");
        Objects.requireNonNull(listener, "listener");
        IndexInfo builtWith = IndexCompatibility.infoOf(embedder, splitter.describe());
        return timed("rag.index.lifecycle.reindex", span -> {
            long start = System.nanoTime();
            Optional<IndexVersion> unfinished = index.versions().stream()
                    .filter(v -> v.state() == IndexVersion.State.BUILDING && v.builtWith().equals(builtWith))
                    .max(Comparator.comparingInt(IndexVersion::number));
            IndexVersion version = unfinished.orElseGet(() -> index.create(builtWith));
            boolean resumed = unfinished.isPresent();
            span.setAttribute("version", version.number());
            span.setAttribute("resumed", resumed);
            LOG.info("index '{}': {} {} with {} and {}", index.name(), resumed ? "resuming the build of" : "building",
                    version.label(), builtWith.describeEmbedder(), splitter.describe());
            OptionalInt live = index.live();
            VectorStore liveStore = null;
            OptionalInt reusedFrom = OptionalInt.empty();
            try (VectorStore target = index.open(version.number())) {
                Ingestor.Builder ingestor = Ingestor.builder().embedder(embedder).store(target).splitter(splitter)
                        .batchSize(batchSize).concurrency(concurrency).meterRegistry(registry).tracer(tracer);
                if (live.isPresent()) {
                    IndexVersion liveVersion = version(live.getAsInt()).orElseThrow();
                    if (liveVersion.builtWith().sameEmbedder(builtWith)) {
                        liveStore = openForReading(live.getAsInt());
                        ingestor.reuseEmbeddingsFrom(liveStore);
                        reusedFrom = live;
                    } else {
                        LOG.info("index '{}': live {} was built with {}: every chunk of {} is embedded anew",
                                index.name(), liveVersion.label(), liveVersion.builtWith().describeEmbedder(),
                                version.label());
                    }
                }
                Fingerprint fingerprint = new Fingerprint();
                SyncReport sync = ingestor.build().sync(fingerprint.around(source), listener);
                target.flush();
                long documents = countDocuments(target);
                IndexVersion ready = index.markReady(version.number(), fingerprint.value(), documents, target.count());
                count("embedded", sync.chunksEmbedded());
                count("reused", sync.chunksReused());
                count("unchanged", sync.chunksUnchanged());
                ReindexReport report = new ReindexReport(ready, resumed, reusedFrom, sync,
                        Duration.ofNanos(System.nanoTime() - start));
                LOG.info("index '{}': {} is ready, not live: {}", index.name(), ready.label(), report.summary());
                return report;
            } finally {
                if (liveStore != null) {
                    liveStore.close();
                }
            }
        });
    }

    /**
     * Runs {@code gate} on {@code version} against the live version and, if it passes, points the alias
     * at {@code version} in one atomic step, then drops the oldest ready versions older than the new
     * live one beyond {@link Builder#keepOldVersions}. If it is refused, nothing changes and the result
     * carries the figures.
     *
     * @throws InvalidInputException when the version does not exist, is not ready, or is live already
     * @throws RagConfigurationException when the gate searches and no {@link Builder#embedders} was given
     */
    public PromotionResult promote(int version, PromotionGate gate) {
        Objects.requireNonNull(gate, "gate");
        return timed("rag.index.lifecycle.promote", span -> {
            span.setAttribute("version", version);
            IndexVersion candidate = version(version).orElseThrow(() -> new InvalidInputException("index '"
                    + index.name() + "' has no version " + version + "; versions: " + labels()));
            if (candidate.state() != IndexVersion.State.READY) {
                throw new InvalidInputException("index '" + index.name() + "' version " + candidate.label()
                        + " is still BUILDING; finish it with a reindex before promoting it");
            }
            OptionalInt previous = index.live();
            if (previous.isPresent() && previous.getAsInt() == version) {
                throw new InvalidInputException("index '" + index.name() + "' version " + candidate.label()
                        + " is live already");
            }
            GateVerdict verdict;
            List<VectorStore> opened = new ArrayList<>();
            try {
                VersionSearcher candidateSearch = searcher(candidate, () -> open(opened, version));
                Optional<VersionSearcher> liveSearch = previous.isEmpty() ? Optional.empty()
                        : Optional.of(searcher(version(previous.getAsInt()).orElseThrow(),
                                () -> open(opened, previous.getAsInt())));
                verdict = gate.evaluate(new PromotionCandidate(candidateSearch, liveSearch));
            } finally {
                opened.forEach(VectorStore::close);
            }
            span.setAttribute("gate", verdict.gate());
            span.setAttribute("passed", verdict.passed());
            if (!verdict.passed()) {
                counter("rag.index.lifecycle.promotions", "refused");
                PromotionResult refused = new PromotionResult(version, false, previous, verdict, List.of());
                LOG.info("index '{}': {}", index.name(), refused.summary());
                return refused;
            }
            index.promote(version);
            counter("rag.index.lifecycle.promotions", "promoted");
            List<Integer> dropped = enforceRetention();
            PromotionResult result = new PromotionResult(version, true, previous, verdict, dropped);
            LOG.info("index '{}': {}", index.name(), result.summary());
            return result;
        });
    }

    /**
     * Points the alias back at the version live before the last promotion, in one step.
     *
     * @return the version now live
     * @throws RagException when there is no earlier live version left
     */
    public int rollback() {
        return timed("rag.index.lifecycle.rollback", span -> {
            OptionalInt before = index.live();
            int now = index.rollback();
            span.setAttribute("version", now);
            LOG.info("index '{}': rolled back from {} to v{}", index.name(),
                    before.isPresent() ? "v" + before.getAsInt() : "none", now);
            return now;
        });
    }

    /** Distinct documents among a store's chunks, by one scan. */
    private static long countDocuments(VectorStore store) {
        java.util.Set<String> documents = new java.util.HashSet<>();
        String cursor = null;
        do {
            dev.ragkit.core.model.ScanPage page = store.scan(null, cursor, 1000);
            page.chunks().forEach(c -> documents.add(c.documentId()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return documents.size();
    }

    /** Drops the oldest ready versions older than the live one beyond the configured number. */
    private List<Integer> enforceRetention() {
        OptionalInt live = index.live();
        if (live.isEmpty()) {
            return List.of();
        }
        List<IndexVersion> old = index.versions().stream()
                .filter(v -> v.state() == IndexVersion.State.READY && v.number() < live.getAsInt())
                .sorted(Comparator.comparingInt(IndexVersion::number))
                .toList();
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < old.size() - keepOldVersions; i++) {
            int number = old.get(i).number();
            index.drop(number);
            dropped.add(number);
            LOG.info("index '{}': dropped old version v{} (keeping {} old version(s))", index.name(), number,
                    keepOldVersions);
        }
        return dropped;
    }

    /** Opens a version for reading, on the gate's first search, and notes it for closing. */
    private VectorStore open(List<VectorStore> opened, int version) {
        VectorStore store = openForReading(version);
        opened.add(store);
        return store;
    }

    /**
     * A version opened only to be read: read-only where the index can (a directory index then takes no
     * writer lock, so this works beside a host serving the version, or a writer), else {@link
     * VersionedIndex#open}.
     */
    private VectorStore openForReading(int version) {
        if (index instanceof DirectoryVersionedIndex directory) {
            try {
                return directory.openReadOnly(version);
            } catch (IllegalStateException e) {
                LOG.debug("index '{}' has no read-only opening: {}", index.name(), e.getMessage());
            }
        }
        return index.open(version);
    }

    private VersionSearcher searcher(IndexVersion version, Supplier<VectorStore> opener) {
        return new VersionSearcher() {
            private VectorStore store;
            private Embedder embedder;

            @Override
            public IndexVersion version() {
                return version;
            }

            @Override
            public synchronized List<SearchHit> search(String query, int topK) {
                if (store == null) {
                    embedder = embedderFor(version);
                    store = opener.get();
                }
                return store.search(SearchRequest.dense(embedder.embedQuery(query), topK));
            }
        };
    }

    private Embedder embedderFor(IndexVersion version) {
        if (embedders == null) {
            throw new RagConfigurationException("this gate searches " + version.label() + " of index '"
                    + index.name() + "', which needs the embedder that built it: give IndexLifecycle.Builder"
                    + ".embedders(...)");
        }
        Embedder embedder = embedders.embedderFor(version.builtWith());
        if (!version.builtWith().sameEmbedder(IndexCompatibility.infoOf(embedder, ""))) {
            throw new RagConfigurationException("the embedder resolver gave embedder '" + embedder.id()
                    + "' (dimension " + embedder.dimension() + ") for " + version.label() + " of index '"
                    + index.name() + "', built with " + version.builtWith().describeEmbedder());
        }
        return embedder;
    }

    private String labels() {
        return index.versions().stream().map(IndexVersion::label).toList().toString();
    }

    /** A step that returns a value, timed, traced and tagged with its outcome. */
    private interface Step<T> {
        T run(Span span);
    }

    private <T> T timed(String name, Step<T> step) {
        Span span = tracer.spanBuilder(name).setAttribute("index", index.name()).startSpan();
        long start = System.nanoTime();
        String outcome = "success";
        try (Scope ignored = span.makeCurrent()) {
            T result = step.run(span);
            if (result instanceof PromotionResult p && !p.promoted()) {
                outcome = "refused";
            }
            return result;
        } catch (RuntimeException | Error e) {
            outcome = "error";
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            LOG.info("index '{}': {} failed: {}", index.name(), name, e.toString());
            throw e;
        } finally {
            span.end();
            if (registry != null) {
                Timer.builder(name).tag("index", index.name()).tag("outcome", outcome).register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    private void count(String source, long chunks) {
        if (registry != null) {
            Counter.builder("rag.index.lifecycle.chunks").tag("index", index.name()).tag("source", source).register(registry)
                    .increment(chunks);
        }
    }

    private void counter(String name, String outcome) {
        if (registry != null) {
            Counter.builder(name).tag("index", index.name()).tag("outcome", outcome).register(registry).increment();
        }
    }

    /**
     * A digest of a source's documents (ids and content hashes) that does not depend on the order the
     * loader yields them in: the SHA-256 of each document, summed modulo 2^256, then hashed with the
     * document count.
     */
    static final class Fingerprint {
        private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
        private BigInteger sum = BigInteger.ZERO;
        private long documents;

        DocumentLoader around(DocumentLoader source) {
            return DocumentLoader.of(source.sourceId(), sink -> source.load(new DocumentLoader.Sink() {
                @Override
                public void document(Document document) {
                    add(document);
                    sink.document(document);
                }

                @Override
                public void skipped(String documentId, String reason) {
                    sink.skipped(documentId, reason);
                }

                @Override
                public void skippedUnder(String idPrefix, String reason) {
                    sink.skippedUnder(idPrefix, reason);
                }
            }));
        }

        synchronized void add(Document document) {
            byte[] digest = sha256(document.id() + "\n" + Chunk.hash(document.text()));
            sum = sum.add(new BigInteger(1, digest)).mod(MODULUS);
            documents++;
        }

        synchronized String value() {
            return HexFormat.of().formatHex(sha256(documents + ":" + sum.toString(16)));
        }

        private static byte[] sha256(String text) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM must provide SHA-256", e);
            }
        }
    }
}
