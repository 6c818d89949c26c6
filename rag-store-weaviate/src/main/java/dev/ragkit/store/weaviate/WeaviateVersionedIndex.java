package dev.ragkit.store.weaviate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.ForwardingVectorStore;
import dev.ragkit.core.store.LiveVersionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@link VersionedIndex} on Weaviate collection aliases: version {@code N} of index {@code Docs} is
 * the collection {@code Docs_v<N>}, and the alias {@code Docs} ({@code /v1/aliases}) points at the live
 * one, so a host that reads the collection {@code Docs} reads the live version, and moving the alias is
 * one atomic step on the server. What built each version, its state, the numbering, the promote
 * history (for rollback) and the properties are kept in the description of a catalog collection
 * {@code Docs_catalog} that holds no objects, so every process that opens the index sees them.
 *
 * <p>Catalog updates are read-modify-write on the server: one process changes an index at a time (the
 * lifecycle commands do), while any number of processes may serve it. A version is opened by one writer
 * at a time within this handle's process.
 */
public final class WeaviateVersionedIndex implements VersionedIndex {
    private static final Pattern PROPERTY_KEY = Pattern.compile("[a-z0-9.-]+");
    private static final String CATALOG_MARKER = "ragkit-catalog:";

    private final WeaviateVectorStore.Builder template;
    private final WeaviateRest rest;
    private final String name;
    private final String catalog;
    private final String subject;
    private final Duration liveRefresh;
    /** Serialises this handle's catalog changes; never held while a live store switches. */
    private final Object lock = new Object();
    private final Set<Integer> writers = Collections.synchronizedSet(new HashSet<>());
    private final Set<LiveVersionStore> liveStores = Collections.synchronizedSet(
            Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    WeaviateVersionedIndex(WeaviateVectorStore.Builder template, Duration liveRefresh) {
        this.template = template.copy();
        this.rest = template.rest();
        this.name = template.collectionName();
        this.catalog = name + "_catalog";
        this.subject = "versioned index '" + name + "'";
        this.liveRefresh = liveRefresh;
    }

    @Override
    public String name() {
        return name;
    }

    private String collectionOf(int version) {
        return name + "_v" + version;
    }

    // ------------------------------------------------------------------ catalog

    /** The catalog as stored: {@code next}, {@code versions}, {@code history}, {@code properties}. */
    private ObjectNode readCatalog() {
        JsonNode cls = rest.call("GET", "/schema/" + catalog, null, subject, true).body();
        if (!cls.has("class")) {
            ObjectNode empty = WeaviateRest.JSON.createObjectNode().put("next", 1);
            empty.putObject("versions");
            empty.putArray("history");
            empty.putObject("properties");
            return empty;
        }
        String description = cls.path("description").asText("");
        int at = description.indexOf(CATALOG_MARKER);
        try {
            if (at < 0) {
                throw new IllegalArgumentException("no " + CATALOG_MARKER + " marker");
            }
            return (ObjectNode) WeaviateRest.JSON.readTree(description.substring(at + CATALOG_MARKER.length()));
        } catch (JsonProcessingException | IllegalArgumentException | ClassCastException e) {
            throw RagBackendException.permanent("weaviate", "the catalog of " + subject + " (collection '" + catalog
                    + "' description) is unreadable: " + e.getMessage() + ". Restore it or drop the index.", e);
        }
    }

    /** Called with {@link #lock} held: catalog changes of this handle are serialised. */
    private void writeCatalog(ObjectNode state) {
        String description = "Ragkit versioned index catalog; holds no objects. " + CATALOG_MARKER + state;
        JsonNode cls = rest.call("GET", "/schema/" + catalog, null, subject, true).body();
        if (!cls.has("class")) {
            ObjectNode created = WeaviateRest.JSON.createObjectNode().put("class", catalog).put("description", description)
                    .put("vectorizer", "none");
            created.putArray("properties");
            rest.call("POST", "/schema", created, subject, false);
            return;
        }
        ((ObjectNode) cls).put("description", description);
        rest.call("PUT", "/schema/" + catalog, cls, subject, false);
    }

    private static IndexVersion version(int number, JsonNode v) {
        JsonNode built = v.path("builtWith");
        IndexInfo info = new IndexInfo(built.path("embedder").asText(), built.path("dimension").asInt(),
                built.path("splitter").asText(""));
        IndexVersion version = IndexVersion.building(number, info, Instant.parse(v.path("created").asText()));
        return v.path("state").asText().equals("READY")
                ? version.ready(v.path("fingerprint").asText(), v.path("documents").asLong(), v.path("chunks").asLong())
                : version;
    }

    private static ObjectNode node(IndexVersion v) {
        ObjectNode node = WeaviateRest.JSON.createObjectNode();
        ObjectNode built = node.putObject("builtWith");
        v.builtWith().toMap().forEach(built::put);
        node.put("state", v.state().name()).put("created", v.created().toString())
                .put("fingerprint", v.sourceFingerprint()).put("documents", v.documents()).put("chunks", v.chunks());
        return node;
    }

    // ------------------------------------------------------------------ versions

    @Override
    public List<IndexVersion> versions() {
        TreeMap<Integer, IndexVersion> out = new TreeMap<>();
        readCatalog().path("versions").fields().forEachRemaining(e ->
                out.put(Integer.parseInt(e.getKey()), version(Integer.parseInt(e.getKey()), e.getValue())));
        return List.copyOf(out.values());
    }

    private IndexVersion require(ObjectNode state, int number) {
        JsonNode v = state.path("versions").path(Integer.toString(number));
        if (v.isMissingNode()) {
            throw new InvalidInputException(subject + " has no version v" + number + "; it has "
                    + versions().stream().map(IndexVersion::label).toList());
        }
        return version(number, v);
    }

    @Override
    public OptionalInt live() {
        JsonNode alias = rest.call("GET", "/aliases/" + name, null, subject, true).body();
        String cls = alias.path("class").asText("");
        if (!cls.startsWith(name + "_v")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(cls.substring(name.length() + 2)));
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        synchronized (lock) {
            return createLocked(builtWith);
        }
    }

    private IndexVersion createLocked(IndexInfo builtWith) {
        ObjectNode state = readCatalog();
        int number = state.path("next").asInt(1);
        IndexVersion version = IndexVersion.building(number, builtWith, Instant.now());
        state.put("next", number + 1);
        ((ObjectNode) state.path("versions")).set(Integer.toString(number), node(version));
        // The number is taken before the collection exists: a crash in between never reuses it.
        writeCatalog(state);
        try (VectorStore store = storeOf(number, builtWith.dimension())) {
            store.recordIndexInfo(builtWith);
        }
        return version;
    }

    private WeaviateVectorStore storeOf(int number, int dimension) {
        return template.copy().collection(collectionOf(number)).dimension(dimension).build();
    }

    @Override
    public VectorStore open(int version) {
        IndexVersion v = require(readCatalog(), version);
        if (!writers.add(version)) {
            throw new InvalidInputException(subject + " version v" + version + " is already open for writing in this "
                    + "process; close that store first");
        }
        try {
            return new ForwardingVectorStore(storeOf(version, v.builtWith().dimension())) {
                private boolean closed;

                @Override
                public void close() {
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        closed = true;
                    }
                    try {
                        super.close();
                    } finally {
                        writers.remove(version);
                    }
                }
            };
        } catch (RuntimeException e) {
            writers.remove(version);
            throw e;
        }
    }

