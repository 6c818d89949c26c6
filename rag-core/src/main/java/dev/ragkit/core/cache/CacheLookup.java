package dev.ragkit.core.cache;

import java.util.Arrays;

/**
 * What a {@link CacheBackend} found for a key: the value when it was written at the current write
 * generation (else none), and that generation, which the caller hands back to
 * {@link CacheBackend#put} so that a value computed while a write was under way is never served
 * after it.
 */
public final class CacheLookup {
    private final byte[] value;
    private final long generation;

    private CacheLookup(byte[] value, long generation) {
        this.value = value;
        this.generation = generation;
    }

    /** A hit: {@code value} was written at {@code generation}, the current one. */
    public static CacheLookup hit(byte[] value, long generation) {
        return new CacheLookup(value.clone(), generation);
    }

    /** A miss at the current {@code generation}. */
    public static CacheLookup miss(long generation) {
        return new CacheLookup(null, generation);
    }

    public boolean isHit() {
        return value != null;
    }

    /** The value of a hit (a copy); null for a miss. */
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The write generation current when the lookup was made. */
    public long generation() {
        return generation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheLookup other && generation == other.generation && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(generation) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return isHit() ? "hit(" + value.length + " bytes, generation " + generation + ")" : "miss(generation " + generation + ")";
    }
}
