package dev.ragkit.core.cache;

import dev.ragkit.core.model.Filter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Cache keys: the SHA-256 of every part that decides the value, each length-prefixed and typed, so
 * that no two different requests share a key (filter value {@code 1} the number and {@code "1"} the
 * string differ) and no query text reaches a shared backend's key space.
 */
final class CacheKeys {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    CacheKeys add(String part) {
        try {
            if (part == null) {
                out.writeByte(0);
            } else {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                out.writeByte(1);
                out.writeInt(b.length);
                out.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CacheKeys add(long value) {
        try {
            out.writeLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CacheKeys add(double value) {
        return add(Double.doubleToLongBits(value));
    }

    /** Adds {@code filter} in a canonical, typed form; null (no filter) differs from every filter. */
    CacheKeys add(Filter filter) {
        if (filter == null) {
            return add("nofilter");
        }
        if (filter instanceof Filter.Eq f) {
            add("eq").add(f.key()).value(f.value());
        } else if (filter instanceof Filter.Ne f) {
            add("ne").add(f.key()).value(f.value());
        } else if (filter instanceof Filter.In f) {
            add("in").add(f.key()).values(f.values());
        } else if (filter instanceof Filter.NotIn f) {
            add("notin").add(f.key()).values(f.values());
        } else if (filter instanceof Filter.Compare f) {
            add("cmp").add(f.key()).add(f.op().name()).value(f.value());
        } else if (filter instanceof Filter.And f) {
            add("and").add(f.operands().size());
            f.operands().forEach(this::add);
        } else if (filter instanceof Filter.Or f) {
            add("or").add(f.operands().size());
            f.operands().forEach(this::add);
        } else if (filter instanceof Filter.Not f) {
            add("not").add(f.operand());
        } else {
            // a new kind of filter must be given a canonical form here before it can be cached
            throw new IllegalArgumentException("no cache key form for filter " + filter.getClass().getName());
        }
        return this;
    }

    private CacheKeys values(List<Object> values) {
        add(values.size());
        values.forEach(this::value);
        return this;
    }

    private CacheKeys value(Object v) {
        return add(v == null ? "null" : v.getClass().getSimpleName()).add(String.valueOf(v));
    }

    String digest() {
        try {
            out.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
