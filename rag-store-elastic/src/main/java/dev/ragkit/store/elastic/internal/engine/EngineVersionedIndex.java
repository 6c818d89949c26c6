package dev.ragkit.store.elastic.internal.engine;

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
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.store.elastic.IndexOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link VersionedIndex} kept natively by Elasticsearch or OpenSearch: version {@code N} of index
 * {@code name} is the index {@code name-vN}, the alias {@code name} points at the live one, and promote and
 * rollback move it with one {@code _aliases} call (remove and add together, atomic on the server). What
 * built each version, its state, the rollback history and the properties are one small catalog document in
 * the index {@code name-ragkit-meta}, updated with optimistic concurrency (sequence numbers), so several
 * processes can share the index. The alias, not the catalog, says which version is live: a crash between
 * the alias switch and the catalog update leaves the switch done and only the history behind.
 *
 * <p>{@link #openLive()} serves through the alias itself, so a promote by any process is seen by the next
 * search; the version tag of the live store follows within the refresh interval (at once after a promote
 * through this handle). Unlike the directory stores, a version may be opened by several writers at once:
 * the server orders their writes, and a writer killed mid-build leaves no lock behind.
 */
public final class EngineVersionedIndex implements VersionedIndex {
    private static final String CATALOG_ID = "catalog";
    private static final int CATALOG_ATTEMPTS = 50;
    private static final Pattern PROPERTY_KEY = Pattern.compile("[a-z0-9.-]+");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final SharedClient shared;
    private final EngineClient client;
    private final Dialect dialect;
    private final Calls calls;
    private final String name;
    private final IndexOptions options;
    private final Duration liveRefresh;
    private final String metaIndex;
    private final Pattern versionIndex;
    private final List<LiveVersionStore> liveStores = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Takes over {@code shared}'s hold, released by {@link #close()}. */
    public EngineVersionedIndex(SharedClient shared, Dialect dialect, Calls calls, String name, IndexOptions options,
                                Duration liveRefresh) {
        if (name == null || !NAME.matcher(name).matches()) {
            shared.release();
            throw new InvalidInputException("versioned index name was '" + name + "' but it must match " + NAME
                    + " (lowercase: it names the alias and the indices behind it)");
        }
        this.shared = shared;
        this.client = shared.client();
        this.dialect = dialect;
        this.calls = calls;
        this.name = name;
        this.options = options;
        this.liveRefresh = liveRefresh;
        this.metaIndex = name + "-ragkit-meta";
        this.versionIndex = Pattern.compile(Pattern.quote(name) + "-v(\\d+)");
    }

    @Override
    public String name() {
        return name;
    }

    /** The index that holds version {@code n}. */
    public String indexOf(int n) {
        return name + "-v" + n;
    }

    @Override
    public List<IndexVersion> versions() {
        ensureOpen();
        return List.copyOf(read().catalog.versions.values());
    }

    @Override
    public OptionalInt live() {
        ensureOpen();
        Set<String> targets = calls.run("read alias '" + name + "'", () -> client.aliasTargets(name));
        for (String index : targets) {
            Matcher m = versionIndex.matcher(index);
            if (m.matches()) {
                return OptionalInt.of(Integer.parseInt(m.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        java.util.Objects.requireNonNull(builtWith, "builtWith");
        ensureOpen();
        IndexVersion[] created = new IndexVersion[1];
        update(c -> {
            int n = c.next;
            created[0] = IndexVersion.building(n, builtWith, Instant.now());
            c.versions.put(n, created[0]);
            c.next = n + 1;
            return c;
        });
        // The catalog first: a crash before the index exists leaves a BUILDING version whose open creates it.
        try (VectorStore store = openVersion(created[0])) {
            store.recordIndexInfo(builtWith);
        }
        return created[0];
    }

    @Override
    public VectorStore open(int version) {
        ensureOpen();
        return openVersion(require(read().catalog, version));
    }

    private VectorStore openVersion(IndexVersion v) {
        return EngineVectorStore.open(shared.acquire(), dialect, calls, indexOf(v.number()),
                v.builtWith().dimension(), options, v.number(), true);
    }

    @Override
    public VectorStore openLive() {
        ensureOpen();
        LiveVersionStore live = LiveVersionStore.open(this, this::openThroughAlias, liveRefresh);
        liveStores.add(live);
        return live;
    }

    /** A store on the alias, written and searched through it; {@code version} is the one it pointed at. */
    private VectorStore openThroughAlias(int version) {
        IndexVersion v = require(read().catalog, version);
        return EngineVectorStore.open(shared.acquire(), dialect, calls, name, v.builtWith().dimension(), options,
                version, false);
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        ensureOpen();
        IndexVersion[] ready = new IndexVersion[1];
        update(c -> {
            ready[0] = require(c, version).ready(sourceFingerprint, documents, chunks);
            c.versions.put(version, ready[0]);
            return c;
        });
        return ready[0];
    }

    @Override
    public void promote(int version) {
        ensureOpen();
        IndexVersion v = require(read().catalog, version);
        if (v.state() != IndexVersion.State.READY) {
            throw new InvalidInputException("version " + v.label() + " of index '" + name + "' is still "
                    + v.state() + ": mark it ready (after its build completed) before promoting it");
        }
        OptionalInt before = switchAlias(version);
        if (before.isPresent() && before.getAsInt() != version) {
            update(c -> {
                c.history.remove(Integer.valueOf(before.getAsInt()));
                c.history.add(before.getAsInt());
                return c;
            });
        }
        refreshLiveStores();
    }

    @Override
    public int rollback() {
        ensureOpen();
        OptionalInt current = live();
        Catalog catalog = read().catalog;
        List<Integer> history = new ArrayList<>(catalog.history);
        while (!history.isEmpty()) {
            int previous = history.remove(history.size() - 1);
            IndexVersion v = catalog.versions.get(previous);
            if (v == null || v.state() != IndexVersion.State.READY
                    || current.isPresent() && current.getAsInt() == previous) {
                continue;
            }
            switchAlias(previous);
            update(c -> {
                // Drop the entries this rollback went past, and the one it returned to.
                while (!c.history.isEmpty()) {
                    int last = c.history.remove(c.history.size() - 1);
                    if (last == previous) {
                        break;
                    }
                }
                return c;
            });
            refreshLiveStores();
            return previous;
        }
        throw new RagException("index '" + name + "' has no earlier live version to roll back to"
                + (current.isPresent() ? " (v" + current.getAsInt() + " is live)" : " (nothing was promoted yet)"));
    }

    /** Points the alias at {@code version} in one {@code _aliases} call; the version it pointed at before. */
    private OptionalInt switchAlias(int version) {
        String target = indexOf(version);
        for (int attempt = 0; ; attempt++) {
            Set<String> current = calls.run("read alias '" + name + "'", () -> client.aliasTargets(name));
            OptionalInt before = OptionalInt.empty();
            ArrayNode actions = Json.array();
            for (String index : current) {
                Matcher m = versionIndex.matcher(index);
                if (m.matches()) {
                    before = OptionalInt.of(Integer.parseInt(m.group(1)));
                }
                if (!index.equals(target)) {
                    actions.add(Json.object("remove", Json.object().put("index", index).put("alias", name)));
                }
            }
            if (current.size() == 1 && current.contains(target)) {
                return before;
            }
            actions.add(Json.object("add", Json.object().put("index", target).put("alias", name)));
            try {
                calls.run("point alias '" + name + "' at '" + target + "'", () -> client.updateAliases(actions));
                return before;
            } catch (RagBackendException e) {
                // Another process moved the alias between the read and the switch: read it again.
                boolean raced = e.getCause() instanceof EngineException ee && ee.status() == 404 && !ee.indexMissing();
                if (!raced || attempt >= CATALOG_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void refreshLiveStores() {
        for (LiveVersionStore store : liveStores) {
            store.refresh();
        }
    }

    @Override
    public void drop(int version) {
        ensureOpen();
        require(read().catalog, version);
        OptionalInt live = live();
        if (live.isPresent() && live.getAsInt() == version) {
            throw new InvalidInputException("version v" + version + " of index '" + name + "' is live: promote"
                    + " another version before dropping it");
        }
        update(c -> {
            require(c, version);
            c.versions.remove(version);
            c.history.removeIf(h -> h == version);
            return c;
        });
        calls.run("delete index '" + indexOf(version) + "'", () -> client.deleteIndex(indexOf(version)));
    }

    @Override
    public Map<String, String> properties() {
        ensureOpen();
        return Map.copyOf(read().catalog.properties);
    }

    @Override
    public void putProperties(Map<String, String> changes) {
        for (String key : changes.keySet()) {
            if (key == null || !PROPERTY_KEY.matcher(key).matches()) {
                throw new InvalidInputException("property key '" + key + "' must match [a-z0-9.-]+");
            }
        }
        ensureOpen();
        Map<String, String> copy = new LinkedHashMap<>(changes);
        update(c -> {
            copy.forEach((k, v) -> {
                if (v == null) {
                    c.properties.remove(k);
                } else {
                    c.properties.put(k, v);
                }
            });
            return c;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        liveStores.clear();
        shared.release();
    }

    private void ensureOpen() {
        if (closed) {
            throw new RagException("versioned index '" + name + "' is closed");
        }
    }

    private IndexVersion require(Catalog catalog, int version) {
        IndexVersion v = catalog.versions.get(version);
        if (v == null) {
            throw new InvalidInputException("index '" + name + "' has no version v" + version + "; its versions are "
                    + catalog.versions.keySet().stream().map(n -> "v" + n).toList());
        }
        return v;
    }

    // ---- the catalog document ----

    private record Read(Catalog catalog, EngineClient.Document document) {
    }

    private Read read() {
        java.util.Optional<EngineClient.Document> doc;
        try {
            doc = calls.run("read the catalog of index '" + name + "'", () -> client.getDocument(metaIndex, CATALOG_ID));
        } catch (RagBackendException e) {
            if (e.getCause() instanceof EngineException ee && ee.indexMissing()) {
                return new Read(new Catalog(), null);
            }
            throw e;
        }
        return doc.map(d -> new Read(Catalog.parse(d.source()), d)).orElseGet(() -> new Read(new Catalog(), null));
    }

    /** Applies {@code change} to the catalog and writes it only over the version read; retries on a race. */
    private void update(UnaryOperator<Catalog> change) {
        for (int attempt = 0; attempt < CATALOG_ATTEMPTS; attempt++) {
            Read read = read();
            if (read.document == null) {
                ensureMetaIndex();
            }
            ObjectNode written = change.apply(read.catalog).toJson();
            boolean stored = calls.run("write the catalog of index '" + name + "'", () -> read.document == null
                    ? client.putDocument(metaIndex, CATALOG_ID, written, null, null, true)
                    : client.putDocument(metaIndex, CATALOG_ID, written, read.document.seqNo(),
                    read.document.primaryTerm(), false));
            if (stored) {
                return;
            }
        }
        throw RagBackendException.retriable(dialect.backend(), "the catalog of index '" + name + "' kept changing"
                + " under " + CATALOG_ATTEMPTS + " attempts to update it; too many processes write it at once", null);
    }

    private void ensureMetaIndex() {
        boolean exists = calls.run("check whether index '" + metaIndex + "' exists", () -> client.exists(metaIndex));
        if (exists) {
            return;
        }
        ObjectNode body = Json.object();
        body.set("settings", Json.object("index", Json.object().put("number_of_shards", 1)
                .put("number_of_replicas", options.replicas())));
        // Only kept, never searched: nothing of it is indexed.
        body.set("mappings", Json.object().put("dynamic", false).put("enabled", false));
        try {
            calls.run("create index '" + metaIndex + "'", () -> client.createIndex(metaIndex, body));
        } catch (RagBackendException e) {
            if (!(e.getCause() instanceof EngineException ee)
                    || !"resource_already_exists_exception".equals(ee.errorType())) {
                throw e;
            }
        }
    }

    /** The catalog's contents: versions, the next number, the rollback history, the properties. */
    private static final class Catalog {
        int next = 1;
        final TreeMap<Integer, IndexVersion> versions = new TreeMap<>();
        final List<Integer> history = new ArrayList<>();
        final TreeMap<String, String> properties = new TreeMap<>();

        ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.put("format", 1);
            node.put("next", next);
            ArrayNode list = node.putArray("versions");
            for (IndexVersion v : versions.values()) {
                ObjectNode e = list.addObject();
                e.put("number", v.number());
                e.put("embedder", v.builtWith().embedder());
                e.put("dimension", v.builtWith().dimension());
                e.put("splitter", v.builtWith().splitter());
                e.put("state", v.state().name());
                e.put("created", v.created().toString());
                e.put("fingerprint", v.sourceFingerprint());
                e.put("documents", v.documents());
                e.put("chunks", v.chunks());
            }
            ArrayNode h = node.putArray("history");
            history.forEach(h::add);
            ObjectNode p = node.putObject("properties");
            properties.forEach(p::put);
            return node;
        }

        static Catalog parse(JsonNode node) {
            Catalog c = new Catalog();
            c.next = node.path("next").asInt(1);
            for (JsonNode e : node.path("versions")) {
                IndexInfo info = new IndexInfo(e.path("embedder").asText(), e.path("dimension").asInt(),
                        e.path("splitter").asText());
                IndexVersion v = new IndexVersion(e.path("number").asInt(), info,
                        IndexVersion.State.valueOf(e.path("state").asText()), Instant.parse(e.path("created").asText()),
                        e.path("fingerprint").asText(), e.path("documents").asLong(), e.path("chunks").asLong());
                c.versions.put(v.number(), v);
            }
            for (JsonNode h : node.path("history")) {
                c.history.add(h.asInt());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                c.properties.put(e.getKey(), e.getValue().asText());
            }
            return c;
        }
    }
}
