package dev.ragkit.core.budget;

import dev.ragkit.core.RagException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Keeps budget usage in one small text file, replaced atomically on each save (written to a temporary
 * file in the same directory, forced to disk, then moved over the old one), so a crash leaves either
 * the old or the new counters, never a mix. Thread-safe.
 *
 * <p>Format: a {@code ragkit-budget 1} line, then one line per window:
 * {@code <scope-key> <period> <window-start-epoch-s> <tokens> <cost>}.
 */
public final class FileBudgetStore implements BudgetStore {
    private static final String HEADER = "ragkit-budget 1";

    private final Path file;

    public FileBudgetStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized List<UsageRecord> load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the budget usage file " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new RagException("the budget usage file " + file + " does not start with '" + HEADER
                    + "'; it is not a Ragkit budget file or it is damaged. Move it away to start counting from zero");
        }
        List<UsageRecord> records = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields, found " + f.length);
                }
                records.add(new UsageRecord(f[0], BudgetPeriod.valueOf(f[1].toUpperCase(Locale.ROOT)),
                        Long.parseLong(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4])));
            } catch (RuntimeException e) {
                throw new RagException("line " + (i + 1) + " of the budget usage file " + file + " is damaged ("
                        + e.getMessage() + "); move the file away to start counting from zero", e);
            }
        }
        return List.copyOf(records);
    }

    @Override
    public synchronized void save(List<UsageRecord> records) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (UsageRecord r : records) {
            text.append(r.scopeKey()).append(' ').append(r.period().label()).append(' ').append(r.windowStart())
                    .append(' ').append(r.tokens()).append(' ').append(Double.toString(r.cost())).append('\n');
        }
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(StandardCharsets.UTF_8.encode(text.toString()));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the budget usage file " + file, e);
        }
    }
}
