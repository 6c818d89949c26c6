package dev.ragkit.core.store;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The catalog of a {@link DirectoryVersionedIndex}, as one immutable value: which version is live, the
 * versions that were live before it (for rollback), every version's record, the index's properties,
 * and a stamp that grows with every write. Its text form ends with a CRC32C line over everything
 * before it, like the store manifest, so a torn or edited catalog is detected rather than trusted.
 */
final class IndexCatalog {
    static final int FORMAT_VERSION = 1;
    private static final String CHECKSUM_KEY = "checksum.crc32c";
    static final Pattern PROPERTY_KEY = Pattern.compile("[a-z0-9.-]+");

    final String storeKind;
    final long stamp;
    /** The highest version number ever created (0 when none): numbers are never reused. */
    final int highest;
    /** The live version, 0 when none is live yet. */
    final int live;
    /** Versions live before {@link #live}, oldest first; rollback returns to the last one. */
    final List<Integer> history;
    final SortedMap<Integer, IndexVersion> versions;
    final SortedMap<String, String> properties;

    IndexCatalog(String storeKind, long stamp, int highest, int live, List<Integer> history,
                 Map<Integer, IndexVersion> versions, Map<String, String> properties) {
        this.storeKind = storeKind;
        this.stamp = stamp;
        this.highest = highest;
        this.live = live;
        this.history = List.copyOf(history);
        this.versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
        this.properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    static IndexCatalog empty(String storeKind) {
        return new IndexCatalog(storeKind, 0, 0, 0, List.of(), Map.of(), Map.of());
    }

    IndexCatalog withVersion(IndexVersion version) {
        TreeMap<Integer, IndexVersion> v = new TreeMap<>(versions);
        v.put(version.number(), version);
        return new IndexCatalog(storeKind, stamp, Math.max(highest, version.number()), live, history, v, properties);
    }

    IndexCatalog withoutVersion(int number) {
        TreeMap<Integer, IndexVersion> v = new TreeMap<>(versions);
        v.remove(number);
        List<Integer> h = new ArrayList<>(history);
        h.removeIf(n -> n == number);
        return new IndexCatalog(storeKind, stamp, highest, live, h, v, properties);
    }

    IndexCatalog withLive(int newLive, List<Integer> newHistory) {
        return new IndexCatalog(storeKind, stamp, highest, newLive, newHistory, versions, properties);
    }

    IndexCatalog withProperties(Map<String, String> newProperties) {
        return new IndexCatalog(storeKind, stamp, highest, live, history, versions, newProperties);
    }

    IndexCatalog withStamp(long newStamp) {
        return new IndexCatalog(storeKind, newStamp, highest, live, history, versions, properties);
    }

    /** Sorted keys, then the checksum line over every byte before it. */
    byte[] encode(String indexName) {
        Map<String, String> keys = new TreeMap<>();
        keys.put("format", Integer.toString(FORMAT_VERSION));
        keys.put("index", indexName);
        keys.put("store", storeKind);
        keys.put("stamp", Long.toString(stamp));
        keys.put("highest", Integer.toString(highest));
        keys.put("live", Integer.toString(live));
        keys.put("history", String.join(",", history.stream().map(String::valueOf).toList()));
        versions.forEach((n, v) -> {
            String p = "version." + n + ".";
            keys.put(p + "state", v.state().name());
            keys.put(p + "created", v.created().toString());
            keys.put(p + "fingerprint", v.sourceFingerprint());
            keys.put(p + "documents", Long.toString(v.documents()));
            keys.put(p + "chunks", Long.toString(v.chunks()));
            v.builtWith().toMap().forEach((k, value) -> keys.put(p + "built." + k, value));
        });
        properties.forEach((k, v) -> keys.put("property." + k, v));
        StringBuilder text = new StringBuilder("# Ragkit versioned index catalog: the live version, the versions and"
                + " their records. Do not edit: it carries its own checksum.\n");
        keys.forEach((k, v) -> text.append(StoreDirectory.escape(k)).append('=').append(StoreDirectory.escape(v))
                .append('\n'));
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] checksum = (CHECKSUM_KEY + "=" + StoreDirectory.crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + checksum.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(checksum, 0, all, body.length, checksum.length);
        return all;
    }

    /**
     * Parses and checks a catalog's bytes.
     *
     * @throws StoreDamagedException when the checksum fails or a record cannot be read (names the file)
     * @throws RagConfigurationException when it belongs to another store kind or format
     */
    static IndexCatalog decode(Path file, byte[] bytes, String expectedStoreKind) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw damaged(file, "is not UTF-8 text", e);
        }
        int last = text.lastIndexOf(CHECKSUM_KEY + "=");
        if (last < 0 || !text.endsWith("\n") || text.indexOf('\n', last) != text.length() - 1) {
            throw damaged(file, "has no checksum line at its end (cut short or edited)", null);
        }
        byte[] body = text.substring(0, last).getBytes(StandardCharsets.UTF_8);
        String stated = text.substring(last + CHECKSUM_KEY.length() + 1, text.length() - 1).trim();
        if (!stated.equals(Long.toString(StoreDirectory.crc(body)))) {
            throw damaged(file, "fails its checksum (damaged or edited)", null);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text.substring(0, last)));
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(file, "cannot be parsed: " + e.getMessage(), e);
        }
        String format = p.getProperty("format");
        if (!Integer.toString(FORMAT_VERSION).equals(format)) {
            throw new RagConfigurationException(file + " has catalog format " + format + " but this Ragkit reads format "
                    + FORMAT_VERSION + "; open it with the Ragkit that wrote it");
        }
        String kind = p.getProperty("store", "");
        if (!kind.equals(expectedStoreKind)) {
            throw new RagConfigurationException(file.getParent() + " is a versioned index of '" + kind
                    + "' stores, so the '" + expectedStoreKind + "' store cannot use it; use rag.store=" + kind
                    + " or another directory");
        }
        try {
            long stamp = Long.parseLong(p.getProperty("stamp"));
            int highest = Integer.parseInt(p.getProperty("highest"));
            int live = Integer.parseInt(p.getProperty("live"));
            List<Integer> history = new ArrayList<>();
            for (String n : p.getProperty("history", "").split(",")) {
                if (!n.isBlank()) {
                    history.add(Integer.parseInt(n.trim()));
                }
            }
            TreeMap<Integer, IndexVersion> versions = new TreeMap<>();
            TreeMap<String, String> properties = new TreeMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("property.")) {
                    properties.put(key.substring("property.".length()), p.getProperty(key));
                } else if (key.startsWith("version.") && key.endsWith(".state")) {
                    int n = Integer.parseInt(key.substring("version.".length(), key.length() - ".state".length()));
                    versions.put(n, version(file, p, n));
                }
            }
            if (live != 0 && !versions.containsKey(live)) {
                throw damaged(file, "names v" + live + " live but has no record of it", null);
            }
            return new IndexCatalog(kind, stamp, highest, live, history, versions, properties);
        } catch (NumberFormatException | NullPointerException | DateTimeParseException e) {
            throw damaged(file, "has a missing or unreadable entry (" + e + ")", e);
        }
    }

    private static IndexVersion version(Path file, Properties p, int n) {
        String prefix = "version." + n + ".";
        Map<String, String> built = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(prefix + "built.")) {
                built.put(key.substring((prefix + "built.").length()), p.getProperty(key));
            }
        }
        IndexInfo info = IndexInfo.fromMap(built)
                .orElseThrow(() -> damaged(file, "has no valid record of what built v" + n, null));
        try {
            return new IndexVersion(n, info, IndexVersion.State.valueOf(p.getProperty(prefix + "state")),
                    Instant.parse(p.getProperty(prefix + "created")), p.getProperty(prefix + "fingerprint", ""),
                    Long.parseLong(p.getProperty(prefix + "documents")), Long.parseLong(p.getProperty(prefix + "chunks")));
        } catch (IllegalArgumentException e) {
            throw damaged(file, "has an unreadable record of v" + n + " (" + e.getMessage() + ")", e);
        }
    }

    static StoreDamagedException damaged(Path file, String problem, Throwable cause) {
        return new StoreDamagedException(file, problem + ". Nothing was changed. It names the live version and the"
                + " versions of the index: restore it from a backup (the version directories are intact), or"
                + " rebuild the index in a new directory", cause);
    }
}
