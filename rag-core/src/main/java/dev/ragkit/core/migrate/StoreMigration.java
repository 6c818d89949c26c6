package dev.ragkit.core.migrate;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.retrieval.Agreement;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an index from one {@link VectorStore} to another while the application keeps using it.
 *
 * <ol>
 *   <li>{@link #store()} is the store the application uses during the migration: every upsert and
 *   delete goes to both stores (the live one first), searches are served by the live store and,
 *   before cutover, repeated on the target on an executor, off the caller's path, to measure
 *   agreement@k ({@code rag.migration.agreement}) and both latencies ({@code rag.migration.shadow.latency}).</li>
 *   <li>{@link #backfill()} copies what the source already held, in batches, with a durable
 *   checkpoint: after a crash, calling it again continues where the last batch ended.</li>
 *   <li>{@link #cutover()} makes the target live once the backfill is done, no repair is pending and
 *   the mean agreement over the last {@link Builder#agreementWindow(int) N} shadowed queries reaches the
 *   {@link Builder#agreementThreshold(double) threshold}; {@link #readiness()} tells whether it would.
 *   Writes keep reaching the source, so {@link #rollback()} can make it live again.</li>
 * </ol>
 *
 * <p><b>Ordering.</b> A write, a backfill batch and a repair each lock the ids they touch (striped
 * locks, in a fixed order) while they read one store and write the other; the backfill reads a batch's
 * vectors from the source only under that lock. So the backfill can never write an older copy of a
 * chunk over a newer dual-write, nor bring back a chunk a dual-write deleted. This holds for writes
 * made through {@link #store()} in this JVM: during a migration nothing else may write to either store.
 *
 * <p><b>Failures.</b> Before a dual-write touches either store, its ids are appended to a journal
 * forced to disk; the entry is closed once both stores hold the write. When the second store still
 * fails after {@link Builder#retries(int, Duration) bounded retries with backoff} (or the process dies
 * in between), the entry stays open: the caller's write succeeded on the live store, and the lagging
 * copy is a pending repair, counted by {@link #status()} and made by {@link #repair()}, which copies
 * those ids' current state from the live store. A cutover or rollback refuses while repairs remain.
 *
 * <p><b>State.</b> The state directory holds {@code migration.properties} (phase, backfill checkpoint),
 * {@code repairs.log} and a lock file; one migration at a time may open it. The stores themselves are
 * not closed by {@link #close()}: they belong to the caller.
 *
 * <p>Requirements: both stores have the same dimension; the source declares {@link StoreCapability#SCAN}
 * and {@link StoreCapability#READ_VECTORS}; repairs of the source after cutover need READ_VECTORS on
 * the target. {@link #store()} declares the capabilities both stores have.
 */
public final class StoreMigration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMigration.class);
    private static final String LOCK_FILE = "migration.lock";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final VectorStore source;
    private final VectorStore target;
    private final Path directory;
    private final int batchSize;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double threshold;
    private final AgreementWindow window;
    private final Executor shadowExecutor;
    private final ExecutorService ownedExecutor;
    private final MigrationMetrics metrics;
    private final IdLocks locks = new IdLocks(1024);
    /** Writes hold it shared; a phase change holds it exclusively, so no write straddles one. */
    private final ReentrantReadWriteLock phaseLock = new ReentrantReadWriteLock();
    private final Object backfillLock = new Object();
    private final MigrationState state;
    private final RepairJournal journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final VectorStore facade;
    private volatile MigrationPhase phase;
    private volatile boolean closed;

    private StoreMigration(Builder b, MigrationState state, RepairJournal journal, FileChannel lockChannel,
                           FileLock lock) {
        this.source = b.source;
        this.target = b.target;
        this.directory = b.stateDirectory;
        this.batchSize = b.batchSize;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.threshold = b.threshold;
        this.window = new AgreementWindow(b.window);
        if (b.shadowExecutor != null) {
            this.shadowExecutor = b.shadowExecutor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = defaultShadowExecutor();
            this.shadowExecutor = ownedExecutor;
        }
        this.metrics = new MigrationMetrics(b.meterRegistry, b.tracer, source.name(), target.name());
        this.state = state;
        this.journal = journal;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.phase = state.phase;
        this.facade = new MigratingStore();
        metrics.pendingRepairs(journal, RepairJournal::pendingIds);
    }

    /** Two threads, a queue of 256 shadow queries; beyond that a shadow query is dropped, never waited for. */
    private static ExecutorService defaultShadowExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "ragkit-migration-shadow-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** A migration from {@code source} to {@code target}; set at least {@link Builder#stateDirectory(Path)}. */
    public static Builder builder(VectorStore source, VectorStore target) {
        return new Builder(source, target);
    }

    /** Settings of a {@link StoreMigration}. */
    public static final class Builder {
        private final VectorStore source;
        private final VectorStore target;
        private Path stateDirectory;
        private int batchSize = 256;
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(50);
        private int window = 200;
        private double threshold = 0.9;
        private Executor shadowExecutor;
        private MeterRegistry meterRegistry;
        private Tracer tracer;
        private boolean acceptNonEmptyTarget;

        private Builder(VectorStore source, VectorStore target) {
            this.source = Objects.requireNonNull(source, "source");
            this.target = Objects.requireNonNull(target, "target");
        }

        /**
         * Where the migration keeps its checkpoint, phase and repair journal (created when absent). Not
         * inside a store's own directory: stores refuse files they do not know. Required.
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Objects.requireNonNull(directory, "stateDirectory");
            return this;
        }

        /** Chunks per backfill batch (one scan page, one target write, one checkpoint); default 256. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize was " + batchSize + " but it must be >= 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Attempts at a write on the second store (and at a backfill batch) before giving up, and the
         * wait after the first failure, doubled after each one up to 2 s; default 4 attempts from 50 ms.
         */
        public Builder retries(int maxAttempts, Duration initialBackoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts was " + maxAttempts + " but it must be >= 1");
            }
            if (initialBackoff.isNegative()) {
                throw new IllegalArgumentException("initialBackoff was " + initialBackoff + " but it must be >= 0");
            }
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Shadowed queries whose agreement decides the cutover; default 200. */
        public Builder agreementWindow(int queries) {
            if (queries < 1) {
                throw new IllegalArgumentException("agreementWindow was " + queries + " but it must be >= 1");
            }
            this.window = queries;
            return this;
        }

        /** Mean agreement@k over the window that the cutover needs, from 0 to 1; default 0.9. */
        public Builder agreementThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("agreementThreshold was " + threshold + " but it must be from 0 to 1");
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * Runs the target's shadow queries; a rejected task is dropped and counted
         * ({@code rag.migration.shadow.dropped}). Default: two daemon threads and a bounded queue.
         */
        public Builder shadowExecutor(Executor executor) {
            this.shadowExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Where the {@code rag.migration.*} meters go; none by default. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** Where the {@code rag.migration.*} spans go; none by default. */
        public Builder tracer(Tracer tracer) {
            this.tracer = tracer;
            return this;
        }

        /**
         * Whether a new migration may start on a target that already holds chunks (they would stay, so
         * the target may end with more than the source). Default false: such a target is refused.
         */
        public Builder acceptNonEmptyTarget(boolean accept) {
            this.acceptNonEmptyTarget = accept;
            return this;
        }

        /**
         * Checks both stores, starts or resumes the migration recorded in the state directory, and copies
         * the source's {@link IndexInfo} to the target.
         *
         * @throws RagConfigurationException when the stores cannot be migrated (dimensions, capabilities,
         *     another embedder in the target, a non-empty target) or the state directory belongs to
         *     another migration or is in use
         */
        public StoreMigration open() {
            if (stateDirectory == null) {
                throw new RagConfigurationException("a store migration needs a state directory: call stateDirectory(Path)");
            }
            checkStores();
            Path dir = stateDirectory.toAbsolutePath().normalize();
            FileChannel channel = null;
            FileLock held = null;
            RepairJournal journal = null;
            try {
                Files.createDirectories(dir);
                channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    held = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    held = null;
                }
                if (held == null) {
                    throw new RagConfigurationException("migration state directory " + dir
                            + " is in use by another migration (in this or another process); close that one first");
                }
                MigrationState state = resumeOrStart(dir);
                journal = RepairJournal.open(dir);
                return new StoreMigration(this, state, journal, channel, held);
            } catch (IOException e) {
                closeQuietly(channel);
                throw RagBackendException.permanent("migration", "cannot open the state directory " + dir + ": " + e, e);
            } catch (RuntimeException e) {
                if (journal != null) {
                    journal.close();
                }
                closeQuietly(channel);
                throw e;
            }
        }

        private void checkStores() {
            if (source == target) {
                throw new RagConfigurationException("a store migration needs two different stores, but source and"
                        + " target are the same object");
            }
            if (source.dimension() != target.dimension()) {
                throw new RagConfigurationException("cannot migrate store '" + source.name() + "' (dimension "
                        + source.dimension() + ") to store '" + target.name() + "' (dimension " + target.dimension()
                        + "): both must hold vectors of the same dimension");
            }
            Set<StoreCapability> missing = EnumSet.of(StoreCapability.SCAN, StoreCapability.READ_VECTORS);
            missing.removeAll(source.capabilities());
            if (!missing.isEmpty()) {
                throw new RagConfigurationException("cannot migrate from store '" + source.name() + "': a migration"
                        + " reads every chunk and its vector from the source, which needs " + missing
                        + ", but the store declares only " + source.capabilities());
            }
            Optional<IndexInfo> from = source.indexInfo();
            Optional<IndexInfo> to = target.indexInfo();
            if (from.isPresent() && to.isPresent() && !from.get().sameEmbedder(to.get())) {
                throw new RagConfigurationException("cannot migrate into store '" + target.name() + "': it was built"
                        + " with " + to.get().describeEmbedder() + " but the source holds vectors of "
                        + from.get().describeEmbedder() + "; migrate into an empty target");
            }
        }

        private MigrationState resumeOrStart(Path dir) {
            Optional<MigrationState> existing = MigrationState.read(dir);
            if (existing.isPresent()) {
                MigrationState s = existing.get();
                if (!s.sourceName.equals(source.name()) || !s.targetName.equals(target.name())
                        || s.dimension != source.dimension()) {
                    throw new RagConfigurationException("migration state directory " + dir + " belongs to a migration"
                            + " from '" + s.sourceName + "' to '" + s.targetName + "' (dimension " + s.dimension
                            + "), not from '" + source.name() + "' to '" + target.name() + "' (dimension "
                            + source.dimension() + "); use another state directory");
                }
                copyIndexInfo();
                return s;
            }
            long held = target.count();
            if (held > 0 && !acceptNonEmptyTarget) {
                throw new RagConfigurationException("cannot start a migration into store '" + target.name()
                        + "': it already holds " + held + " chunks, which would stay beside the copied ones; use an"
                        + " empty target (or acceptNonEmptyTarget(true) to keep them)");
            }
            copyIndexInfo();
            MigrationState s = new MigrationState(source.name(), target.name(), source.dimension());
            s.write(dir);
            return s;
        }

        private void copyIndexInfo() {
            Optional<IndexInfo> from = source.indexInfo();
            if (from.isPresent() && !from.equals(target.indexInfo())) {
                target.recordIndexInfo(from.get());
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // already failing: the first error is the one to report
            }
        }
    }

    /**
     * The store to use during the migration, in place of the source: writes to both, reads from the live
     * store, shadow queries to the target before cutover. Closing it closes the migration (not the stores).
     */
    public VectorStore store() {
        return facade;
    }

    /** Which store serves reads now. */
    public MigrationPhase phase() {
        return phase;
    }

    /** Copies the source's chunks to the target from the last checkpoint to the end of the source. */
    public BackfillReport backfill() {
        return backfill(status -> { });
    }

    /**
     * Like {@link #backfill()}, handing the status to {@code progress} after every batch.
     *
     * @throws RagBackendException when a store keeps failing; the checkpoint stays at the last whole
     *     batch, so calling this again continues from there
     * @throws MigrationNotReadyException when the target is live (the backfill only ever copies source to target)
     */
    public BackfillReport backfill(Consumer<MigrationStatus> progress) {
        ensureOpen();
        return metrics.span("rag.migration.backfill", () -> {
            synchronized (backfillLock) {
                return runBackfill(progress);
            }
        });
    }

    private BackfillReport runBackfill(Consumer<MigrationStatus> progress) {
        long start = System.nanoTime();
        boolean resumed;
        String cursor;
        synchronized (state) {
            if (state.backfillDone) {
                return new BackfillReport(0, state.copied, true, Duration.ofNanos(System.nanoTime() - start));
            }
            resumed = state.cursor.isPresent() || state.copied > 0;
            cursor = state.cursor.orElse(null);
        }
        long copiedNow = 0;
        while (true) {
            ScanPage page = source.scan(null, cursor, batchSize);
            List<String> ids = new ArrayList<>(page.chunks().size());
            page.chunks().forEach(c -> ids.add(c.id()));
            int copied = 0;
            phaseLock.readLock().lock();
            try {
                ensureOpen();
                if (phase != MigrationPhase.SOURCE_LIVE) {
                    throw new MigrationNotReadyException("backfill refused: the target is live since the cutover, and"
                            + " the backfill copies source to target; roll back first", readiness());
                }
                try (IdLocks.Held held = locks.lock(ids)) {
                    // Read under the ids' locks: a dual-write of one of them either came before (and this
                    // copies its result) or waits until this batch is in the target (and then overwrites it).
                    List<EmbeddedChunk> batch = ids.isEmpty() ? List.of() : source.getEmbedded(ids);
                    if (!batch.isEmpty()) {
                        withRetries("target", () -> target.upsert(batch));
                    }
                    copied = batch.size();
                }
            } finally {
                phaseLock.readLock().unlock();
            }
            copiedNow += copied;
            metrics.backfilled(copied);
            cursor = page.nextCursor().orElse(null);
            synchronized (state) {
                state.copied += copied;
                state.cursor = Optional.ofNullable(cursor);
                state.backfillDone = cursor == null;
                state.write(directory);
            }
            progress.accept(status());
            if (cursor == null) {
                break;
            }
        }
        target.flush();
        long total;
        synchronized (state) {
            total = state.copied;
        }
        LOG.info("migration {} -> {}: backfill done, {} chunks copied by this run, {} in all", source.name(),
                target.name(), copiedNow, total);
        return new BackfillReport(copiedNow, total, resumed, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Makes every pending repair: for each journaled id, copies the live store's current chunk (or its
     * absence) to the other store.
     */
    public RepairReport repair() {
        ensureOpen();
        return metrics.span("rag.migration.repair", () -> {
            phaseLock.readLock().lock();
            try {
                ensureOpen();
                return repairPending();
            } finally {
                phaseLock.readLock().unlock();
            }
        });
    }

    private RepairReport repairPending() {
        long repaired = 0;
        long pending = 0;
        String lastError = null;
        for (RepairJournal.Entry entry : journal.pending()) {
            List<String> ids = List.copyOf(new LinkedHashSet<>(entry.ids()));
            VectorStore follower = store(entry.follower());
            VectorStore leader = store(entry.follower().other());
            try (IdLocks.Held held = locks.lock(ids)) {
                List<EmbeddedChunk> present = ids.isEmpty() ? List.of() : leader.getEmbedded(ids);
                Set<String> absent = new LinkedHashSet<>(ids);
                present.forEach(c -> absent.remove(c.id()));
                String side = entry.follower().name().toLowerCase(java.util.Locale.ROOT);
                if (!present.isEmpty()) {
                    withRetries(side, () -> follower.upsert(present));
                }
                if (!absent.isEmpty() && !follower.get(absent).isEmpty()) {
                    if (!follower.capabilities().contains(StoreCapability.DELETE)) {
                        throw new RagConfigurationException("store '" + follower.name() + "' holds chunks that store '"
                                + leader.name() + "' deleted, and it cannot delete (no DELETE capability)");
                    }
                    withRetries(side, () -> follower.delete(absent));
                }
                journal.closeEntry(entry.seq());
                repaired += ids.size();
            } catch (RuntimeException e) {
                pending += ids.size();
                lastError = e.getMessage();
                LOG.warn("migration {} -> {}: repair of {} chunk ids in store '{}' failed: {}", source.name(),
                        target.name(), ids.size(), follower.name(), e.toString());
            }
        }
        return new RepairReport(repaired, pending, Optional.ofNullable(lastError));
    }

    /** Where the migration stands, with both stores' chunk counts. */
    public MigrationStatus status() {
        synchronized (state) {
            return new MigrationStatus(state.sourceName, state.targetName, phase, state.copied, state.backfillDone,
                    OptionalLong.of(source.count()), OptionalLong.of(target.count()), journal.pendingIds());
        }
    }

    /**
     * The status recorded in a state directory, read without opening the stores or taking the lock, so
     * it works beside a running migration ({@code ./ragkit migrate status}).
     *
     * @throws RagConfigurationException when no migration was started there
     */
    public static MigrationStatus readStatus(Path stateDirectory) {
        Path dir = stateDirectory.toAbsolutePath().normalize();
        MigrationState s = MigrationState.read(dir).orElseThrow(() -> new RagConfigurationException(
                "no store migration was started in " + dir + " (it holds no " + MigrationState.FILE + ")"));
        long pending = 0;
        for (RepairJournal.Entry e : RepairJournal.readOpen(dir)) {
            pending += e.ids().size();
        }
        return new MigrationStatus(s.sourceName, s.targetName, s.phase, s.copied, s.backfillDone,
                OptionalLong.empty(), OptionalLong.empty(), pending);
    }

    /** Whether {@link #cutover()} would proceed now, with the figures. */
    public CutoverReadiness readiness() {
        AgreementWindow.Figures f = window.figures();
        long pending = journal.pendingIds();
        boolean done;
        long copied;
        synchronized (state) {
            done = state.backfillDone;
            copied = state.copied;
        }
        List<String> reasons = new ArrayList<>();
        if (phase == MigrationPhase.TARGET_LIVE) {
            reasons.add("the target is live already");
        }
        if (!done) {
            reasons.add("the backfill is not finished (" + copied + " of " + source.count()
                    + " source chunks copied so far): run backfill()");
        }
        if (pending > 0) {
            reasons.add(pending + " chunk ids wait for repair: run repair()");
        }
        if (f.queries() < f.capacity()) {
            reasons.add("only " + f.queries() + " of the " + f.capacity()
                    + " queries of the agreement window were compared on the target");
        } else if (f.mean() < threshold) {
            reasons.add(String.format(java.util.Locale.ROOT,
                    "mean agreement@k over the last %d queries is %.3f (lowest %.3f), below the threshold %.3f",
                    f.queries(), f.mean(), f.min(), threshold));
        }
        return new CutoverReadiness(reasons.isEmpty(), f.queries(), f.capacity(), f.mean(), f.min(), threshold,
                done, pending, reasons);
    }

    /**
     * Makes the target live: reads come from it from now on, and writes reach it first. Waits for writes
     * in flight; durable once it returns.
     *
     * @throws MigrationNotReadyException when {@link #readiness()} is not ready, naming what is missing
     */
    public void cutover() {
        ensureOpen();
        metrics.span("rag.migration.cutover", () -> {
            phaseLock.writeLock().lock();
            try {
                CutoverReadiness r = readiness();
                if (!r.ready()) {
                    throw new MigrationNotReadyException("cutover from '" + source.name() + "' to '" + target.name()
                            + "' refused: " + String.join("; ", r.reasons()), r);
                }
                setPhase(MigrationPhase.TARGET_LIVE);
                LOG.info("migration {} -> {}: cut over, reads come from the target ({} queries, mean agreement {})",
                        source.name(), target.name(), r.queries(), r.meanAgreement());
                return null;
            } finally {
                phaseLock.writeLock().unlock();
            }
        });
    }

    /**
     * Makes the source live again after a cutover (a no-op before one): first repairs what the source
     * missed, then switches reads back. The agreement window starts afresh.
     *
     * @throws MigrationNotReadyException when some repair of the source keeps failing: switching would
     *     serve reads from a source that lacks writes
     */
    public void rollback() {
        ensureOpen();
        metrics.span("rag.migration.rollback", () -> {
            phaseLock.writeLock().lock();
            try {
                if (phase == MigrationPhase.SOURCE_LIVE) {
                    return null;
                }
                RepairReport repairs = repairPending();
                if (repairs.pendingIds() > 0) {
                    throw new MigrationNotReadyException("rollback to '" + source.name() + "' refused: "
                            + repairs.pendingIds() + " chunk ids written to the target could not be copied to the source ("
                            + repairs.lastError().orElse("") + "); fix the source and retry", readiness());
                }
                setPhase(MigrationPhase.SOURCE_LIVE);
                window.clear();
                LOG.info("migration {} -> {}: rolled back, reads come from the source", source.name(), target.name());
                return null;
            } finally {
                phaseLock.writeLock().unlock();
            }
        });
    }

    private void setPhase(MigrationPhase next) {
        synchronized (state) {
            MigrationPhase previous = state.phase;
            state.phase = next;
            if (next == MigrationPhase.TARGET_LIVE) {
                state.cutovers++;
            } else {
                state.rollbacks++;
            }
            try {
                state.write(directory);
            } catch (RuntimeException e) {
                state.phase = previous;
                throw e;
            }
            phase = next;
        }
    }

    /** Stops shadow queries and releases the state directory; the stores stay open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Writes still running finish under the phase lock before the journal closes.
        phaseLock.writeLock().lock();
        try {
            journal.close();
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("releasing {}: {}", LOCK_FILE, e.toString());
            }
            closeQuietly(lockChannel);
        } finally {
            phaseLock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store migration " + source.name() + " -> " + target.name() + " is closed");
        }
    }

    private VectorStore store(RepairJournal.Side side) {
        return side == RepairJournal.Side.SOURCE ? source : target;
    }

    private VectorStore live() {
        return phase == MigrationPhase.SOURCE_LIVE ? source : target;
    }

    /** Runs {@code write} up to {@code maxAttempts} times, waiting with exponential backoff in between. */
    private void withRetries(String side, Runnable write) {
        Duration wait = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (InvalidInputException e) {
                throw e; // the same input fails the same way
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                metrics.retry(side);
                LOG.debug("migration write to the {} failed (attempt {} of {}), retrying in {}: {}", side, attempt,
                        maxAttempts, wait, e.toString());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
            }
        }
    }

    /** A write to both stores, the live one first, journaled so that a lagging copy is never forgotten. */
    private void dualWrite(Collection<String> ids, Consumer<VectorStore> write) {
        phaseLock.readLock().lock();
        try (IdLocks.Held held = locks.lock(ids)) {
            ensureOpen(); // checked under the phase lock, which close() takes before closing the journal
            RepairJournal.Side leaderSide = phase == MigrationPhase.SOURCE_LIVE
                    ? RepairJournal.Side.SOURCE : RepairJournal.Side.TARGET;
            RepairJournal.Side followerSide = leaderSide.other();
            long seq = journal.begin(followerSide, ids);
            try {
                write.accept(store(leaderSide));
            } catch (InvalidInputException e) {
                journal.closeEntry(seq); // rejected before anything was written
                throw e;
            } catch (RuntimeException | Error e) {
                // The live store's state is unknown: the open entry makes a repair copy whatever it holds.
                journal.abandon(seq);
                throw e;
            }
            try {
                withRetries(followerSide.name().toLowerCase(java.util.Locale.ROOT), () -> write.accept(store(followerSide)));
                journal.closeEntry(seq);
            } catch (Error e) {
                journal.abandon(seq);
                throw e;
            } catch (RuntimeException e) {
                journal.abandon(seq);
                LOG.warn("migration {} -> {}: a write of {} chunks reached store '{}' but not store '{}' after {}"
                                + " attempts; recorded for repair: {}", source.name(), target.name(), ids.size(),
                        store(leaderSide).name(), store(followerSide).name(), maxAttempts, e.toString());
            }
        } finally {
            phaseLock.readLock().unlock();
        }
    }

    private List<SearchHit> shadowSearch(SearchRequest request) {
        if (phase != MigrationPhase.SOURCE_LIVE) {
            return target.search(request);
        }
        long start = System.nanoTime();
        List<SearchHit> hits;
        try {
            hits = source.search(request);
        } catch (RuntimeException e) {
            metrics.shadowLatency("source", false, System.nanoTime() - start);
            throw e;
        }
        metrics.shadowLatency("source", true, System.nanoTime() - start);
        try {
            shadowExecutor.execute(() -> compareOnTarget(request, hits));
        } catch (RejectedExecutionException e) {
            metrics.shadowDropped();
        }
        return hits;
    }

    private void compareOnTarget(SearchRequest request, List<SearchHit> sourceHits) {
        long start = System.nanoTime();
        double agreement;
        try {
            List<SearchHit> targetHits = target.search(request);
            metrics.shadowLatency("target", true, System.nanoTime() - start);
            agreement = Agreement.ofChunks(sourceHits, targetHits, request.topK());
        } catch (RuntimeException e) {
            metrics.shadowLatency("target", false, System.nanoTime() - start);
            LOG.debug("migration {} -> {}: shadow query on the target failed: {}", source.name(), target.name(),
                    e.toString());
            agreement = 0; // a target that fails a query is not ready to serve it
        }
        metrics.agreement(agreement);
        window.add(agreement);
    }

    /** The store the application uses during the migration. */
    private final class MigratingStore implements VectorStore {
        private final Set<StoreCapability> capabilities;

        MigratingStore() {
            EnumSet<StoreCapability> both = EnumSet.noneOf(StoreCapability.class);
            both.addAll(source.capabilities());
            both.retainAll(target.capabilities());
            capabilities = Set.copyOf(both);
        }

        @Override
        public String name() {
            return live().name();
        }

        @Override
        public int dimension() {
            return source.dimension();
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return capabilities;
        }

        /** What both stores apply exactly: a search may be served, or shadowed, by either. */
        @Override
        public FilterSupport filterSupport() {
            return capabilities.contains(StoreCapability.FILTER)
                    ? source.filterSupport().intersection(target.filterSupport()) : FilterSupport.none();
        }

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            if (chunks.isEmpty()) {
                live().upsert(chunks);
                return;
            }
            List<String> ids = new ArrayList<>(chunks.size());
            chunks.forEach(c -> ids.add(c.id()));
            dualWrite(ids, store -> store.upsert(chunks));
        }

        @Override
        public void delete(Collection<String> ids) {
            if (ids.isEmpty()) {
                return;
            }
            List<String> copy = List.copyOf(ids);
            dualWrite(copy, store -> store.delete(copy));
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            return shadowSearch(request);
        }

        @Override
        public List<Chunk> get(Collection<String> ids) {
            return live().get(ids);
        }

        @Override
        public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
            return live().getEmbedded(ids);
        }

        @Override
        public ScanPage scan(Filter filter, String cursor, int limit) {
            return live().scan(filter, cursor, limit);
        }

        @Override
        public long count() {
            return live().count();
        }

        @Override
        public Optional<IndexInfo> indexInfo() {
            return live().indexInfo();
        }

        @Override
        public void recordIndexInfo(IndexInfo info) {
            phaseLock.readLock().lock();
            try {
                live().recordIndexInfo(info);
                VectorStore other = live() == source ? target : source;
                withRetries(other == source ? "source" : "target", () -> other.recordIndexInfo(info));
            } finally {
                phaseLock.readLock().unlock();
            }
        }

        @Override
        public void flush() {
            source.flush();
            target.flush();
        }

        @Override
        public void close() {
            StoreMigration.this.close();
        }

        @Override
        public String toString() {
            return "MigratingStore(" + source.name() + " -> " + target.name() + ", " + phase + ")";
        }
    }
}
