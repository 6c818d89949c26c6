package dev.ragkit.eval;

import java.nio.file.Path;

/** Lets tests in other packages write the {@link TinyBeir} folder. */
public final class TinyBeirAccess {
    private TinyBeirAccess() {
    }

    public static Path write(Path dir) {
        return TinyBeir.write(dir);
    }
}
