package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Collections;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A versioned index on Pinecone, which has no aliases: version N is namespace {@code <name>-v<N>} of one
 * index, and Ragkit keeps the alias itself in one record ({@code catalog:<name>}) of the index's reserved
 * namespace: the versions with what built them, the live version, the earlier live ones, and the
 * properties. Every change rewrites that one record, which Pinecone replaces atomically, so a reader sees
 * the old catalog or the new one. Changes from two processes at once are last-writer-wins (Pinecone has
 * no conditional write); run one index operator at a time.
 */
final class PineconeVersionedIndex implements VersionedIndex {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,150}");
    private static final Pattern PROPERTY_KEY = Pattern.compile("[a-z0-9.-]+");
    private static final Duration LIVE_REFRESH = Duration.ofSeconds(1);

    private final PineconeVectorStore.Settings settings;
    private final String name;
    private final int batchSize;
    /** The dimension to create the index with when properties are written before any version (0: unknown). */
    private final int dimension;
    private PineconeIndex index;
    /** Live stores opened through this handle, switched at once by its promote and rollback (weakly held). */
    private final Set<LiveVersionStore> liveStores = Collections.newSetFromMap(new WeakHashMap<>());

    PineconeVersionedIndex(PineconeVectorStore.Settings settings, String name, int batchSize, int dimension) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("versioned index name was '" + name + "' but it must be 1-150 letters, "
                    + "digits, '_' or '-'");
        }
        this.settings = settings;
        this.name = name;
        this.batchSize = batchSize;
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return name;
    }

    /** The Pinecone index, opened with the first version's dimension (absent: null until a version exists). */
    private synchronized PineconeIndex index(int dimension) {
        if (index == null && dimension > 0) {
            index = settings.openIndex(dimension);
        }
        return index;
    }

    private synchronized Catalog catalog() {
        PineconeIndex opened = index(0);
        if (opened == null) {
            opened = PineconeIndex.openIfExists(settings);
            if (opened == null) {
                return new Catalog();
            }
            index = opened;
        }
        return opened.readMeta(catalogId()).map(this::parse).orElseGet(Catalog::new);
    }

    private String catalogId() {
        return "catalog:" + name;
    }

    private String namespace(int version) {
        return name + "-v" + version;
    }

    @Override
    public List<IndexVersion> versions() {
        return List.copyOf(catalog().versions.values());
    }

    @Override
    public OptionalInt live() {
        int live = catalog().live;
        return live == 0 ? OptionalInt.empty() : OptionalInt.of(live);
    }

    @Override
    public synchronized IndexVersion create(IndexInfo builtWith) {
        PineconeIndex opened = index(builtWith.dimension());
        if (opened.dimension() != builtWith.dimension()) {
            throw new InvalidInputException("version with " + builtWith.describeEmbedder() + " cannot live in Pinecone "
                    + "index '" + opened.name() + "' of dimension " + opened.dimension() + ": use a versioned index "
                    + "in another rag.store.pinecone.index");
        }
        Catalog catalog = catalog();
        IndexVersion version = IndexVersion.building(catalog.highest + 1, builtWith, Instant.now());
        catalog.highest = version.number();
        catalog.versions.put(version.number(), version);
        write(catalog);
        return version;
    }

    @Override
    public VectorStore open(int version) {
        IndexVersion found = require(catalog(), version);
        return new PineconeVectorStore(index(found.builtWith().dimension()), namespace(version), batchSize);
    }

    @Override
    public VectorStore openLive() {
        LiveVersionStore store = LiveVersionStore.open(this, this::open, LIVE_REFRESH);
        synchronized (liveStores) {
            liveStores.add(store);
        }
        return store;
    }

    /** Other handles' live stores see a change within {@link #LIVE_REFRESH}; this handle's see it now. */
    private void switchLiveStores() {
        List<LiveVersionStore> stores;
        synchronized (liveStores) {
            stores = new ArrayList<>(liveStores);
        }
        stores.forEach(LiveVersionStore::refresh);
    }

    @Override
    public synchronized IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        Catalog catalog = catalog();
        IndexVersion ready = require(catalog, version).ready(sourceFingerprint, documents, chunks);
        catalog.versions.put(version, ready);
        write(catalog);
        return ready;
    }

    @Override
    public void promote(int version) {
        // Outside the lock: a live store's switch asks live(), which takes it.
        if (movedAlias(version)) {
            switchLiveStores();
        }
    }

    private synchronized boolean movedAlias(int version) {
        Catalog catalog = catalog();
        IndexVersion found = require(catalog, version);
        if (found.state() != IndexVersion.State.READY) {
            throw new InvalidInputException("version " + found.label() + " of index '" + name + "' is still building: "
                    + "mark it ready before promoting it");
        }
        if (catalog.live == version) {
            return false;
        }
        if (catalog.live != 0) {
            catalog.previous.add(catalog.live);
        }
        catalog.live = version;
        write(catalog);
        return true;
    }

    @Override
    public int rollback() {
        int back = rolledBack();
        switchLiveStores();
        return back;
    }

    private synchronized int rolledBack() {
        Catalog catalog = catalog();
        while (!catalog.previous.isEmpty()) {
            int back = catalog.previous.remove(catalog.previous.size() - 1);
            if (catalog.versions.containsKey(back)) {
                catalog.live = back;
                write(catalog);
                return back;
            }
        }
        throw new RagException("index '" + name + "' has no earlier live version to roll back to");
    }

    @Override
    public synchronized void drop(int version) {
        Catalog catalog = catalog();
        require(catalog, version);
        if (catalog.live == version) {
            throw new InvalidInputException("version v" + version + " of index '" + name + "' is live: promote "
                    + "another version or roll back before dropping it");
        }
        // The catalog forgets the version first: a crash between the two steps leaves an orphan namespace,
        // never a listed version without data.
        catalog.versions.remove(version);
        catalog.previous.removeIf(v -> v == version);
        write(catalog);
        index.deleteNamespace(namespace(version));
    }

    @Override
    public Map<String, String> properties() {
        return Map.copyOf(catalog().properties);
    }

    @Override
    public synchronized void putProperties(Map<String, String> changes) {
        for (String key : changes.keySet()) {
            if (key == null || !PROPERTY_KEY.matcher(key).matches()) {
                throw new InvalidInputException("index property key was '" + key + "' but it must match [a-z0-9.-]+");
            }
        }
        Catalog catalog = catalog();
        changes.forEach((key, value) -> {
            if (value == null) {
                catalog.properties.remove(key);
            } else {
                catalog.properties.put(key, value);
            }
        });
        if (index(dimension) == null) {
            throw new InvalidInputException("Pinecone index '" + settings.index() + "' does not exist yet and no "
                    + "dimension is configured to create it with: create a version first, or set "
                    + "rag.store.pinecone.dimension");
        }
        write(catalog);
    }

    private IndexVersion require(Catalog catalog, int version) {
        IndexVersion found = catalog.versions.get(version);
        if (found == null) {
            throw new InvalidInputException("index '" + name + "' has no version v" + version + "; versions: "
                    + catalog.versions.keySet());
        }
        return found;
    }

    @Override
    public void close() {
        // Holds no connection of its own; stores it opened are closed by their callers.
    }

    /** The alias record's contents. */
    private static final class Catalog {
        int highest;
        int live;
        final List<Integer> previous = new ArrayList<>();
        final TreeMap<Integer, IndexVersion> versions = new TreeMap<>();
        final TreeMap<String, String> properties = new TreeMap<>();
    }

    private void write(Catalog catalog) {
        ObjectNode node = index.http().json().createObjectNode();
        node.put("highest", catalog.highest);
        node.put("live", catalog.live);
        ArrayNode previous = node.putArray("previous");
        catalog.previous.forEach(previous::add);
        ArrayNode versions = node.putArray("versions");
        for (IndexVersion v : catalog.versions.values()) {
            ObjectNode entry = versions.addObject();
            entry.put("number", v.number());
            v.builtWith().toMap().forEach(entry::put);
            entry.put("state", v.state().name());
            entry.put("created", v.created().toString());
            entry.put("fingerprint", v.sourceFingerprint());
            entry.put("documents", v.documents());
            entry.put("chunks", v.chunks());
        }
        ObjectNode properties = node.putObject("properties");
        catalog.properties.forEach(properties::put);
        index.writeMeta(catalogId(), node);
    }

    private Catalog parse(JsonNode node) {
        try {
            Catalog catalog = new Catalog();
            catalog.highest = node.get("highest").asInt();
            catalog.live = node.get("live").asInt();
            node.get("previous").forEach(v -> catalog.previous.add(v.asInt()));
            for (JsonNode entry : node.get("versions")) {
                IndexInfo info = new IndexInfo(entry.get("embedder").asText(), entry.get("dimension").asInt(),
                        entry.get("splitter").asText());
                IndexVersion version = new IndexVersion(entry.get("number").asInt(), info,
                        IndexVersion.State.valueOf(entry.get("state").asText()), Instant.parse(entry.get("created").asText()),
                        entry.get("fingerprint").asText(), entry.get("documents").asLong(), entry.get("chunks").asLong());
                catalog.versions.put(version.number(), version);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.get("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                catalog.properties.put(e.getKey(), e.getValue().asText());
            }
            return catalog;
        } catch (RuntimeException e) {
            throw new RagException("the catalog of versioned index '" + name + "' (record '" + catalogId()
                    + "' in namespace '" + PineconeIndex.META_NAMESPACE + "') is damaged: " + e
                    + "; it was left as it is", e);
        }
    }
}
