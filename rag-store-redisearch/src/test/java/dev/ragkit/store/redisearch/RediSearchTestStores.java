package dev.ragkit.store.redisearch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Stores and names the integration tests use, all on {@link RediSearchServer#shared()}. */
final class RediSearchTestStores {
    /** The metadata keys the test kit filters on ({@code no_such_key} too: declared, held by no chunk). */
    static final List<String> KIT_FIELDS = List.of("lang", "year", "rating", "published", "tag", "title", "no_such_key",
            "version", "v");

    private RediSearchTestStores() {
    }

    /**
     * A name of its own for each test folder, the same for the same folder (a reopen sees the same data), so
     * that tests sharing the server never see each other's data.
     */
    static String nameFor(Path directory) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(directory.toAbsolutePath().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return "kit-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RediSearchVectorStore.Builder builder(String index, int dimension) {
        return RediSearchVectorStore.builder()
                .url(RediSearchServer.shared().url())
                .index(index)
                .dimension(dimension)
                .fields(KIT_FIELDS)
                .efRuntime(500);
    }
}
