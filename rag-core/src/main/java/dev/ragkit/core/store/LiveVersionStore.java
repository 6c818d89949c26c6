package dev.ragkit.core.store;

import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
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
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store that serves whichever version of a {@link VersionedIndex} is live, for any implementation of
 * it: what {@link VersionedIndex#openLive()} returns.
 *
 * <p>Following the alias. Before a call, at most once per refresh interval, it asks the index which
 * version is live; when that changed (a promote or rollback by another process), it opens the new
 * version and serves it from then on. So another process's promote is seen within one refresh
 * interval of the next call. A promote or rollback through the {@link DirectoryVersionedIndex} handle
 * that opened it switches before that call returns. Only the calling thread that notices the change
 * opens the new version; the others keep serving the old one meanwhile, so no call waits on it.
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
    private final ReentrantLock switching = new ReentrantLock();
    private volatile Lease current;
    private volatile long lastCheck;
    private volatile boolean closed;

    private LiveVersionStore(VersionedIndex index, IntFunction<VectorStore> opener, Duration refresh, int live) {
        this.index = index;
        this.opener = opener;
        this.refreshNanos = refresh.toNanos();
        this.current = new Lease(live, opener.apply(live));
        this.name = current.store.name();
        this.lastCheck = System.nanoTime();
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
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(opener, "opener");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh interval was " + refresh + " but it must be >= 0");
        }
        int live = index.live().orElseThrow(() -> new RagException("index '" + index.name()
                + "' has no live version yet: build a version, mark it ready and promote it first"));
        LiveVersionStore store = new LiveVersionStore(index, opener, refresh, live);
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

    /** Asks the index now, whatever the interval, and switches when the live version changed. */
    public void refresh() {
        maybeSwitch(true);
    }

    private void maybeSwitch(boolean force) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastCheck < refreshNanos) {
            return;
        }
        if (force) {
            switching.lock();
        } else if (!switching.tryLock()) {
            return; // another caller is checking or switching; serve the current version meanwhile
        }
        try {
            if (closed || (!force && now - lastCheck < refreshNanos)) {
                return;
            }
            lastCheck = now;
            OptionalInt live = index.live();
            Lease old = current;
            if (live.isEmpty() || live.getAsInt() == old.version) {
                return;
            }
            int next = live.getAsInt();
            VectorStore opened = opener.apply(next);
            current = new Lease(next, opened);
            old.release(); // its store closes once its last in-flight call returns
            LOG.info("Index '{}' now serves v{} (was v{})", index.name(), next, old.version);
        } catch (RuntimeException e) {
            LOG.warn("Index '{}' keeps serving v{}: cannot switch to the new live version yet ({}); retrying in {} ms",
                    index.name(), current.version, e.toString(), refreshNanos / 1_000_000);
        } finally {
            switching.unlock();
        }
    }

    private <T> T call(Function<VectorStore, T> f) {
        maybeSwitch(false);
        Lease lease = acquire();
        try {
            return f.apply(lease.store);
        } finally {
            lease.release();
        }
    }

    private void run(java.util.function.Consumer<VectorStore> f) {
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
