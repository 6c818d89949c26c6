package dev.ragkit.core.store;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A {@link VersionedIndex} for stores kept in a local directory (the memory and FAISS stores, and any
 * store built on {@link StoreDirectory}): one implementation of versions, alias and crash safety that
 * such a store's provider hands out from {@link dev.ragkit.core.spi.VectorStoreProvider#versioned}.
 *
 * <p>Layout of the root directory:
 * <pre>
 * ragkit-index.properties   the catalog: live version, earlier live versions, every version's record,
 *                           the properties; ends with its own CRC32C
 * ragkit-index.lock         held while the catalog is changed, so changes from processes serialise
 * v1/ v2/ ...               one ordinary store directory per version, opened by the store's factory
 * </pre>
 * The catalog is the only commit point: every change writes a new catalog to a temporary file, forces
 * it to disk, renames it over the old one and forces the directory. A crash at any moment leaves the
 * old catalog or the new one, so exactly one version is live, and it is a version that was
 * {@link IndexVersion.State#READY READY} when promoted. Version directories are created before the
 * catalog names them and deleted after the catalog stops naming them, so a crash leaves at most an
 * unnamed directory, which is never served, and whose number is skipped (numbers are never reused).
 * A damaged catalog fails every call with a {@link StoreDamagedException} naming it; nothing is
 * deleted or rewritten to "repair" it.
 *
 * <p>A plain store directory (a store's manifest at the root, written before versions were used) is
 * not a versioned index: {@link #isVersioned} is false and hosts keep opening it as a plain store.
 * The first {@link #create} on it adopts it as {@code v1}, live and ready, and creates {@code v2}
 * beside it, so the existing index keeps serving and stays available for rollback. Adoption moves
 * the store's files into {@code v1/} by renames (no copy) while holding the store's writer lock, so it
 * refuses while a host has the plain store open for writing; a marker file makes an interrupted
 * adoption finish when the index is next opened, and no file is ever deleted. Hosts that had the
 * plain directory open read-only must be restarted to serve the versioned index.
 *
 * <p>Serving. {@link #openLive()} returns a {@link LiveVersionStore} that follows the alias, checking
 * the catalog at most once per {@linkplain Builder#refreshInterval refresh interval} (a cheap file
 * stat; the file is read again only when it was replaced) and switching at once after a promote or
 * rollback through this handle.
 */
public final class DirectoryVersionedIndex implements VersionedIndex {
    /** The catalog's file name in the root directory. */
    public static final String CATALOG = "ragkit-index.properties";
    /** The lock taken while the catalog changes. */
    public static final String LOCK = "ragkit-index.lock";
    /** How often, by default, a live store checks whether another process moved the alias. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);
    private static final String ADOPTING = "ragkit-index.adopting";
    private static final String ADOPTING_DIR = "v1.adopting";
    private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]{0,8})");
    /** Locks of this JVM by root: a file lock is per process, so threads and handles of one JVM queue here. */
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DirectoryVersionedIndex.class);

    private final Path root;
    private final String name;
    private final String storeKind;
    private final StoreFactory readWrite;
    private final StoreFactory readOnly;
    private final boolean serveReadOnly;
    private final Duration refresh;
    private final Clock clock;
    private final Set<LiveVersionStore> liveStores = ConcurrentHashMap.newKeySet();
    private volatile Cached cached;
    private volatile boolean closed;

    private record Cached(Object fileKey, FileTime modified, long size, IndexCatalog catalog) {
    }

    private DirectoryVersionedIndex(Builder b) {
        this.root = b.root.toAbsolutePath().normalize();
        this.name = b.name != null ? b.name : String.valueOf(root.getFileName());
        this.storeKind = b.storeKind;
        this.readWrite = b.readWrite;
        this.readOnly = b.readOnly;
        this.serveReadOnly = b.serveReadOnly;
        this.refresh = b.refresh;
        this.clock = b.clock;
    }

    /** Opens one version's store directory, with the dimension of the embedder that builds or built it. */
    @FunctionalInterface
    public interface StoreFactory {
        /**
         * @param directory the version's directory ({@code v3/}), empty for a new version
         * @param dimension the version's vector dimension, from its {@link IndexVersion#builtWith()}
         */
        VectorStore open(Path directory, int dimension);
    }

    /** Starts a builder for the versioned index rooted at {@code root} (created on the first {@link #create}). */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Settings of a {@link DirectoryVersionedIndex}. */
    public static final class Builder {
        private final Path root;
        private String name;
        private String storeKind;
        private StoreFactory readWrite;
        private StoreFactory readOnly;
        private boolean serveReadOnly;
        private Duration refresh = DEFAULT_REFRESH;
        private Clock clock = Clock.systemUTC();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The index's name; the root directory's name by default. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The store kind and how to open one version's directory for writing (required), e.g.
         * {@code (dir, dimension) -> MemoryVectorStore.builder().dimension(dimension).directory(dir).build()}. The kind is
         * recorded in the catalog, so another kind of store cannot open the index by mistake.
         */
        public Builder store(String storeKind, StoreFactory readWrite) {
            this.storeKind = Objects.requireNonNull(storeKind, "storeKind");
            this.readWrite = Objects.requireNonNull(readWrite, "readWrite");
            return this;
        }

        /** How to open one version's directory without writing anything (for {@link #openReadOnly}). */
        public Builder readOnlyStore(StoreFactory readOnly) {
            this.readOnly = Objects.requireNonNull(readOnly, "readOnly");
            return this;
        }

        /**
         * Whether {@link #openLive()} opens versions read-only (default false: read-write, so writes
         * through it reach the live version). Read-only serving takes no lock, so several hosts can
         * serve one index. Needs {@link #readOnlyStore}.
         */
        public Builder serveReadOnly(boolean serveReadOnly) {
            this.serveReadOnly = serveReadOnly;
            return this;
        }

        /**
         * How often, at most, a live store checks whether another process moved the alias (default
         * {@link #DEFAULT_REFRESH}); a promote elsewhere is served within this delay of the next call.
         */
        public Builder refreshInterval(Duration refresh) {
            if (refresh.isNegative()) {
                throw new IllegalArgumentException("refresh interval was " + refresh + " but it must be >= 0");
            }
            this.refresh = refresh;
            return this;
        }

        /** The clock for versions' creation times (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the handle; it creates nothing, except that it finishes an adoption that a crash
         * interrupted.
         */
        public DirectoryVersionedIndex build() {
            if (readWrite == null) {
                throw new IllegalStateException("DirectoryVersionedIndex needs store(kind, factory)");
            }
            if (serveReadOnly && readOnly == null) {
                throw new IllegalStateException("serveReadOnly needs readOnlyStore(factory)");
            }
            DirectoryVersionedIndex index = new DirectoryVersionedIndex(this);
            if (Files.exists(index.root.resolve(ADOPTING))) {
                index.mutate(catalog -> catalog);
            }
            return index;
        }
    }

    /**
     * Whether {@code directory} is the root of a versioned index (it has a catalog, or an adoption in
     * progress), rather than a plain store directory or nothing.
     */
    public static boolean isVersioned(Path directory) {
        return Files.exists(directory.resolve(CATALOG)) || Files.exists(directory.resolve(ADOPTING));
    }

    /** The root directory (absolute). */
    public Path root() {
        return root;
    }

    /** The directory of version {@code number} (which may not exist). */
    public Path versionDirectory(int number) {
        return root.resolve("v" + number);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<IndexVersion> versions() {
        return List.copyOf(read().versions.values());
    }

    @Override
    public OptionalInt live() {
        int live = read().live;
        return live == 0 ? OptionalInt.empty() : OptionalInt.of(live);
    }

    /** The versions that were live before the live one, oldest first: where {@link #rollback} goes, last first. */
    public List<Integer> history() {
        return read().history;
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        Objects.requireNonNull(builtWith, "builtWith");
        IndexVersion[] created = new IndexVersion[1];
        mutate(catalog -> {
            IndexCatalog base = catalog;
            if (base.versions.isEmpty() && base.highest == 0 && Files.exists(root.resolve(StoreDirectory.MANIFEST))) {
                base = adopt();
            }
            int number = base.highest + 1;
            // An unnamed directory is left by a crash between its creation and the catalog write, or by an
            // interrupted drop: reuse an empty one, skip any other (never delete what the catalog does not name).
            while (Files.exists(versionDirectory(number)) && !isEmptyDirectory(versionDirectory(number))) {
                number++;
            }
            try {
                Files.createDirectories(versionDirectory(number));
                StoreDirectory.forceDirectory(root);
            } catch (IOException e) {
                throw backend("cannot create " + versionDirectory(number), e);
            }
            created[0] = IndexVersion.building(number, builtWith, clock.instant());
            return base.withVersion(created[0]);
        });
        LOG.info("Index '{}': created {} (building) in {}, built with {}", name, created[0].label(),
                versionDirectory(created[0].number()), builtWith.describeEmbedder());
        return created[0];
    }

    @Override
    public VectorStore open(int version) {
        IndexVersion v = require(read(), version);
        if (v.state() == IndexVersion.State.READY) {
            requireData(v);
        }
        return readWrite.open(versionDirectory(version), v.builtWith().dimension());
    }

    /**
     * A read-only store over one version, writing nothing (not even a lock), so it works beside a writer
     * or a host serving that version; the caller closes it.
     *
     * @throws IllegalStateException when the builder was given no {@link Builder#readOnlyStore} factory
     * @throws InvalidInputException when no such version exists
     */
    public VectorStore openReadOnly(int version) {
        if (readOnly == null) {
            throw new IllegalStateException("index '" + name + "' was built without a read-only store factory");
        }
        IndexVersion v = require(read(), version);
        requireData(v);
        return readOnly.open(versionDirectory(version), v.builtWith().dimension());
    }

    @Override
    public LiveVersionStore openLive() {
        return LiveVersionStore.open(this, this::openForServing, refresh);
    }

    private VectorStore openForServing(int version) {
        IndexVersion v = require(read(), version);
        requireData(v);
        return (serveReadOnly ? readOnly : readWrite).open(versionDirectory(version), v.builtWith().dimension());
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
        IndexVersion[] ready = new IndexVersion[1];
        mutate(catalog -> {
            ready[0] = require(catalog, version).ready(sourceFingerprint, documents, chunks);
            return catalog.withVersion(ready[0]);
        });
        LOG.info("Index '{}': {} is ready ({} documents, {} chunks, source {})", name, ready[0].label(), documents,
                chunks, sourceFingerprint);
        return ready[0];
    }

    @Override
    public void promote(int version) {
        int[] before = new int[1];
        mutate(catalog -> {
            IndexVersion v = require(catalog, version);
            if (v.state() != IndexVersion.State.READY) {
                throw new InvalidInputException("index '" + name + "' cannot promote " + v.label()
                        + ": it is still BUILDING; mark it ready when its build is complete");
            }
            requireData(v);
            before[0] = catalog.live;
            if (catalog.live == version) {
                return catalog;
            }
            List<Integer> history = new ArrayList<>(catalog.history);
            if (catalog.live != 0) {
                history.add(catalog.live);
            }
            return catalog.withLive(version, history);
        });
        LOG.info("Index '{}': promoted v{} to live (was {})", name, version, before[0] == 0 ? "none" : "v" + before[0]);
        switchLiveStores();
    }

    @Override
    public int rollback() {
        int[] moved = new int[2];
        mutate(catalog -> {
            if (catalog.history.isEmpty()) {
                throw new RagException("index '" + name + "' has no earlier live version to roll back to (live: "
                        + (catalog.live == 0 ? "none" : "v" + catalog.live) + "; versions "
                        + labels(catalog.versions.keySet()) + "); promote a ready version instead");
            }
            List<Integer> history = new ArrayList<>(catalog.history);
            int previous = history.remove(history.size() - 1);
            requireData(require(catalog, previous));
            moved[0] = catalog.live;
            moved[1] = previous;
            return catalog.withLive(previous, history);
        });
        LOG.info("Index '{}': rolled back from v{} to v{}", name, moved[0], moved[1]);
        switchLiveStores();
        return moved[1];
    }

    @Override
    public void drop(int version) {
        mutate(catalog -> {
            IndexVersion v = require(catalog, version);
            if (catalog.live == version) {
                throw new InvalidInputException("index '" + name + "' cannot drop " + v.label()
                        + ": it is the live version; promote another version first");
            }
            requireNotOpenForWriting(v);
            return catalog.withoutVersion(version);
        });
        // The catalog no longer names it: from here on the directory is a leftover, whatever happens.
        deleteTree(versionDirectory(version));
        LOG.info("Index '{}': dropped v{}", name, version);
    }

    @Override
    public Map<String, String> properties() {
        return read().properties;
    }

    @Override
    public void putProperties(Map<String, String> changes) {
        for (String key : changes.keySet()) {
            if (key == null || !IndexCatalog.PROPERTY_KEY.matcher(key).matches()) {
                throw new InvalidInputException("index property key was '" + key + "' but it must match [a-z0-9.-]+");
            }
        }
        Map<String, String> copy = new HashMap<>(changes);
        mutate(catalog -> {
            Map<String, String> next = new TreeMap<>(catalog.properties);
            copy.forEach((k, v) -> {
                if (v == null) {
                    next.remove(k);
                } else {
                    next.put(k, v);
                }
            });
            return catalog.withProperties(next);
        });
    }

    /** Marks the handle closed; stores it opened, live ones included, stay open until their callers close them. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "DirectoryVersionedIndex[" + name + " at " + root + ", store " + storeKind + "]";
    }

    void register(LiveVersionStore store) {
        liveStores.add(store);
    }

    void unregister(LiveVersionStore store) {
        liveStores.remove(store);
    }

    private void switchLiveStores() {
        for (LiveVersionStore store : liveStores) {
            store.refresh();
        }
    }

    // ---- the catalog ----

    /** The catalog as on disk now (re-read only when the file was replaced since the last read). */
    private IndexCatalog read() {
        Path file = root.resolve(CATALOG);
        for (int attempt = 0; ; attempt++) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                Cached c = cached;
                if (c != null && attrs.fileKey() != null && attrs.fileKey().equals(c.fileKey)
                        && attrs.lastModifiedTime().equals(c.modified) && attrs.size() == c.size) {
                    return c.catalog;
                }
                IndexCatalog catalog = IndexCatalog.decode(file, Files.readAllBytes(file), storeKind);
                cached = new Cached(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), catalog);
                return catalog;
            } catch (NoSuchFileException e) {
                if (Files.exists(file) && attempt < 3) {
                    continue; // replaced between the stat and the read
                }
                return withoutCatalog();
            } catch (IOException e) {
                throw backend("cannot read the catalog " + file, e);
            }
        }
    }

    /** A root without catalog: nothing yet, or a plain store (no versions yet), but never lost version data. */
    private IndexCatalog withoutCatalog() {
        if (Files.exists(root.resolve(ADOPTING))) {
            throw new RagException("index '" + name + "' in " + root + " is being adopted from a plain store (or an"
                    + " adoption was interrupted): open the index again to finish it");
        }
        List<String> versionsWithData = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path p : entries) {
                    if (VERSION_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)
                            && !isEmptyDirectory(p)) {
                        versionsWithData.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw backend("cannot list " + root, e);
            }
        }
        if (!versionsWithData.isEmpty()) {
            versionsWithData.sort(null);
            throw new StoreDamagedException(root.resolve(CATALOG), "is missing but the directory holds version"
                    + " directories " + versionsWithData + ". Nothing was changed or deleted. The catalog names the"
                    + " live version: restore it from a backup, or move the version directories aside", null);
        }
        return IndexCatalog.empty(storeKind);
    }

    /**
     * Applies {@code change} to the catalog as on disk, under the JVM lock and the file lock, and writes
     * the result atomically when it differs. The change may throw to refuse; nothing is written then.
     */
    private void mutate(java.util.function.UnaryOperator<IndexCatalog> change) {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                // An adoption that a crash interrupted is finished first, whatever the change.
                IndexCatalog before = Files.exists(root.resolve(ADOPTING)) ? adopt() : read();
                IndexCatalog after = change.apply(before);
                if (after != before) {
                    write(after.withStamp(Math.max(before.stamp, after.stamp) + 1));
                }
            }
        } catch (IOException e) {
            throw backend("cannot change the catalog in " + root, e);
        } finally {
            jvmLock.unlock();
        }
    }

    private void write(IndexCatalog catalog) throws IOException {
        Path file = root.resolve(CATALOG);
        Path temp = root.resolve(CATALOG + ".tmp");
        StoreDirectory.writeDurably(temp, catalog.encode(name));
        StoreDirectory.moveAtomically(temp, file);
        StoreDirectory.forceDirectory(root);
        cached = null;
    }

    private IndexVersion require(IndexCatalog catalog, int version) {
        IndexVersion v = catalog.versions.get(version);
        if (v == null) {
            throw new InvalidInputException("index '" + name + "' has no version v" + version + "; it has "
                    + labels(catalog.versions.keySet()));
        }
        return v;
    }

    /** A ready version's directory must hold its store: serving an empty directory would answer with nothing. */
    private void requireData(IndexVersion v) {
        Path dir = versionDirectory(v.number());
        if (v.state() == IndexVersion.State.READY && (!Files.isDirectory(dir) || isEmptyDirectory(dir))) {
            throw new StoreDamagedException(dir, "is missing or empty but the catalog records " + v.label()
                    + " as ready. Nothing was changed. Restore the directory from a backup, or promote another"
                    + " version", null);
        }
    }

    /** Refuses to drop a version whose store a writer holds (its lock file is locked). */
    private void requireNotOpenForWriting(IndexVersion v) {
        Path lock = versionDirectory(v.number()).resolve(StoreDirectory.LOCK);
        if (!Files.exists(lock)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new InvalidInputException("index '" + name + "' cannot drop " + v.label()
                        + ": a store has it open for writing (in this or another process); close that store first");
            }
            held.release();
        } catch (IOException e) {
            throw backend("cannot check whether " + v.label() + " is open", e);
        }
    }

    // ---- adopting a plain store as v1 ----

    /**
     * Moves a plain store's files into {@code v1/} and records it as live and ready; resumes an
     * interrupted adoption. Runs under the catalog lock. Returns the catalog to write.
     */
    private IndexCatalog adopt() {
        Path marker = root.resolve(ADOPTING);
        Path staging = root.resolve(ADOPTING_DIR);
        Path v1 = versionDirectory(1);
        Path storeLock = root.resolve(StoreDirectory.LOCK);
        try (FileChannel channel = FileChannel.open(storeLock, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new RagConfigurationException("the " + storeKind + " store in " + root + " is open for writing"
                        + " (in this or another process), so it cannot become v1 of a versioned index now; stop the"
                        + " host that writes to it (or open it read-only there) and try again");
            }
            try {
                if (!Files.exists(marker)) {
                    StoreDirectory.writeDurably(marker, ("adopting the plain store of " + root + " as v1\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    StoreDirectory.forceDirectory(root);
                }
                if (!Files.exists(v1)) {
                    Files.createDirectories(staging);
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                        for (Path p : entries) {
                            String n = p.getFileName().toString();
                            if (n.equals(LOCK) || n.equals(ADOPTING) || n.equals(ADOPTING_DIR)
                                    || n.equals(StoreDirectory.LOCK) || n.startsWith(CATALOG)) {
                                continue;
                            }
                            StoreDirectory.moveAtomically(p, staging.resolve(n));
                        }
                    }
                    StoreDirectory.forceDirectory(staging);
                    StoreDirectory.moveAtomically(staging, v1);
                    StoreDirectory.forceDirectory(root);
                }
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw backend("cannot adopt the plain store in " + root + " as v1 (rerun to resume; nothing was deleted)", e);
        }
        IndexVersion adopted;
        int dimension = storedDimension(v1.resolve(StoreDirectory.MANIFEST));
        try (VectorStore store = (readOnly != null ? readOnly : readWrite).open(v1, dimension)) {
            IndexInfo info = store.indexInfo().orElse(new IndexInfo("unknown", store.dimension(), ""));
            adopted = IndexVersion.building(1, info, clock.instant()).ready("adopted", 0, store.count());
        }
        IndexCatalog catalog = IndexCatalog.empty(storeKind).withVersion(adopted).withLive(1, List.of());
        try {
            write(catalog.withStamp(1));
            Files.deleteIfExists(marker);
            Files.deleteIfExists(storeLock);
            StoreDirectory.forceDirectory(root);
        } catch (IOException e) {
            throw backend("cannot record the adopted store as v1 in " + root, e);
        }
        LOG.info("Index '{}': adopted the plain {} store in {} as v1 ({} chunks), now live", name, storeKind, root,
                adopted.chunks());
        return catalog.withStamp(1);
    }

    /** The dimension a store manifest records ({@code setting.dimension}); the store's own open checks the rest. */
    private int storedDimension(Path manifest) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader in = Files.newBufferedReader(manifest)) {
            p.load(in);
            return Integer.parseInt(p.getProperty("setting.dimension", "").trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreDamagedException(manifest, "records no vector dimension, so the adopted store cannot be"
                    + " opened as v1. Nothing was deleted; its files are in " + manifest.getParent(), e);
        }
    }

    // ---- helpers ----

    private static String labels(Set<Integer> numbers) {
        List<String> labels = new ArrayList<>();
        new TreeSet<>(numbers).forEach(n -> labels.add("v" + n));
        return labels.toString();
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The catalog no longer names it, so it is never served; only its space is not reclaimed.
            LOG.warn("Index '{}': dropped {} but could not delete all of it ({}); remove it by hand", name, dir,
                    e.toString());
        }
    }

    private RagBackendException backend(String message, IOException e) {
        return RagBackendException.permanent(storeKind, message + ": " + e, e);
    }
}
