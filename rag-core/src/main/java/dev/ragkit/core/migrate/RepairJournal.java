package dev.ragkit.core.migrate;

import dev.ragkit.core.RagBackendException;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The pending-repairs journal: before a dual-write touches either store, the ids it writes and the
 * side that will follow are appended and forced to disk ({@code I}); once both stores hold the write,
 * a {@code D} line closes it. An entry still open after a crash, or after the follower kept failing,
 * is a repair to make: copy those ids' current state from the leading store to the follower. Because
 * a repair copies state rather than replaying the write, replaying it twice or out of order is harmless.
 *
 * <p>Lines are {@code <crc32c> <payload>}; a torn last line (no newline, or a bad checksum) is ignored,
 * a damaged line before the last fails the open. The file is rewritten with only the open entries
 * when opened and every {@value #COMPACT_AFTER} closed entries.
 */
final class RepairJournal implements AutoCloseable {
    static final String FILE = "repairs.log";
    private static final int COMPACT_AFTER = 10_000;

    /** Ids whose copy in {@code follower} must be made equal to the other store's. */
    record Entry(long seq, Side follower, List<String> ids) {
        Entry {
            ids = List.copyOf(ids);
        }
    }

    /** A store of the migration. */
    enum Side {
        SOURCE,
        TARGET;

        Side other() {
            return this == SOURCE ? TARGET : SOURCE;
        }
    }

    private final Path file;
    private final Map<Long, Entry> open = new LinkedHashMap<>();
    /** Entries of writes still running in this process: not repairs (yet). */
    private final Set<Long> inFlight = new HashSet<>();
    private FileChannel channel;
    private long nextSeq;
    private int closedSinceCompaction;
    private boolean closed;

    private RepairJournal(Path file) {
        this.file = file;
    }

    /** Opens (creating) the journal in {@code directory} for writing; the caller holds the directory's lock. */
    static RepairJournal open(Path directory) {
        RepairJournal journal = new RepairJournal(directory.resolve(FILE));
        journal.load();
        journal.compact();
        return journal;
    }

    /** The number of open entries in {@code directory}'s journal, read without writing (a writer may be running). */
    static List<Entry> readOpen(Path directory) {
        RepairJournal journal = new RepairJournal(directory.resolve(FILE));
        journal.load();
        return List.copyOf(journal.open.values());
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw RagBackendException.permanent("migration", "cannot read " + file + ": " + e, e);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int start = 0;
        int lineNumber = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            lineNumber++;
            if (end < 0) {
                break; // torn tail: the append that wrote it never returned
            }
            String line = text.substring(start, end);
            start = end + 1;
            boolean last = start >= text.length();
            if (!apply(line)) {
                if (last) {
                    break;
                }
                throw RagBackendException.permanent("migration", file + " is damaged at line " + lineNumber
                        + " (bad checksum or format); it lists the chunk ids to repair, so restore it or rerun the"
                        + " backfill into an empty target", null);
            }
        }
    }

    /** Applies one line; false when it is damaged. */
    private boolean apply(String line) {
        int space = line.indexOf(' ');
        if (space != 8) {
            return false;
        }
        String payload = line.substring(space + 1);
        if (!line.substring(0, space).equals(crc(payload))) {
            return false;
        }
        String[] words = payload.split(" ");
        try {
            long seq = Long.parseLong(words[1]);
            nextSeq = Math.max(nextSeq, seq + 1);
            if (words[0].equals("I") && words.length >= 3) {
                List<String> ids = new ArrayList<>(words.length - 3);
                for (int i = 3; i < words.length; i++) {
                    ids.add(URLDecoder.decode(words[i], StandardCharsets.UTF_8));
                }
                open.put(seq, new Entry(seq, Side.valueOf(words[2]), ids));
                return true;
            }
            if (words[0].equals("D") && words.length == 2) {
                open.remove(seq);
                return true;
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return false;
        }
        return false;
    }

    private static String crc(String payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static String line(String payload) {
        return crc(payload) + " " + payload + "\n";
    }

    private static String intent(Entry e) {
        StringBuilder payload = new StringBuilder("I ").append(e.seq()).append(' ').append(e.follower().name());
        for (String id : e.ids()) {
            payload.append(' ').append(URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
        return line(payload.toString());
    }

    /**
     * Records, durably, that {@code ids} are about to be written with {@code follower} written second.
     * Returns the entry's number for {@link #closeEntry} or {@link #abandon}.
     */
    synchronized long begin(Side follower, Collection<String> ids) {
        Entry entry = new Entry(nextSeq++, follower, List.copyOf(ids));
        append(intent(entry), true);
        open.put(entry.seq(), entry);
        inFlight.add(entry.seq());
        return entry.seq();
    }

    /**
     * Both stores hold the entry's write. Not forced to disk: losing this line in a crash only makes a
     * later repair copy chunks that were already equal.
     */
    synchronized void closeEntry(long seq) {
        inFlight.remove(seq);
        if (open.remove(seq) == null) {
            return;
        }
        append(line("D " + seq), false);
        if (++closedSinceCompaction >= COMPACT_AFTER) {
            compact();
        }
    }

    /** The write stopped half-way: the entry stays open, as a repair to make. */
    synchronized void abandon(long seq) {
        inFlight.remove(seq);
    }

    /** Open entries that no running write owns: the repairs to make, oldest first. */
    synchronized List<Entry> pending() {
        List<Entry> result = new ArrayList<>();
        for (Entry e : open.values()) {
            if (!inFlight.contains(e.seq())) {
                result.add(e);
            }
        }
        return result;
    }

    /** How many chunk ids the pending entries name (an id named twice counts twice). */
    synchronized long pendingIds() {
        long n = 0;
        for (Entry e : pending()) {
            n += e.ids().size();
        }
        return n;
    }

    private void append(String line, boolean force) {
        if (closed) {
            throw new IllegalStateException("the repair journal " + file + " is closed");
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (force) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw RagBackendException.permanent("migration", "cannot append to " + file + ": " + e, e);
        }
    }

    /** Rewrites the file with the open entries only (which also drops a torn tail). */
    private void compact() {
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (Entry e : open.values()) {
                    ByteBuffer bytes = ByteBuffer.wrap(intent(e).getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                }
                out.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            MigrationState.forceDirectory(file.getParent());
            closedSinceCompaction = 0;
        } catch (IOException e) {
            throw RagBackendException.permanent("migration", "cannot rewrite " + file + ": " + e, e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            try {
                channel.force(false);
                channel.close();
            } catch (IOException e) {
                throw RagBackendException.permanent("migration", "cannot close " + file + ": " + e, e);
            }
            channel = null;
        }
    }
}