    @Override
    public VectorStore openLive() {
        LiveVersionStore store = LiveVersionStore.open(this, n -> storeOf(n, require(readCatalog(), n).builtWith()
                .dimension()), liveRefresh);
        liveStores.add(store);
        return store;
    }

    /** Live stores opened through this handle follow its own promotes and rollbacks at once. */
    private void refreshLiveStores() {
        List<LiveVersionStore> stores;
        synchronized (liveStores) {
            stores = List.copyOf(liveStores);
        }
        for (LiveVersionStore store : stores) {
            try {
                store.refresh();
            } catch (RuntimeException closedOrUnreachable) {
                // A closed store has nothing to follow; an unreachable server is retried at its next call.
            }
        }
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        synchronized (lock) {
            return markReadyLocked(version, sourceFingerprint, documents, chunks);
        }
    }

    private IndexVersion markReadyLocked(int version, String sourceFingerprint, long documents, long chunks) {
        ObjectNode state = readCatalog();
        IndexVersion ready = require(state, version).ready(sourceFingerprint, documents, chunks);
        ((ObjectNode) state.path("versions")).set(Integer.toString(version), node(ready));
        writeCatalog(state);
        return ready;
    }

    @Override
    public void promote(int version) {
        synchronized (lock) {
            promoteLocked(version);
        }
        refreshLiveStores();
    }

