package dev.ragkit.core.secret;

import dev.ragkit.core.RagConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code file:/path}: the content of a file, without its trailing line break (the form Docker and
 * Kubernetes secrets are mounted in). Read each time it is resolved, so a rotated file is seen at the
 * next assembly.
 */
public final class FileSecretResolver implements SecretResolver {
    /** Larger files are not credentials; refusing them keeps a wrong path from loading a whole disk image. */
    private static final long MAX_BYTES = 64 * 1024;

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public String resolve(String reference) {
        Path path;
        try {
            path = Path.of(reference);
        } catch (InvalidPathException e) {
            throw new RagConfigurationException("file:" + reference + " is not a valid path");
        }
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new RagConfigurationException("file:" + reference + " is larger than " + MAX_BYTES
                        + " bytes; it does not look like a credential file");
            }
            String value = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new RagConfigurationException("file:" + reference + " is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new RagConfigurationException("file:" + reference + " does not exist");
        } catch (IOException e) {
            // The exception names the path and the failure, never the content.
            throw new RagConfigurationException("file:" + reference + " could not be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "FileSecretResolver";
    }
}
