package dev.ragkit.guard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the guards' bundled files (models, tables, word lists) from the class path. */
final class BundledResource {
    /** Parses a stream; may throw {@link IOException}. */
    @FunctionalInterface
    interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    private BundledResource() {
    }

    /**
     * Opens {@code resource} (an absolute class-path name) and parses it with {@code reader}. Fails
     * loudly: a guard without its bundled data would silently let everything through.
     *
     * @throws IllegalStateException when the resource is missing
     * @throws UncheckedIOException when it cannot be read or parsed
     */
    static <T> T read(String resource, Reader<T> reader) {
        InputStream in = BundledResource.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " is missing from the class path");
        }
        try (in) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }
}