    private void promoteLocked(int version) {
        ObjectNode state = readCatalog();
        IndexVersion v = require(state, version);
        if (v.state() != IndexVersion.State.READY) {
            throw new InvalidInputException(subject + " version v" + version + " is still " + v.state()
                    + ": mark it ready before promoting it");
        }
        OptionalInt current = live();
        if (current.isPresent() && current.getAsInt() == version) {
            return;
        }
        pointAliasAt(version, current.isPresent());
        if (current.isPresent()) {
            ((ArrayNode) state.path("history")).add(current.getAsInt());
            writeCatalog(state);
        }
    }

    /** One atomic step on the server: the alias now names this version's collection. */
    private void pointAliasAt(int version, boolean exists) {
        if (exists) {
            rest.call("PUT", "/aliases/" + name, WeaviateRest.JSON.createObjectNode().put("class", collectionOf(version)),
                    subject, false);
        } else {
            rest.call("POST", "/aliases", WeaviateRest.JSON.createObjectNode().put("alias", name)
                    .put("class", collectionOf(version)), subject, false);
        }
    }

    @Override
    public int rollback() {
        int now;
        synchronized (lock) {
            now = rollbackLocked();
        }
        refreshLiveStores();
        return now;
    }

    private int rollbackLocked() {
        ObjectNode state = readCatalog();
        ArrayNode history = (ArrayNode) state.path("history");
        OptionalInt current = live();
        while (!history.isEmpty()) {
            int previous = history.remove(history.size() - 1).asInt();
            boolean exists = state.path("versions").has(Integer.toString(previous));
            if (exists && (current.isEmpty() || current.getAsInt() != previous)) {
                pointAliasAt(previous, current.isPresent());
                writeCatalog(state);
                return previous;
            }
        }
        writeCatalog(state);
        throw new RagException(subject + " has no earlier live version to roll back to"
                + (current.isPresent() ? " (v" + current.getAsInt() + " is live)" : ""));
    }

    @Override
    public void drop(int version) {
        synchronized (lock) {
            dropLocked(version);
        }
    }

    private void dropLocked(int version) {
        ObjectNode state = readCatalog();
        require(state, version);
        OptionalInt current = live();
        if (current.isPresent() && current.getAsInt() == version) {
            throw new InvalidInputException(subject + " version v" + version + " is live: promote another version "
                    + "or roll back before dropping it");
        }
        rest.call("DELETE", "/schema/" + collectionOf(version), null, "collection '" + collectionOf(version) + "'", true);
        ((ObjectNode) state.path("versions")).remove(Integer.toString(version));
        ArrayNode kept = WeaviateRest.JSON.createArrayNode();
        state.path("history").forEach(h -> {
            if (h.asInt() != version) {
                kept.add(h);
            }
        });
        state.set("history", kept);
        writeCatalog(state);
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> out = new TreeMap<>();
        readCatalog().path("properties").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void putProperties(Map<String, String> changes) {
        synchronized (lock) {
            putPropertiesLocked(changes);
        }
    }

    private void putPropertiesLocked(Map<String, String> changes) {
        Map<String, String> checked = new LinkedHashMap<>();
        changes.forEach((key, value) -> {
            if (key == null || !PROPERTY_KEY.matcher(key).matches()) {
                throw new InvalidInputException("property key was '" + key + "' but it must match [a-z0-9.-]+");
            }
            checked.put(key, value);
        });
        ObjectNode state = readCatalog();
        ObjectNode properties = (ObjectNode) state.path("properties");
        checked.forEach((key, value) -> {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.put(key, value);
            }
        });
        writeCatalog(state);
    }

    @Override
    public void close() {
        // Holds no connection of its own beyond the shared HTTP client.
    }

    @Override
    public String toString() {
        return "WeaviateVersionedIndex[" + name + " at " + rest.base() + "]";
    }
}
