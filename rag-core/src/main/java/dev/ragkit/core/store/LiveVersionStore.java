package dev.ragkit.core.store;

import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.FilterSupport;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store that serves whichever version of a {@link VersionedIndex} is live, for any implementation of
 * it: what {@link VersionedIndex#openLive()} returns.
 *
 * <p>Following the alias. Before a call, at most once per refresh interval, it asks the index which
 * version is live (for a {@link DirectoryVersionedIndex}, a file stat); when that changed (a promote or
 * rollback by another process), a background thread opens the new version and switches to it, while
 * every call keeps being served by the version it has: no call waits for a version to load. So
 * another process's promote is served within one refresh interval of the next call plus the time to
 * open the new version (about the time a host takes to open that store at start-up). A promote or
 * rollback through the {@link DirectoryVersionedIndex} handle that opened it, or {@link #refresh()},
 * switches before it returns.
 *
 * <p>No call fails because of a switch: each call holds a reference to the version it started on and
 * finishes there, and an old version's store is closed only when its last call has returned. When
 * the new version cannot be opened (it was dropped meanwhile, or its files are damaged), the store
 * logs a warning, keeps serving the version it has and tries again after the interval. Writes go to
 * the version live when the write starts.
 */
public final class LiveVersionStore implements VectorStore {
    private static final Logger LOG = LoggerFactory.getLogger(LiveVersionStore.class);

    private final VersionedIndex index;
    private final IntFunction<VectorStore> opener;
    private final long refreshNanos;
    private final String name;
    private final Consumer<VectorStore> admission;
    private final ReentrantLock switching = new ReentrantLock();
    private volatile Lease current;
    private volatile long lastCheck;
    private volatile boolean closed;
    /** A live version that {@link #admission} refused, not tried again until the alias moves elsewhere. */
    private volatile int refused;
    /** A background thread is opening the new live version. */
    private volatile boolean switchPending;

    private LiveVersionStore(VersionedIndex index, IntFunction<VectorStore> opener, Duration refresh, int live,
                             Consumer<VectorStore> admission) {
        this.index = index;
        this.opener = opener;
        this.refreshNanos = refresh.toNanos();
        this.admission = admission;
        this.current = new Lease(live, openAdmitted(live));
        this.name = current.store.name();
        this.lastCheck = System.nanoTime();
    }

    private VectorStore openAdmitted(int version) {
        VectorStore store = opener.apply(version);
        try {
            admission.accept(store);
            return store;
        } catch (RuntimeException e) {
            try {
                store.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Opens the live version of {@code index} with {@code opener} and follows the alias from then on.
     *
     * @param opener opens one version's store for serving (e.g. {@code index::open}, or a read-only
     *     open, possibly wrapped); it is called again at each switch, and the store it returned closed
     *     once no call uses it any more
     * @param refresh how often, at most, the index is asked which version is live; zero asks at every call
     * @throws RagException when no version is live yet
     */
    public static LiveVersionStore open(VersionedIndex index, IntFunction<VectorStore> opener, Duration refresh) {
        return open(index, opener, refresh, store -> { });
    }

    /**
     * As {@link #open(VersionedIndex, IntFunction, Duration)}, checking each version before serving it:
     * {@code admission} throws to refuse a version's store (e.g. one built with another embedder than
     * the host's, whose vectors the host's queries cannot be compared with). A refused first version
     * fails the open with that exception; a refused later version is logged as a warning and not
     * served, the store keeps serving the version it has, and it does not try that version again until
     * the alias moves to another one.
     */
    public static LiveVersionStore open(VersionedIndex index, IntFunction<VectorStore> opener, Duration refresh,
                                        Consumer<VectorStore> admission) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(opener, "opener");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh interval was " + refresh + " but it must be >= 0");
        }
        int live = index.live().orElseThrow(() -> new RagException("index '" + index.name()
                + "' has no live version yet: build a version, mark it ready and promote it first"));
        LiveVersionStore store = new LiveVersionStore(index, opener, refresh, live, admission);
        if (index instanceof DirectoryVersionedIndex directoryIndex) {
            directoryIndex.register(store);
        }
        return store;
    }

    /** The version that new calls are served from now. */
    public int version() {
        return current.version;
    }

    /** The versioned index it follows. */
    public VersionedIndex index() {
        return index;
    }

    /**
     * Asks the index now, whatever the interval, and switches before returning when the live version
     * changed (the caller waits while the new version is opened).
     */
    public void refresh() {
        if (closed) {
            return;
        }
        switching.lock();
        try {
            lastCheck = System.nanoTime();
            switchTo(index.live());
        } catch (RuntimeException e) {
            warnCannotSwitch(e);
        } finally {
            switching.unlock();
        }
    }

    /**
     * At most once per interval, a caller asks the index which version is live (cheap); when it changed,
     * a background thread opens the new version and switches, while every call keeps being served by
     * the current one, so no call waits for a version to load.
     */
    private void maybeSwitch() {
        long now = System.nanoTime();
        if (closed || now - lastCheck < refreshNanos || switchPending || !switching.tryLock()) {
            return;
        }
        try {
            if (closed || now - lastCheck < refreshNanos || switchPending) {
                return;
            }
            lastCheck = now;
            OptionalInt live = index.live();
            if (live.isEmpty() || live.getAsInt() == current.version) {
                refused = 0;
                return;
            }
            if (live.getAsInt() == refused) {
                return;
            }
            switchPending = true;
            Thread loader = new Thread(this::refreshInBackground, "ragkit-live-" + index.name());
            loader.setDaemon(true);
            loader.start();
        } catch (RuntimeException e) {
            warnCannotSwitch(e);
        } finally {
            switching.unlock();
        }
    }

    private void refreshInBackground() {
        try {
            refresh();
        } finally {
            switchPending = false;
            lastCheck = System.nanoTime(); // a failed switch is tried again one interval later
        }
    }

    /** Opens and serves {@code live} when it is another version; runs under {@link #switching}. */
    private void switchTo(OptionalInt live) {
        Lease old = current;
        if (closed || live.isEmpty() || live.getAsInt() == old.version) {
            refused = 0;
            return;
        }
        int next = live.getAsInt();
        if (next == refused) {
            return;
        }
        VectorStore opened = opener.apply(next);
        try {
            admission.accept(opened);
        } catch (RuntimeException e) {
            refused = next;
            try {
                opened.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            LOG.warn("Index '{}' keeps serving v{}: live version v{} cannot be served here: {}", index.name(),
                    old.version, next, e.getMessage());
            return;
        }
        refused = 0;
        current = new Lease(next, opened);
        old.release(); // its store closes once its last in-flight call returns
        LOG.info("Index '{}' now serves v{} (was v{})", index.name(), next, old.version);
    }

    private void warnCannotSwitch(RuntimeException e) {
        LOG.warn("Index '{}' keeps serving v{}: cannot switch to the new live version yet ({}); retrying in {} ms",
                index.name(), current.version, e.toString(), refreshNanos / 1_000_000);
    }

    private <T> T call(Function<VectorStore, T> f) {
        maybeSwitch();
        Lease lease = acquire();
        try {
            return f.apply(lease.store);
        } finally {
            lease.release();
        }
    }

    private void run(Consumer<VectorStore> f) {
        call(s -> {
            f.accept(s);
            return null;
        });
    }

    private Lease acquire() {
        while (true) {
            if (closed) {
                throw new IllegalStateException("the live store of index '" + index.name() + "' is closed");
            }
            Lease lease = current;
            if (lease.tryAcquire()) {
                return lease;
            }
            // That lease was retired between the read and the acquire: the next read sees its successor.
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return call(VectorStore::dimension);
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return call(VectorStore::capabilities);
    }

    @Override
    public FilterSupport filterSupport() {
        return call(VectorStore::filterSupport);
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        run(s -> s.upsert(chunks));
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        return call(s -> s.search(request));
    }

    @Override
    public List<Chunk> get(Collection<String> ids) {
        return call(s -> s.get(ids));
    }

    @Override
    public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
        return call(s -> s.getEmbedded(ids));
    }

    @Override
    public void delete(Collection<String> ids) {
        run(s -> s.delete(ids));
    }

    @Override
    public ScanPage scan(Filter filter, String cursor, int limit) {
        return call(s -> s.scan(filter, cursor, limit));
    }

    @Override
    public long count() {
        return call(VectorStore::count);
    }

    @Override
    public Optional<IndexInfo> indexInfo() {
        return call(VectorStore::indexInfo);
    }

    @Override
    public void recordIndexInfo(IndexInfo info) {
        run(s -> s.recordIndexInfo(info));
    }

    @Override
    public void flush() {
        run(VectorStore::flush);
    }

    /** Stops following the alias and closes the current version's store once its in-flight calls returned. */
    @Override
    public void close() {
        switching.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            switching.unlock();
        }
        if (index instanceof DirectoryVersionedIndex directoryIndex) {
            directoryIndex.unregister(this);
        }
        current.release();
    }

    @Override
    public String toString() {
        return "LiveVersionStore[index=" + index.name() + ", serving=v" + current.version + "]";
    }

    /** One version's store and the calls using it; the store closes when the count reaches zero. */
    private static final class Lease {
        final int version;
        final VectorStore store;
        /** One for being current, plus one per call in flight. */
        private final AtomicInteger references = new AtomicInteger(1);

        Lease(int version, VectorStore store) {
            this.version = version;
            this.store = Objects.requireNonNull(store, "the opener returned null for v" + version);
        }

        boolean tryAcquire() {
            while (true) {
                int r = references.get();
                if (r == 0) {
                    return false;
                }
                if (references.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                try {
                    store.close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing the store of retired version v{} failed: {}", version, e.toString());
                }
            }
        }
    }
}
