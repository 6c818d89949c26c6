package dev.ragkit.core.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * A backend that keeps its entries in one append-only file, so they outlive the process: evaluation
 * runs (rag-eval's embedding cache) and single-host tools reuse what an earlier run computed. Every
 * entry is also held in memory; the file is read once, when the backend is opened.
 *
 * <p>Records carry a CRC-32; on open, records are read up to the first torn or corrupt one (a run
 * killed mid-write) and the file is cut back there, so a damaged tail costs only the entries in it.
 * Appends take a file lock, so processes may share a file (each sees the others' entries when it opens
 * it). Entries expire {@link RegionLimits#ttl()} after they were written (wall-clock time, since it
 * spans runs); once a region holds {@link RegionLimits#maxEntries()} entries, new ones are not kept.
 * The file is never compacted: delete it to start again. Thread-safe.
 *
 * <p>Format: {@code RKCACHE1}, then records {@code 'E' region key-length key generation written-at-ms
 * value-length value crc} or {@code 'G' generation crc} (the write generation, advanced by
 * {@link #advanceGeneration()}), big-endian.
 */
public final class FileCacheBackend implements CacheBackend {
    private static final byte[] MAGIC = "RKCACHE1".getBytes(StandardCharsets.US_ASCII);
    private static final byte ENTRY = 'E';
    private static final byte GENERATION = 'G';
    private static final int MAX_KEY = 1024;
    private static final int MAX_VALUE = 64 << 20;

    private final Path file;
    private final CacheLimits limits;
    private final LongSupplier wallClock;
    private final FileChannel channel;
    private final Map<CacheRegion, Map<String, Entry>> regions = new EnumMap<>(CacheRegion.class);
    private long generation;
    private final long recoveredBytes;

    private record Entry(byte[] value, long generation, long writtenMillis) {
    }

    private FileCacheBackend(Path file, CacheLimits limits, LongSupplier wallClock) throws IOException {
        this.file = file;
        this.limits = limits;
        this.wallClock = wallClock;
        for (CacheRegion region : CacheRegion.values()) {
            regions.put(region, new HashMap<>());
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (FileLock lock = channel.lock()) {
            this.recoveredBytes = load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens (or creates) the cache file {@code file}, loading every entry in it.
     *
     * @throws UncheckedIOException when the file cannot be used or is not a cache file
     */
    public static FileCacheBackend open(Path file, CacheLimits limits) {
        return open(file, limits, System::currentTimeMillis);
    }

    static FileCacheBackend open(Path file, CacheLimits limits, LongSupplier wallClock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(limits, "limits");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new FileCacheBackend(file, limits, wallClock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cache file " + file, e);
        }
    }

    @Override
    public String name() {
        return "file";
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /** Bytes of a damaged tail cut off when the file was opened (0 when it was intact). */
    public long recoveredBytes() {
        return recoveredBytes;
    }

    /** Entries held in {@code region}, expired ones included. */
    public synchronized int size(CacheRegion region) {
        return regions.get(region).size();
    }

    @Override
    public synchronized CacheLookup get(CacheRegion region, String key) {
        Entry e = regions.get(region).get(key);
        boolean live = e != null && wallClock.getAsLong() - e.writtenMillis < limits.of(region).ttl().toMillis()
                && (!region.followsWrites() || e.generation == generation);
        return live ? CacheLookup.hit(e.value, generation) : CacheLookup.miss(generation);
    }

    @Override
    public synchronized void put(CacheRegion region, String key, byte[] value, long generation) {
        Map<String, Entry> entries = regions.get(region);
        if (!entries.containsKey(key) && entries.size() >= limits.of(region).maxEntries()) {
            return; // full: what is there stays, the new entry is not kept
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > MAX_KEY || value.length > MAX_VALUE) {
            throw new IllegalArgumentException("cache key or value too large: " + k.length + "/" + value.length + " bytes");
        }
        long now = wallClock.getAsLong();
        ByteBuffer record = ByteBuffer.allocate(1 + 1 + 2 + k.length + 8 + 8 + 4 + value.length + 4);
        record.put(ENTRY).put((byte) region.ordinal()).putShort((short) k.length).put(k).putLong(generation)
                .putLong(now).putInt(value.length).put(value);
        append(record);
        entries.put(key, new Entry(value.clone(), generation, now));
    }

    @Override
    public synchronized void advanceGeneration() {
        append(ByteBuffer.allocate(1 + 8 + 4).put(GENERATION).putLong(generation + 1));
        generation++;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the cache file " + file, e);
        }
    }

    @Override
    public String toString() {
        return "FileCacheBackend[" + file + "]";
    }

    /** Appends {@code record} (filled but for its CRC) under the file lock. */
    private void append(ByteBuffer record) {
        CRC32 crc = new CRC32();
        crc.update(record.array(), 0, record.position());
        record.putInt((int) crc.getValue()).flip();
        try (FileLock lock = channel.lock()) {
            long p = channel.size();
            while (record.hasRemaining()) {
                p += channel.write(record, p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the cache file " + file, e);
        }
    }

    /** Reads every intact record; returns the bytes of a damaged tail, cut off. */
    private long load() throws IOException {
        long size = channel.size();
        if (size == 0) {
            ByteBuffer header = ByteBuffer.wrap(MAGIC);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            return 0;
        }
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
        while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
            // read the whole file: a cache is loaded in memory anyway
        }
        all.flip();
        byte[] magic = new byte[MAGIC.length];
        if (all.remaining() >= MAGIC.length) {
            all.get(magic);
        }
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + " is not a Ragkit cache file (no RKCACHE1 header); delete it or use another path");
        }
        long good = all.position();
        CRC32 crc = new CRC32();
        while (all.hasRemaining()) {
            int start = all.position();
            try {
                byte type = all.get();
                if (type == GENERATION) {
                    long g = all.getLong();
                    if (!crcMatches(all, start, crc)) {
                        break;
                    }
                    generation = Math.max(generation, g);
                } else if (type == ENTRY) {
                    int region = all.get();
                    int keyLength = all.getShort();
                    if (region < 0 || region >= CacheRegion.values().length || keyLength < 0 || keyLength > MAX_KEY) {
                        break;
                    }
                    byte[] key = new byte[keyLength];
                    all.get(key);
                    long g = all.getLong();
                    long written = all.getLong();
                    int valueLength = all.getInt();
                    if (valueLength < 0 || valueLength > MAX_VALUE) {
                        break;
                    }
                    byte[] value = new byte[valueLength];
                    all.get(value);
                    if (!crcMatches(all, start, crc)) {
                        break;
                    }
                    regions.get(CacheRegion.values()[region]).put(new String(key, StandardCharsets.UTF_8),
                            new Entry(value, g, written));
                } else {
                    break;
                }
            } catch (java.nio.BufferUnderflowException e) {
                break; // a torn record at the end
            }
            good = all.position();
        }
        long dropped = size - good;
        if (dropped > 0) {
            channel.truncate(good);
            channel.force(false);
        }
        return dropped;
    }

    private static boolean crcMatches(ByteBuffer all, int start, CRC32 crc) {
        crc.reset();
        crc.update(all.array(), start, all.position() - start);
        return (int) crc.getValue() == all.getInt();
    }
}
