package dev.ragkit.store.redisearch;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.AbstractTransaction;

/**
 * The seeds' index lifecycle on RediSearch, natively: version {@code N} of index {@code <name>} is the FT
 * index {@code idx:<name>:v<N>} over the hashes {@code doc:<name>:v<N>:*}, and the alias {@code idx:<name>}
 * points at the live one. A promote moves the alias with {@code FT.ALIASUPDATE} (atomic on the server:
 * a query through the alias runs on the old version or the new one, never a mix), and only once
 * {@code FT.INFO} says the version finished indexing. A drop is {@code FT.DROPINDEX ... DD} (index and
 * hashes). The catalog (versions, what built them, states, the rollback history, properties) lives in
 * Redis beside them, so every process that opens the index sees the same thing:
 * <ul>
 *   <li>{@code ragkit:index:<name>:next}: the last version number handed out (INCR: never reused);</li>
 *   <li>{@code ragkit:index:<name>:versions}: set of the existing version numbers;</li>
 *   <li>{@code ragkit:index:<name>:v<N>}: hash of version N's record;</li>
 *   <li>{@code ragkit:index:<name>:history}: list of the versions live before each promote;</li>
 *   <li>{@code ragkit:index:<name>:properties}: hash of {@link #properties()}.</li>
 * </ul>
 * The alias is the truth about which version is live; the history only serves {@link #rollback}.
 */
public final class RediSearchVersionedIndex implements VersionedIndex {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern PROPERTY_KEY = Pattern.compile("[a-z0-9.-]+");

    private final String name;
    private final RedisConnection connection;
    private final RediSearchVectorStore.Builder settings;
    private final Duration liveRefresh;
    private final Duration indexingTimeout;
    private final String catalog;
    /** Live stores opened through this handle: a promote or rollback here switches them before it returns. */
    private final Set<LiveVersionStore> liveStores = Collections.synchronizedSet(Collections.newSetFromMap(
            new WeakHashMap<>()));
    private volatile boolean closed;

    private RediSearchVersionedIndex(String name, RedisConnection connection, RediSearchVectorStore.Builder settings,
                                     Duration liveRefresh, Duration indexingTimeout) {
        this.name = name;
        this.connection = connection;
        this.settings = settings;
        this.liveRefresh = liveRefresh;
        this.indexingTimeout = indexingTimeout;
        this.catalog = "ragkit:index:" + name;
    }

