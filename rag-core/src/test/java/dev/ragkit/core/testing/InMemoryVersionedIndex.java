package dev.ragkit.core.testing;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * A versioned index of memory stores in one process, for tests of what runs on top of
 * {@link VersionedIndex}: versions, an alias and its history, with no persistence. Opening a version
 * returns a view that leaves the version's store open when closed, as a store over shared data would.
 */
public final class InMemoryVersionedIndex implements VersionedIndex {
    private final String name;
    private final TreeMap<Integer, IndexVersion> versions = new TreeMap<>();
    private final Map<Integer, MemoryVectorStore> stores = new HashMap<>();
    private final Deque<Integer> history = new ArrayDeque<>();
    private final Map<String, String> properties = new TreeMap<>();
    private Integer live;
    private int highest;

    public InMemoryVersionedIndex(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized List<IndexVersion> versions() {
        return List.copyOf(versions.values());
    }

    @Override
    public synchronized OptionalInt live() {
        return live == null ? OptionalInt.empty() : OptionalInt.of(live);
    }

    @Override
    public synchronized IndexVersion create(IndexInfo builtWith) {
        IndexVersion v = IndexVersion.building(++highest, builtWith, Instant.now());
        versions.put(v.number(), v);
        stores.put(v.number(), MemoryVectorStore.builder().dimension(builtWith.dimension()).build());
        return v;
    }

    @Override
    public synchronized VectorStore open(int version) {
        MemoryVectorStore store = stores.get(version);
        if (store == null) {
            throw new InvalidInputException("no version " + version);
        }
        return new ForwardingVectorStore(store) {
            @Override
            public void close() {
                // The data outlives the handle.
            }
        };
    }

    /** The store of one version itself, for assertions. */
    public synchronized MemoryVectorStore storeOf(int version) {
        return stores.get(version);
    }

    @Override
    public VectorStore openLive() {
        if (live().isEmpty()) {
            throw new RagException("index '" + name + "' has no live version");
        }
        return new LiveView();
    }

    private synchronized MemoryVectorStore liveStore() {
        if (live == null) {
            throw new RagException("index '" + name + "' has no live version");
        }
        return stores.get(live);
    }

    @Override
    public synchronized IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        IndexVersion v = versions.get(version);
        if (v == null) {
            throw new InvalidInputException("no version " + version);
        }
        IndexVersion ready = v.ready(sourceFingerprint, documents, chunks);
        versions.put(version, ready);
        return ready;
    }

    @Override
    public synchronized void promote(int version) {
        IndexVersion v = versions.get(version);
        if (v == null || v.state() != IndexVersion.State.READY) {
            throw new InvalidInputException("version " + version + " does not exist or is not ready");
        }
        if (live != null) {
            history.push(live);
        }
        live = version;
    }

    @Override
    public synchronized int rollback() {
        while (!history.isEmpty()) {
            int previous = history.pop();
            if (versions.containsKey(previous)) {
                live = previous;
                return previous;
            }
        }
        throw new RagException("index '" + name + "' has no earlier live version to roll back to");
    }

    @Override
    public synchronized void drop(int version) {
        if (live != null && live == version) {
            throw new InvalidInputException("version " + version + " is live");
        }
        versions.remove(version);
        stores.remove(version);
    }

    @Override
    public synchronized Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    @Override
    public synchronized void putProperties(Map<String, String> changes) {
        changes.forEach((k, v) -> {
            if (v == null) {
                properties.remove(k);
            } else {
                properties.put(k, v);
            }
        });
    }

    @Override
    public void close() {
    }

    /** Follows the alias at each call. */
    private final class LiveView implements VectorStore {
        @Override
        public String name() {
            return liveStore().name();
        }

        @Override
        public int dimension() {
            return liveStore().dimension();
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return liveStore().capabilities();
        }

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            liveStore().upsert(chunks);
        }

        @Override
        public List<SearchHit> search(SearchRequest request) {
            return liveStore().search(request);
        }

        @Override
        public List<Chunk> get(Collection<String> ids) {
            return liveStore().get(ids);
        }

        @Override
        public List<EmbeddedChunk> getEmbedded(Collection<String> ids) {
            return liveStore().getEmbedded(ids);
        }

        @Override
        public void delete(Collection<String> ids) {
            liveStore().delete(ids);
        }

        @Override
        public ScanPage scan(Filter filter, String cursor, int limit) {
            return liveStore().scan(filter, cursor, limit);
        }

        @Override
        public long count() {
            return liveStore().count();
        }

        @Override
        public Optional<IndexInfo> indexInfo() {
            return liveStore().indexInfo();
        }

        @Override
        public void recordIndexInfo(IndexInfo info) {
            liveStore().recordIndexInfo(info);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Versions as labels, for messages. */
    public synchronized List<String> labels() {
        List<String> out = new ArrayList<>();
        versions.values().forEach(v -> out.add(v.label() + ":" + v.state()));
        return out;
    }
}
