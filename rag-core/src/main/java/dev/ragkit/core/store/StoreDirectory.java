package dev.ragkit.core.store;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The files of an embedded store that persists in a local directory: one durability mechanism for
 * every such store (the memory and FAISS stores, and any future one), so that checksums, crash safety
 * and the refusal to touch what it cannot account for are made once.
 *
 * <p>Layout. A <em>generation</em> is a snapshot: data files named {@code <name>-<g>.<ext>}, each
 * written to a temporary file, forced to disk and renamed, and a journal {@code journal-<g>.log} of
 * the writes made since (see {@link StoreJournal}). The manifest {@value #MANIFEST} names the
 * current generation, the store kind, the store's settings and each data file's size and CRC32C; it
 * carries its own checksum and is replaced atomically, which is the commit point. A crash at any
 * moment leaves the previous generation intact.
 *
 * <p>Opening. Every data file's size and checksum is verified on open (one sequential read of each,
 * about 1 s per GB on an ordinary disk), and the journal is read to its end; damage fails with a
 * {@link StoreDamagedException} that names the file. An open never deletes, truncates or rewrites a
 * file: superseded generations are removed after the next commit, and a journal's torn tail is cut
 * just before the next append. A directory that holds data files but no manifest, another store
 * kind's files, or files of no store is refused, naming what it found.
 *
 * <p>Modes. {@link Mode#READ_WRITE} creates the directory when absent and takes an exclusive lock
 * ({@value #LOCK}) so a second writer fails fast. {@link Mode#READ_ONLY} writes nothing at all (no
 * lock file, no directory), so readers can open the last committed generation while a writer runs,
 * seeing the writer's journal up to its last whole record; a reader that loses a race with the
 * writer's clean-up retries on the new generation.
 */
public final class StoreDirectory implements AutoCloseable {
    /** Version of the layout and of the files' binary formats; bumped on any incompatible change. */
    public static final int FORMAT_VERSION = 2;
    /** The manifest's file name. */
    public static final String MANIFEST = "ragkit-store.properties";
    /** The writer's lock file name. */
    public static final String LOCK = "ragkit-store.lock";
    private static final String JOURNAL = "journal";
    private static final String CHECKSUM_KEY = "checksum.crc32c";
    private static final Pattern GENERATION_FILE = Pattern.compile("([a-z][a-z0-9]*)-(\\d+)\\.([a-z0-9]+)(\\.tmp)?");
    private static final Pattern FILE_NAME = Pattern.compile("[a-z][a-z0-9]*");
    /** Files of the formats before this one, recognised to say so rather than call them foreign. */
    private static final Set<String> EARLIER_FORMAT_FILES = Set.of("faiss-store.properties", "faiss-store.lock",
            "snapshot.bin", "journal.bin", "lock");
    private static final int READ_ONLY_ATTEMPTS = 5;

    /** Whether the directory may be written. */
    public enum Mode {
        /** Creates the directory when absent, locks it, and allows commits and journal appends. */
        READ_WRITE,
        /** Reads the last committed generation; writes nothing, takes no lock. */
        READ_ONLY
    }

    /** Writes one data file of a snapshot to the (temporary) path given. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * One data file of a snapshot.
     *
     * @param name a lowercase word, the file's key in the manifest, e.g. {@code chunks}
     * @param extension the file name's extension, e.g. {@code bin}
     */
    public record SnapshotFile(String name, String extension, FileWriter writer) {
        public SnapshotFile {
            if (!FILE_NAME.matcher(name).matches() || name.equals(JOURNAL)
                    || !FILE_NAME.matcher(extension).matches()) {
                throw new IllegalArgumentException("snapshot file name '" + name + "' and extension '" + extension
                        + "' must be lowercase words (and the name not 'journal')");
            }
        }
    }

    /**
     * A committed generation as read on open: its checked data files and the writes of its journal.
     * Generation 0 of a new directory has no data files.
     */
    public static final class Generation {
        private final long number;
        private final Map<String, String> settings;
        private final Map<String, String> info;
        private final Map<String, Path> files;
        private final List<byte[]> journal;

        Generation(long number, Map<String, String> settings, Map<String, String> info, Map<String, Path> files,
                   List<byte[]> journal) {
            this.number = number;
            this.settings = Map.copyOf(settings);
            this.info = Map.copyOf(info);
            this.files = Map.copyOf(files);
            this.journal = List.copyOf(journal);
        }

        /** The generation's number, 0 for a new store. */
        public long number() {
            return number;
        }

        /** The store's settings as recorded when the generation was committed. */
        public Map<String, String> settings() {
            return settings;
        }

        /**
         * What built the index as of the snapshot ({@link dev.ragkit.core.model.IndexInfo#toMap()}); the
         * journal may hold a newer {@link StoreWrite.Info}.
         */
        public Map<String, String> info() {
            return info;
        }

        /** Whether the generation has data files (generation 0 has none). */
        public boolean hasSnapshot() {
            return !files.isEmpty();
        }

        /**
         * The checked data file of that name.
         *
         * @throws IllegalStateException when the generation has no such file
         */
        public Path file(String name) {
            Path path = files.get(name);
            if (path == null) {
                throw new IllegalStateException("generation " + number + " has no data file '" + name + "'; it has "
                        + new TreeSet<>(files.keySet()));
            }
            return path;
        }

        /** The journal's records, oldest first: the writes made since this generation's snapshot. */
        public List<byte[]> journal() {
            return journal;
        }
    }

    /** Loads a generation into a store; called again on a fresh generation when a read-only open races a writer. */
    @FunctionalInterface
    public interface Loader {
        void load(Generation generation);
    }

    private final Path directory;
    private final String storeKind;
    private final Mode mode;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** The committed generation; -1 until a new directory's generation 0 is committed. */
    private long generation = -1;
    private StoreJournal journal;
    private boolean closed;

    private StoreDirectory(Path directory, String storeKind, Mode mode, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.storeKind = storeKind;
        this.mode = mode;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the store directory and hands its current generation to {@code loader}.
     *
     * @param storeKind the store's name, recorded in the manifest; a directory of another kind is refused
     * @param initialSettings recorded in generation 0 when a {@link Mode#READ_WRITE} open creates the store
     * @throws RagConfigurationException when the directory is locked by another writer, holds another
     *     kind of store, a store of an earlier format, or files of no store; or, read-only, holds no store
     * @throws StoreDamagedException when a file is damaged or missing (nothing is changed)
     */
    public static StoreDirectory open(Path directory, String storeKind, Mode mode, Map<String, String> initialSettings,
                                      Loader loader) {
        Path dir = directory.toAbsolutePath().normalize();
        if (mode == Mode.READ_ONLY) {
            if (!Files.isDirectory(dir)) {
                throw new RagConfigurationException("there is no " + storeKind + " store at " + dir
                        + " (a read-only open creates nothing)");
            }
            StoreDirectory opened = new StoreDirectory(dir, storeKind, mode, null, null);
            opened.loadReadOnly(loader);
            return opened;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new RagConfigurationException(storeKind + " store directory " + dir
                        + " is already open for writing in another store (in this or another process); close that"
                        + " one first, or open this one read-only");
            }
            StoreDirectory opened = new StoreDirectory(dir, storeKind, mode, channel, lock);
            try {
                opened.loadForWriting(initialSettings, loader);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (IOException e) {
            closeQuietly(channel);
            throw RagBackendException.permanent(storeKind, "cannot open the store directory " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            if (channel != null && channel.isOpen()) {
                closeQuietly(channel);
            }
            throw e;
        }
    }

    private void loadForWriting(Map<String, String> initialSettings, Loader loader) throws IOException {
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            refuseUnaccountedFiles();
            // The store checks its settings first (e.g. FAISS rejects a factory string), so a failed open
            // leaves no manifest recording settings that never worked.
            loader.load(new Generation(0, initialSettings, Map.of(), Map.of(), List.of()));
            commit(initialSettings, Map.of(), List.of()); // generation 0: the directory is a store from now on
            return;
        }
        Manifest m = readManifest(manifest);
        StoreJournal.Contents contents = readJournal(m);
        Map<String, Path> files = verifyFiles(m);
        loader.load(new Generation(m.generation, m.settings, m.info, files, contents.records()));
        generation = m.generation;
        journal = StoreJournal.openForAppend(journalPath(generation), contents);
    }

    private void loadReadOnly(Loader loader) {
        Path manifest = directory.resolve(MANIFEST);
        for (int attempt = 1; ; attempt++) {
            long seen = -1;
            try {
                if (!Files.exists(manifest)) {
                    refuseUnaccountedFiles();
                    throw new RagConfigurationException(directory + " holds no " + storeKind
                            + " store yet: write to it first (a read-only open creates nothing)");
                }
                Manifest m = readManifest(manifest);
                seen = m.generation;
                StoreJournal.Contents contents = readJournal(m);
                Map<String, Path> files = verifyFiles(m);
                loader.load(new Generation(m.generation, m.settings, m.info, files, contents.records()));
                generation = m.generation;
                return;
            } catch (IOException | RuntimeException e) {
                // A writer may have committed a newer generation and removed this one's files meanwhile.
                if (attempt < READ_ONLY_ATTEMPTS && seen >= 0 && committedGeneration() != seen) {
                    continue;
                }
                if (e instanceof IOException io) {
                    throw RagBackendException.permanent(storeKind, "cannot read the store in " + directory + ": " + io, io);
                }
                throw (RuntimeException) e;
            }
        }
    }

    /** The generation the manifest names now, or -1 when it cannot be read. */
    private long committedGeneration() {
        try {
            return readManifest(directory.resolve(MANIFEST)).generation;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The store's directory (absolute). */
    public Path directory() {
        return directory;
    }

    /**
     * Appends one write to the current generation's journal and forces it to disk.
     *
     * @throws IllegalStateException when the directory is read-only
     */
    public void append(StoreWrite write) {
        requireWritable();
        journal.append(write.encode());
    }

    /** Bytes in the current journal beyond its header: the writes a {@link #commit} would fold into a snapshot. */
    public long journalBytes() {
        return journal == null ? 0 : journal.bytes() - StoreJournal.HEADER_BYTES;
    }

    /**
     * Writes generation {@code generation() + 1} from {@code files} and the index's {@code info}, with an
     * empty journal, and commits it
     * by replacing the manifest; then removes the superseded generation's files. On failure the current
     * generation stays current and the error is thrown.
     */
    public void commit(Map<String, String> newSettings, Map<String, String> info, List<SnapshotFile> files) {
        requireWritable();
        long next = generation + 1;
        List<Path> written = new ArrayList<>();
        Manifest manifest = new Manifest(storeKind, next, newSettings, info, new LinkedHashMap<>());
        try {
            for (SnapshotFile f : files) {
                Path target = directory.resolve(f.name() + "-" + next + "." + f.extension());
                Path temp = directory.resolve(target.getFileName() + ".tmp");
                Files.deleteIfExists(temp);
                written.add(temp);
                f.writer().write(temp);
                force(temp);
                long bytes = Files.size(temp);
                long crc = checksum(temp);
                moveAtomically(temp, target);
                written.add(target);
                manifest.files.put(f.name(), new FileEntry(target.getFileName().toString(), bytes, crc));
            }
            Path journalFile = journalPath(next);
            Path journalTemp = directory.resolve(journalFile.getFileName() + ".tmp");
            written.add(journalTemp);
            writeDurably(journalTemp, StoreJournal.header(next));
            moveAtomically(journalTemp, journalFile);
            written.add(journalFile);
            Path manifestTemp = directory.resolve(MANIFEST + ".tmp");
            written.add(manifestTemp);
            writeDurably(manifestTemp, manifest.bytes());
            moveAtomically(manifestTemp, directory.resolve(MANIFEST));
            forceDirectory();
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                deleteQuietly(p); // only files this commit created; the manifest still names the old ones
            }
            throw RagBackendException.permanent(storeKind, "cannot write a snapshot of the store in " + directory
                    + "; the previous one is kept: " + e, e);
        }
        // Committed: from here on, the new generation is the store.
        if (journal != null) {
            journal.close();
        }
        try {
            journal = StoreJournal.openForAppend(journalPath(next),
                    new StoreJournal.Contents(List.of(), StoreJournal.HEADER_BYTES, StoreJournal.HEADER_BYTES));
        } catch (IOException e) {
            journal = null;
            throw RagBackendException.permanent(storeKind, "committed generation " + next + " in " + directory
                    + " but cannot open its journal; reopen the store: " + e, e);
        }
        generation = next;
        removeSuperseded(manifest);
    }

    /** Removes the files of other generations that this store wrote: never a file it cannot account for. */
    private void removeSuperseded(Manifest current) {
        Set<String> names = new TreeSet<>(current.files.keySet());
        names.add(JOURNAL);
        Set<String> keep = new TreeSet<>();
        current.files.values().forEach(f -> keep.add(f.file));
        keep.add(journalPath(current.generation).getFileName().toString());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                Matcher m = GENERATION_FILE.matcher(name);
                boolean ours = m.matches() && names.contains(m.group(1));
                if ((ours && !keep.contains(name)) || name.equals(MANIFEST + ".tmp")) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            // Leftovers waste space but never change what is read: the manifest names the live files.
        }
    }

    private void requireWritable() {
        if (mode == Mode.READ_ONLY) {
            throw new IllegalStateException(storeKind + " store directory " + directory + " was opened read-only");
        }
        if (closed) {
            throw new IllegalStateException(storeKind + " store directory " + directory + " is closed");
        }
    }

    /** Releases the lock and the journal. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (journal != null) {
            journal.close();
            journal = null;
        }
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel releases it too
            }
        }
        closeQuietly(lockChannel);
    }

    // ---- reading ----

    private record FileEntry(String file, long bytes, long crc32c) {
    }

    /** The parsed manifest. */
    private static final class Manifest {
        final String kind;
        final long generation;
        final Map<String, String> settings;
        final Map<String, String> info;
        final Map<String, FileEntry> files;

        Manifest(String kind, long generation, Map<String, String> settings, Map<String, String> info,
                 Map<String, FileEntry> files) {
            this.kind = kind;
            this.generation = generation;
            this.settings = settings;
            this.info = info;
            this.files = files;
        }

        /** The manifest's text: sorted keys, then a checksum line over everything before it. */
        byte[] bytes() {
            Map<String, String> keys = new TreeMap<>();
            keys.put("format", Integer.toString(FORMAT_VERSION));
            keys.put("store", kind);
            keys.put("generation", Long.toString(generation));
            settings.forEach((k, v) -> keys.put("setting." + k, v));
            info.forEach((k, v) -> keys.put("info." + k, v));
            files.forEach((name, f) -> {
                keys.put("file." + name, f.file);
                keys.put("file." + name + ".bytes", Long.toString(f.bytes));
                keys.put("file." + name + ".crc32c", Long.toString(f.crc32c));
            });
            StringBuilder text = new StringBuilder("# Ragkit store manifest: the files named here are the store's"
                    + " current data. Do not edit: it carries its own checksum.\n");
            keys.forEach((k, v) -> text.append(escape(k)).append('=').append(escape(v)).append('\n'));
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            String checksumLine = CHECKSUM_KEY + "=" + crc(body) + "\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(body);
            out.writeBytes(checksumLine.getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    private Manifest readManifest(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw damagedManifest(file, "is not UTF-8 text", e);
        }
        int last = text.lastIndexOf(CHECKSUM_KEY + "=");
        if (last < 0 || !text.endsWith("\n") || text.indexOf('\n', last) != text.length() - 1) {
            throw damagedManifest(file, "has no checksum line at its end (cut short or edited)", null);
        }
        byte[] body = text.substring(0, last).getBytes(StandardCharsets.UTF_8);
        String stated = text.substring(last + CHECKSUM_KEY.length() + 1, text.length() - 1).trim();
        if (!stated.equals(Long.toString(crc(body)))) {
            throw damagedManifest(file, "fails its checksum (damaged or edited)", null);
        }
        Properties p = new Properties();
        p.load(new StringReader(text.substring(0, last)));
        String format = p.getProperty("format");
        if (!Integer.toString(FORMAT_VERSION).equals(format)) {
            throw new RagConfigurationException(file + " has format version " + format + " but this Ragkit reads version "
                    + FORMAT_VERSION + "; open it with the Ragkit that wrote it, or re-ingest into a new directory");
        }
        String kind = p.getProperty("store");
        if (!storeKind.equals(kind)) {
            throw new RagConfigurationException(directory + " holds a '" + kind + "' store, so a '" + storeKind
                    + "' store cannot use it (two stores never share a directory); use another directory, or rag.store="
                    + kind);
        }
        long gen;
        try {
            gen = Long.parseLong(p.getProperty("generation", ""));
        } catch (NumberFormatException e) {
            throw damagedManifest(file, "has no valid generation", e);
        }
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> info = new TreeMap<>();
        Map<String, FileEntry> files = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("setting.")) {
                settings.put(key.substring("setting.".length()), p.getProperty(key));
            } else if (key.startsWith("info.")) {
                info.put(key.substring("info.".length()), p.getProperty(key));
            } else if (key.startsWith("file.") && key.indexOf('.', 5) < 0) {
                String name = key.substring(5);
                try {
                    files.put(name, new FileEntry(p.getProperty(key), Long.parseLong(p.getProperty(key + ".bytes")),
                            Long.parseLong(p.getProperty(key + ".crc32c"))));
                } catch (NumberFormatException e) {
                    throw damagedManifest(file, "lists data file '" + name + "' without its size and checksum", e);
                }
            }
        }
        return new Manifest(kind, gen, settings, info, files);
    }

    private StoreDamagedException damagedManifest(Path file, String problem, Throwable cause) {
        return new StoreDamagedException(file, problem + ". Nothing was changed. It names the store's current files;"
                + " restore it from a backup, or re-ingest into a new directory", cause);
    }

    private StoreJournal.Contents readJournal(Manifest m) throws IOException {
        Path file = journalPath(m.generation);
        try {
            return StoreJournal.read(file, m.generation);
        } catch (NoSuchFileException e) {
            throw new StoreDamagedException(file, "is missing: the manifest names generation " + m.generation
                    + ", whose writes since its snapshot are in this journal. Nothing was changed. Restore it from a"
                    + " backup; to accept losing those writes, re-ingest into a new directory", e);
        }
    }

    private Map<String, Path> verifyFiles(Manifest m) throws IOException {
        Map<String, Path> verified = new TreeMap<>();
        for (Map.Entry<String, FileEntry> e : m.files.entrySet()) {
            FileEntry f = e.getValue();
            Path path = directory.resolve(f.file);
            if (!path.getParent().equals(directory)) {
                throw damagedManifest(directory.resolve(MANIFEST), "names a file outside its directory: " + f.file, null);
            }
            if (!Files.exists(path)) {
                throw new StoreDamagedException(path, "is missing but the manifest names it as the current '" + e.getKey()
                        + "' data. Nothing was changed. Restore it from a backup, or re-ingest into a new directory",
                        null);
            }
            long size = Files.size(path);
            if (size != f.bytes) {
                throw new StoreDamagedException(path, "has " + size + " bytes but the manifest says " + f.bytes
                        + " (cut short or overwritten). Nothing was changed. Restore it from a backup, or re-ingest"
                        + " into a new directory", null);
            }
            if (checksum(path) != f.crc32c) {
                throw new StoreDamagedException(path, "fails its checksum (its bytes were changed on disk). Nothing was"
                        + " changed. Restore it from a backup, or re-ingest into a new directory", null);
            }
            verified.put(e.getKey(), path);
        }
        return verified;
    }

    /**
     * Without a manifest the directory must hold nothing but a lock and a crash's temporary files: data
     * files mean a lost manifest, other files mean a directory of something else.
     */
    private void refuseUnaccountedFiles() throws IOException {
        List<String> data = new ArrayList<>();
        List<String> earlier = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.equals(LOCK) || name.equals(MANIFEST + ".tmp") || name.startsWith(".")) {
                    continue;
                }
                Matcher m = GENERATION_FILE.matcher(name);
                if (EARLIER_FORMAT_FILES.contains(name)) {
                    earlier.add(name);
                } else if (m.matches() && m.group(4) == null) {
                    data.add(name);
                } else if (!m.matches()) {
                    other.add(name);
                }
            }
        }
        data.sort(null);
        other.sort(null);
        if (!earlier.isEmpty()) {
            throw earlierFormat(String.join(", ", new TreeSet<>(earlier)));
        }
        if (!data.isEmpty()) {
            throw new StoreDamagedException(directory.resolve(MANIFEST), "is missing but the directory holds data files "
                    + data + ". Nothing was changed or deleted. The manifest names the current generation and"
                    + " its checksums: restore it from a backup, or move the directory aside and re-ingest", null);
        }
        if (!other.isEmpty()) {
            throw new RagConfigurationException(directory + " holds files of no Ragkit store " + head(other)
                    + "; a " + storeKind + " store needs an empty or new directory of its own");
        }
    }

    private RagConfigurationException earlierFormat(String found) {
        return new RagConfigurationException(directory + " holds a store written by an earlier Ragkit (" + found
                + "; format 1), which this version does not read. Nothing was changed. Re-ingest the documents into"
                + " a new directory, or open this one with the Ragkit that wrote it");
    }

    private static String head(List<String> names) {
        return names.size() <= 5 ? names.toString()
                : names.subList(0, 5).toString().replace("]", ", ... " + (names.size() - 5) + " more]");
    }

    private Path journalPath(long gen) {
        return directory.resolve(JOURNAL + "-" + gen + ".log");
    }

    // ---- file helpers ----

    /** CRC32C of a whole file, read sequentially. */
    static long checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                crc.update(buffer);
                buffer.clear();
            }
        }
        return crc.getValue();
    }

    static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '=', ':', '#', '!' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        String escaped = out.toString();
        return escaped.startsWith(" ") ? "\\" + escaped : escaped;
    }

    static void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private void forceDirectory() {
        forceDirectory(directory);
    }

    /** Makes the renames in {@code directory} durable (best effort: some file systems refuse to open one). */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover; the manifest decides what is read
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }
}