    /**
     * Opens the versioned index {@code name} with the connection and index settings of {@code settings}
     * (its url, credentials, fields, language, HNSW parameters; its index name, prefix and dimension are
     * replaced per version). Creates nothing until {@link #create}.
     *
     * @param liveRefresh how often, at most, a store from {@link #openLive()} asks which version is live
     * @param indexingTimeout how long {@link #promote} waits for a version to finish indexing
     */
    public static RediSearchVersionedIndex open(String name, RediSearchVectorStore.Builder settings, Duration liveRefresh,
                                                Duration indexingTimeout) {
        Objects.requireNonNull(settings, "settings");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RagConfigurationException("rag.store.redisearch.index was '" + name + "' but a versioned index name"
                    + " must match " + NAME.pattern());
        }
        List<String> problems = settings.copy().dimension(1).problems();
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(String.join("; ", problems));
        }
        RedisConnection connection = RedisConnection.open(settings.settings());
        return new RediSearchVersionedIndex(name, connection, settings.copy(), liveRefresh, indexingTimeout);
    }

    /** The alias every reader may query: {@code idx:<name>}. */
    public String alias() {
        return "idx:" + name;
    }

    /** The FT index of version {@code n}: {@code idx:<name>:v<n>}. */
    public String indexOf(int n) {
        return "idx:" + name + ":v" + n;
    }

    /** The key prefix of version {@code n}'s hashes: {@code doc:<name>:v<n>:}. */
    public String prefixOf(int n) {
        return "doc:" + name + ":v" + n + ":";
    }

    private String recordKey(int n) {
        return catalog + ":v" + n;
    }

    @Override
    public String name() {
        return name;
    }

    private void requireOpen() {
        if (closed) {
            throw new RagException("versioned RediSearch index '" + name + "' is closed");
        }
    }

    @Override
    public List<IndexVersion> versions() {
        requireOpen();
        Set<String> numbers = connection.call("SMEMBERS " + catalog + ":versions", c -> c.smembers(catalog + ":versions"));
        TreeMap<Integer, IndexVersion> out = new TreeMap<>();
        for (String n : numbers) {
            IndexVersion v = record(Integer.parseInt(n));
            if (v != null) {
                out.put(v.number(), v);
            }
        }
        return List.copyOf(out.values());
    }

    private IndexVersion record(int n) {
        Map<String, String> r = connection.call("HGETALL " + recordKey(n), c -> c.hgetAll(recordKey(n)));
        if (r.isEmpty()) {
            return null;
        }
        IndexInfo info = IndexInfo.fromMap(r).orElseThrow(() -> RagBackendException.permanent(RedisConnection.BACKEND,
                "the record " + recordKey(n) + " of versioned index '" + name + "' has no embedder or dimension", null));
        IndexVersion v = IndexVersion.building(n, info, Instant.parse(r.get("created")));
        if ("READY".equals(r.get("state"))) {
            v = v.ready(r.getOrDefault("fingerprint", ""), Long.parseLong(r.getOrDefault("documents", "0")),
                    Long.parseLong(r.getOrDefault("chunks", "0")));
        }
        return v;
    }

    private IndexVersion requireVersion(int n) {
        boolean member = connection.call("SISMEMBER " + catalog + ":versions",
                c -> c.sismember(catalog + ":versions", Integer.toString(n)));
        IndexVersion v = member ? record(n) : null;
        if (v == null) {
            throw new InvalidInputException("versioned index '" + name + "' has no version v" + n + " (versions: "
                    + versions().stream().map(IndexVersion::label).toList() + ")");
        }
        return v;
    }

    @Override
    public OptionalInt live() {
        requireOpen();
        Object reply;
        try {
            reply = connection.call("FT.INFO " + alias(), c -> c.sendCommand(Ft.INFO, Ft.bytes(alias())));
        } catch (RagBackendException e) {
            if (RediSearchVectorStore.unknownIndex(e)) {
                return OptionalInt.empty();
            }
            throw e;
        }
        String target = Ft.string(Ft.pairs(reply).get("index_name"));
        Matcher m = Pattern.compile(Pattern.quote("idx:" + name + ":v") + "(\\d+)").matcher(String.valueOf(target));
        if (!m.matches()) {
            throw RagBackendException.permanent(RedisConnection.BACKEND, "alias " + alias() + " points at index '" + target
                    + "', which is not a version of '" + name + "': point it at idx:" + name + ":v<N>", null);
        }
        return OptionalInt.of(Integer.parseInt(m.group(1)));
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        requireOpen();
        Objects.requireNonNull(builtWith, "builtWith");
        long n = connection.call("INCR " + catalog + ":next", c -> c.incr(catalog + ":next"));
        int number = Math.toIntExact(n);
        // The FT index first, the record after: a crash in between leaves an index no record names, never a
        // record without its index; the number is spent either way, so it is never reused.
        try (RediSearchVectorStore store = storeSettings(number, builtWith.dimension(), true).open(connection, false)) {
            store.recordIndexInfo(builtWith);
        }
        IndexVersion v = IndexVersion.building(number, builtWith, Instant.now());
        Map<String, String> record = new LinkedHashMap<>(builtWith.toMap());
        record.put("state", "BUILDING");
        record.put("created", v.created().toString());
        connection.call("MULTI (create v" + number + ")", c -> {
            try (AbstractTransaction tx = c.multi()) {
                tx.hset(recordKey(number), record);
                tx.sadd(catalog + ":versions", Integer.toString(number));
                tx.exec();
            }
            return null;
        });
        return v;
    }

    private RediSearchVectorStore.Builder storeSettings(int n, int dimension, boolean create) {
        return settings.copy().index(indexOf(n)).keyPrefix(prefixOf(n)).dimension(dimension).create(create);
    }

    @Override
    public VectorStore open(int version) {
        requireOpen();
        IndexVersion v = requireVersion(version);
        return storeSettings(version, v.builtWith().dimension(), false).build();
    }

    @Override
    public VectorStore openLive() {
        requireOpen();
        LiveVersionStore store = LiveVersionStore.open(this, this::open, liveRefresh);
        liveStores.add(store);
        return store;
    }

    /** Makes the live stores of this handle serve the new live version before a promote or rollback returns. */
    private void switchLiveStores() {
        List<LiveVersionStore> stores;
        synchronized (liveStores) {
            stores = new ArrayList<>(liveStores);
        }
        stores.forEach(LiveVersionStore::refresh);
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        requireOpen();
        IndexVersion v = requireVersion(version).ready(Objects.requireNonNull(sourceFingerprint, "sourceFingerprint"),
                documents, chunks);
        connection.call("HSET " + recordKey(version), c -> c.hset(recordKey(version), Map.of("state", "READY",
                "fingerprint", sourceFingerprint, "documents", Long.toString(documents), "chunks", Long.toString(chunks))));
        return v;
    }

    @Override
    public void promote(int version) {
        requireOpen();
        IndexVersion v = requireVersion(version);
        if (v.state() != IndexVersion.State.READY) {
            throw new InvalidInputException("version " + v.label() + " of index '" + name + "' is " + v.state()
                    + ": mark it ready (markReady) before promoting it");
        }
        awaitIndexed(version);
        OptionalInt before = live();
        connection.call("FT.ALIASUPDATE " + alias(), c -> {
            // The alias move and the history entry in one transaction: a crash leaves both or neither.
            try (AbstractTransaction tx = c.multi()) {
                tx.sendCommand(Ft.ALIASUPDATE, Ft.bytes(alias()), Ft.bytes(indexOf(version)));
                if (before.isPresent() && before.getAsInt() != version) {
                    tx.rpush(catalog + ":history", Integer.toString(before.getAsInt()));
                }
                checkResults(tx.exec());
            }
            return null;
        });
        switchLiveStores();
    }

    private static void checkResults(List<Object> results) {
        if (results == null) {
            throw new RagBackendException(RedisConnection.BACKEND, true, "a catalog transaction was aborted by Redis", null);
        }
        for (Object r : results) {
            if (r instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    /**
     * Waits until {@code FT.INFO} says the version's index has indexed every hash it covers: an index
     * created over existing hashes fills in the background, and a query meanwhile finds only part of them.
     */
    private void awaitIndexed(int version) {
        long deadline = System.nanoTime() + indexingTimeout.toNanos();
        while (true) {
            Map<String, Object> info = Ft.pairs(connection.call("FT.INFO " + indexOf(version),
                    c -> c.sendCommand(Ft.INFO, Ft.bytes(indexOf(version)))));
            String indexing = Ft.string(info.get("indexing"));
            if (indexing == null || indexing.equals("0")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw RagBackendException.retriable(RedisConnection.BACKEND, "version v" + version + " of index '" + name
                        + "' is still indexing (" + Ft.string(info.get("percent_indexed")) + " done after "
                        + indexingTimeout.toSeconds() + " s): promote it once FT.INFO " + indexOf(version)
                        + " says indexing 0", null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RagBackendException.retriable(RedisConnection.BACKEND, "interrupted while waiting for "
                        + indexOf(version) + " to finish indexing", e);
            }
        }
    }

    @Override
    public int rollback() {
        requireOpen();
        while (true) {
            String previous = connection.call("LINDEX " + catalog + ":history", c -> c.lindex(catalog + ":history", -1));
            if (previous == null) {
                throw new RagException("cannot roll back index '" + name + "': no earlier live version is left"
                        + " (promote a version instead)");
            }
            int target = Integer.parseInt(previous);
            boolean exists = connection.call("SISMEMBER " + catalog + ":versions",
                    c -> c.sismember(catalog + ":versions", previous));
            if (!exists) {
                // Dropped since it was live: it cannot come back, so the next one down the history is tried.
                connection.call("RPOP " + catalog + ":history", c -> c.rpop(catalog + ":history"));
                continue;
            }
            connection.call("FT.ALIASUPDATE " + alias(), c -> {
                try (AbstractTransaction tx = c.multi()) {
                    tx.sendCommand(Ft.ALIASUPDATE, Ft.bytes(alias()), Ft.bytes(indexOf(target)));
                    tx.rpop(catalog + ":history");
                    checkResults(tx.exec());
                }
                return null;
            });
            switchLiveStores();
            return target;
        }
    }

    @Override
    public void drop(int version) {
        requireOpen();
        requireVersion(version);
        OptionalInt live = live();
        if (live.isPresent() && live.getAsInt() == version) {
            throw new InvalidInputException("version v" + version + " of index '" + name + "' is live: promote another"
                    + " version before dropping it");
        }
        connection.call("FT.DROPINDEX " + indexOf(version) + " DD", c -> c.sendCommand(Ft.DROPINDEX,
                Ft.bytes(indexOf(version)), Ft.bytes("DD")));
        connection.call("MULTI (drop v" + version + ")", c -> {
            try (AbstractTransaction tx = c.multi()) {
                tx.srem(catalog + ":versions", Integer.toString(version));
                tx.del(recordKey(version));
                tx.del("ragkit:info:" + indexOf(version));
                tx.lrem(catalog + ":history", 0, Integer.toString(version));
                tx.exec();
            }
            return null;
        });
    }

    @Override
    public Map<String, String> properties() {
        requireOpen();
        return Map.copyOf(connection.call("HGETALL " + catalog + ":properties", c -> c.hgetAll(catalog + ":properties")));
    }

    @Override
    public void putProperties(Map<String, String> changes) {
        requireOpen();
        Objects.requireNonNull(changes, "changes");
        for (String key : changes.keySet()) {
            if (key == null || !PROPERTY_KEY.matcher(key).matches()) {
                throw new InvalidInputException("property key '" + key + "' must match " + PROPERTY_KEY.pattern());
            }
        }
        Map<String, String> set = new TreeMap<>();
        Collection<String> removed = new TreeSet<>();
        changes.forEach((k, v) -> {
            if (v == null) {
                removed.add(k);
            } else {
                set.put(k, v);
            }
        });
        if (changes.isEmpty()) {
            return;
        }
        connection.call("HSET " + catalog + ":properties", c -> {
            try (AbstractTransaction tx = c.multi()) {
                if (!set.isEmpty()) {
                    tx.hset(catalog + ":properties", set);
                }
                if (!removed.isEmpty()) {
                    tx.hdel(catalog + ":properties", removed.toArray(new String[0]));
                }
                tx.exec();
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            connection.close();
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(alias());
        parts.add(connection.where());
        return "RediSearchVersionedIndex" + parts;
    }
}
