package dev.ragkit.core.store;

import dev.ragkit.core.RagException;
import java.nio.file.Path;

/**
 * A persistent store's files on disk are damaged or incomplete: a checksum fails, a file named by the
 * manifest is missing or has another size, the journal holds a bad record followed by good ones, or
 * data files lie in a directory without their manifest. The message names the file and says how to
 * recover. Nothing was changed on disk: a store never deletes or rewrites what it cannot account for.
 */
public final class StoreDamagedException extends RagException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /**
     * @param file the damaged (or missing) file, or the directory when no single file is to blame
     * @param message the problem and how to recover; the file's path is prepended
     */
    public StoreDamagedException(Path file, String message, Throwable cause) {
        super(file + " " + message, cause);
        this.file = file;
    }

    /** The damaged or missing file (or the directory, when no single file is to blame). */
    public Path file() {
        return file;
    }
}
