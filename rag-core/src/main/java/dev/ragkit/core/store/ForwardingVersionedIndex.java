package dev.ragkit.core.store;

import dev.ragkit.core.model.IndexInfo;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A versioned index that passes every call to another one. Extend it and override only what a wrapper
 * changes (measuring steps, a broken promise for a test); the rest stays a faithful pass-through, as
 * {@link ForwardingVectorStore} does for stores.
 */
public class ForwardingVersionedIndex implements VersionedIndex {
    private final VersionedIndex delegate;

    public ForwardingVersionedIndex(VersionedIndex delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped index. */
    public final VersionedIndex delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<IndexVersion> versions() {
        return delegate.versions();
    }

    @Override
    public OptionalInt live() {
        return delegate.live();
    }

    @Override
    public IndexVersion create(IndexInfo builtWith) {
        return delegate.create(builtWith);
    }

    @Override
    public VectorStore open(int version) {
        return delegate.open(version);
    }

    @Override
    public VectorStore openLive() {
        return delegate.openLive();
    }

    @Override
    public IndexVersion markReady(int version, String sourceFingerprint, long documents, long chunks) {
        return delegate.markReady(version, sourceFingerprint, documents, chunks);
    }

    @Override
    public void promote(int version) {
        delegate.promote(version);
    }

    @Override
    public int rollback() {
        return delegate.rollback();
    }

    @Override
    public void drop(int version) {
        delegate.drop(version);
    }

    @Override
    public Map<String, String> properties() {
        return delegate.properties();
    }

    @Override
    public void putProperties(Map<String, String> changes) {
        delegate.putProperties(changes);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
