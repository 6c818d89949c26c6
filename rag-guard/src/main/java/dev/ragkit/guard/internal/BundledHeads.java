package dev.ragkit.guard.internal;

import dev.ragkit.guard.EncoderHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The encoder heads shipped in the jar, parsed once per resource. */
final class BundledHeads {
    private static final ConcurrentHashMap<String, Optional<EncoderHead>> HEADS = new ConcurrentHashMap<>();

    private BundledHeads() {
    }

    /**
     * The head in {@code resource}, or null when the jar has none there (a model without a head).
     *
     * @throws IllegalStateException when the resource is there but malformed: a shipped head that cannot
     *     be read is a build error, not a reason to fall back silently
     */
    static EncoderHead get(String resource) {
        return HEADS.computeIfAbsent(resource, BundledHeads::load).orElse(null);
    }

    private static Optional<EncoderHead> load(String resource) {
        try (InputStream in = BundledHeads.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(EncoderHead.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled encoder head " + resource, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the bundled encoder head " + resource + " is malformed: " + e.getMessage(), e);
        }
    }
}
