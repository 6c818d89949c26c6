package dev.ragkit.core.cache;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The in-process backend ({@code rag.cache=memory}): per region, a map in least-recently-used order
 * bounded by {@link RegionLimits#maxEntries()}, whose entries expire {@link RegionLimits#ttl()} after
 * they were written. The core depends on no cache library (see the module table in the architecture),
 * and a lock per region costs far less than the embedding or search it saves.
 */
public final class LocalCacheBackend implements CacheBackend {
    private final Map<CacheRegion, Region> regions = new EnumMap<>(CacheRegion.class);
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier nanoClock;

    /** A backend with {@code limits}, timed by {@link System#nanoTime()}. */
    public LocalCacheBackend(CacheLimits limits) {
        this(limits, System::nanoTime);
    }

    /** A backend whose time-to-live is measured on {@code nanoClock} (tests step it by hand). */
    LocalCacheBackend(CacheLimits limits, LongSupplier nanoClock) {
        Objects.requireNonNull(limits, "limits");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        for (CacheRegion region : CacheRegion.values()) {
            regions.put(region, new Region(limits.of(region)));
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public CacheLookup get(CacheRegion region, String key) {
        long generation = this.generation.get();
        Entry e = regions.get(region).get(key, nanoClock.getAsLong());
        boolean current = e != null && (!region.followsWrites() || e.generation == generation);
        return current ? CacheLookup.hit(e.value, generation) : CacheLookup.miss(generation);
    }

    @Override
    public void put(CacheRegion region, String key, byte[] value, long generation) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        regions.get(region).put(key, new Entry(value.clone(), generation, nanoClock.getAsLong()));
    }

    @Override
    public void advanceGeneration() {
        generation.incrementAndGet();
    }

    /** Entries held in {@code region}, expired ones included until they are looked up or pushed out. */
    public int size(CacheRegion region) {
        return regions.get(region).size();
    }

    @Override
    public void close() {
        regions.values().forEach(Region::clear);
    }

    private record Entry(byte[] value, long generation, long writtenNanos) {
    }

    private static final class Region {
        private final long ttlNanos;
        private final LinkedHashMap<String, Entry> entries;

        Region(RegionLimits limits) {
            this.ttlNanos = limits.ttl().toNanos();
            long max = limits.maxEntries();
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    return size() > max;
                }
            };
        }

        synchronized Entry get(String key, long now) {
            Entry e = entries.get(key);
            if (e != null && now - e.writtenNanos >= ttlNanos) {
                entries.remove(key);
                return null;
            }
            return e;
        }

        synchronized void put(String key, Entry entry) {
            entries.put(key, entry);
        }

        synchronized int size() {
            return entries.size();
        }

        synchronized void clear() {
            entries.clear();
        }
    }
}
