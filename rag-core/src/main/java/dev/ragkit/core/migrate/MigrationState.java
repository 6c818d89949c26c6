package dev.ragkit.core.migrate;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The durable part of a migration, one small properties file replaced atomically (written beside,
 * forced to disk, renamed, directory forced): which stores it joins, which side is live, and how far
 * the backfill got. A crash leaves either the previous or the next version, never a mix.
 */
final class MigrationState {
    static final String FILE = "migration.properties";
    private static final String FORMAT = "1";

    final String sourceName;
    final String targetName;
    final int dimension;
    MigrationPhase phase;
    /** Where the next backfill page starts; empty at the beginning or once done. */
    Optional<String> cursor;
    long copied;
    boolean backfillDone;
    long cutovers;
    long rollbacks;

    MigrationState(String sourceName, String targetName, int dimension) {
        this.sourceName = sourceName;
        this.targetName = targetName;
        this.dimension = dimension;
        this.phase = MigrationPhase.SOURCE_LIVE;
        this.cursor = Optional.empty();
    }

    /** The state in {@code directory}, or empty when no migration was started there. */
    static Optional<MigrationState> read(Path directory) {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw RagBackendException.permanent("migration", "cannot read " + file + ": " + e, e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new RagConfigurationException(file + " has format '" + p.getProperty("format")
                    + "' but this version of Ragkit reads format " + FORMAT);
        }
        try {
            MigrationState state = new MigrationState(require(p, "source", file), require(p, "target", file),
                    Integer.parseInt(require(p, "dimension", file)));
            state.phase = MigrationPhase.valueOf(require(p, "phase", file));
            state.cursor = Optional.ofNullable(p.getProperty("backfill.cursor"));
            state.copied = Long.parseLong(require(p, "backfill.copied", file));
            state.backfillDone = Boolean.parseBoolean(require(p, "backfill.done", file));
            state.cutovers = Long.parseLong(p.getProperty("cutovers", "0"));
            state.rollbacks = Long.parseLong(p.getProperty("rollbacks", "0"));
            return Optional.of(state);
        } catch (IllegalArgumentException e) {
            throw new RagConfigurationException(file + " cannot be read as a migration state: " + e.getMessage());
        }
    }

    private static String require(Properties p, String key, Path file) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("key '" + key + "' is missing");
        }
        return value;
    }

    /** Replaces the file in {@code directory} with this state. */
    void write(Path directory) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("source", sourceName);
        p.setProperty("target", targetName);
        p.setProperty("dimension", Integer.toString(dimension));
        p.setProperty("phase", phase.name());
        cursor.ifPresent(c -> p.setProperty("backfill.cursor", c));
        p.setProperty("backfill.copied", Long.toString(copied));
        p.setProperty("backfill.done", Boolean.toString(backfillDone));
        p.setProperty("cutovers", Long.toString(cutovers));
        p.setProperty("rollbacks", Long.toString(rollbacks));
        p.setProperty("updated", Instant.now().toString());
        StringWriter text = new StringWriter();
        try {
            p.store(text, "Ragkit store migration state: written by StoreMigration, do not edit");
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        Path file = directory.resolve(FILE);
        Path temporary = directory.resolve(FILE + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(directory);
        } catch (IOException e) {
            throw RagBackendException.permanent("migration", "cannot write " + file + ": " + e, e);
        }
    }

    /** Makes a rename durable; some file systems cannot open a directory, and then the rename is all we get. */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort, see above
        }
    }
}
