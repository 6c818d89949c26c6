package dev.ragkit.core.store;

import static dev.ragkit.core.store.MemoryVectorStoreTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryVectorStorePersistenceTest {
    private static final String JOURNAL = "journal.bin";
    private static final String SNAPSHOT = "snapshot.bin";
    private static final int HEADER = 12;

    @TempDir
    Path dir;

    private static MemoryVectorStore open(Path directory, int dimension) {
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).build();
    }

    private static List<String> allIds(MemoryVectorStore store) {
        return store.scan(null, null, 10_000).chunks().stream().map(Chunk::id).toList();
    }

    /** A copy of the store's files as a crash would leave them: no compaction, lock file not held. */
    private static Path crashCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : List.of(JOURNAL, SNAPSHOT)) {
            if (Files.exists(from.resolve(name))) {
                Files.copy(from.resolve(name), to.resolve(name));
            }
        }
        return to;
    }

    @Test
    void roundTripKeepsChunksMetadataTypesAndScores() {
        MemoryVectorStore store = open(dir.resolve("s"), 3);
        assertThat(store.capabilities()).contains(StoreCapability.PERSISTENCE);
        store.upsert(List.of(
                chunk("a", 0, "Élève « œuvre » ✓ 日本語", Map.of("s", "fr", "n", 2021, "d", 0.25, "b", true), 1, 2, 3),
                chunk("a", 1, "second", Map.of(), 0, 1, 0),
                chunk("b", 0, "third", Map.of("n", -5L), 3, 0, -1)));
        store.delete(List.of("a#1"));
        List<SearchHit> before = store.search(SearchRequest.dense(new float[] {1, 1, 1}, 10));
        List<SearchHit> keywordBefore = store.search(SearchRequest.keyword("oeuvre eleve", 10));
        store.close();

        MemoryVectorStore reopened = open(dir.resolve("s"), 3);
        assertThat(reopened.count()).isEqualTo(2);
        assertThat(allIds(reopened)).containsExactly("a#0", "b#0");
        Chunk a = reopened.get(List.of("a#0")).get(0);
        assertThat(a.text()).isEqualTo("Élève « œuvre » ✓ 日本語");
        assertThat(a.metadata()).containsExactly(Map.entry("b", true), Map.entry("d", 0.25), Map.entry("n", 2021L), Map.entry("s", "fr"));
        assertThat(a.contentHash()).isEqualTo(Chunk.hash(a.text()));
        assertThat(reopened.search(SearchRequest.dense(new float[] {1, 1, 1}, 10))).isEqualTo(before);
        assertThat(reopened.search(SearchRequest.keyword("oeuvre eleve", 10))).isEqualTo(keywordBefore);
        reopened.close();
    }

    @Test
    void journalIsReplayedAfterACrash() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        store.upsert(List.of(chunk("b", 0, "two", Map.of(), 0, 1), chunk("c", 0, "three", Map.of(), 1, 1)));
        store.delete(List.of("b#0"));
        store.upsert(List.of(chunk("a", 0, "one, updated", Map.of(), 1, 0)));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();

        assertThat(Files.exists(copy.resolve(SNAPSHOT))).isFalse();
        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("a#0", "c#0");
        assertThat(recovered.get(List.of("a#0")).get(0).text()).isEqualTo("one, updated");
        recovered.close();
    }

    @Test
    void truncatedLastJournalRecordIsDroppedAndEarlierWritesSurvive() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "first", Map.of(), 1, 0)));
        long afterFirst = Files.size(dir.resolve("live").resolve(JOURNAL));
        store.upsert(List.of(chunk("b", 0, "second write, cut short by a crash", Map.of(), 0, 1)));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        long full = Files.size(copy.resolve(JOURNAL));
        for (long cut : new long[] {full - 1, afterFirst + 3, afterFirst + 13}) {
            Path attempt = crashCopy(copy, dir.resolve("cut" + cut));
            try (RandomAccessFile f = new RandomAccessFile(attempt.resolve(JOURNAL).toFile(), "rw")) {
                f.setLength(cut);
            }
            MemoryVectorStore recovered = open(attempt, 2);
            assertThat(allIds(recovered)).as("journal cut at %d of %d", cut, full).containsExactly("a#0");
            // The torn tail is gone, so a new write lands on a clean record boundary and survives.
            recovered.upsert(List.of(chunk("c", 0, "after recovery", Map.of(), 1, 1)));
            Path again = crashCopy(attempt, dir.resolve("again" + cut));
            recovered.close();
            MemoryVectorStore third = open(again, 2);
            assertThat(allIds(third)).as("journal cut at %d", cut).containsExactly("a#0", "c#0");
            third.close();
        }
    }

    @Test
    void corruptedLastJournalRecordFailsItsChecksumAndIsDropped() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "first", Map.of(), 1, 0)));
        store.upsert(List.of(chunk("b", 0, "second", Map.of(), 0, 1)));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        Path journal = copy.resolve(JOURNAL);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            long pos = f.length() - 10;   // inside the last record's payload (its vector)
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x5A);
        }
        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("a#0");
        recovered.close();
    }

    @Test
    void garbageLengthInTheLastRecordIsDropped() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "first", Map.of(), 1, 0)));
        long afterFirst = Files.size(dir.resolve("live").resolve(JOURNAL));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        try (RandomAccessFile f = new RandomAccessFile(copy.resolve(JOURNAL).toFile(), "rw")) {
            f.seek(afterFirst);
            f.writeInt(-7);             // a negative record length
            f.writeLong(0);
            f.write(new byte[] {1, 2, 3});
        }
        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("a#0");
        recovered.close();
    }

    @Test
    void flushCompactsTheJournalIntoASnapshot() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0), chunk("b", 0, "two", Map.of(), 0, 1)));
        assertThat(Files.size(live.resolve(JOURNAL))).isGreaterThan(HEADER);
        store.flush();
        assertThat(Files.exists(live.resolve(SNAPSHOT))).isTrue();
        assertThat(Files.size(live.resolve(JOURNAL))).isEqualTo(HEADER);
        assertThat(Files.exists(live.resolve(SNAPSHOT + ".tmp"))).isFalse();
        long snapshotSize = Files.size(live.resolve(SNAPSHOT));
        store.flush();   // nothing new: the snapshot is not rewritten
        assertThat(Files.size(live.resolve(SNAPSHOT))).isEqualTo(snapshotSize);

        // Writes after the snapshot go to the journal; a crash replays snapshot then journal.
        store.delete(List.of("a#0"));
        store.upsert(List.of(chunk("c", 0, "three", Map.of(), 1, 1)));
        Path copy = crashCopy(live, dir.resolve("crash"));
        store.close();
        assertThat(Files.size(live.resolve(JOURNAL))).as("close compacts").isEqualTo(HEADER);

        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("b#0", "c#0");
        recovered.close();
        MemoryVectorStore reopened = open(live, 2);
        assertThat(allIds(reopened)).containsExactly("b#0", "c#0");
        reopened.close();
    }

    @Test
    void aSecondOpenOfALockedDirectoryFailsClearly() {
        Path shared = dir.resolve("shared");
        MemoryVectorStore first = open(shared, 2);
        first.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        assertThatThrownBy(() -> open(shared, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining(shared.toString()).hasMessageContaining("already open");
        assertThat(first.count()).as("the failed open leaves the first store working").isEqualTo(1);
        first.close();
        MemoryVectorStore second = open(shared, 2);
        assertThat(second.count()).isEqualTo(1);
        second.close();
    }

    @Test
    void dimensionMismatchOnReopenFailsClearly() {
        Path withData = dir.resolve("data");
        MemoryVectorStore store = open(withData, 3);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0, 0)));
        store.close();
        assertThatThrownBy(() -> open(withData, 4)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("dimension 3").hasMessageContaining("dimension 4");
        // The failed open released the directory: the right dimension opens it.
        MemoryVectorStore ok = open(withData, 3);
        assertThat(ok.count()).isEqualTo(1);
        ok.close();

        Path empty = dir.resolve("empty");
        open(empty, 3).close();
        assertThatThrownBy(() -> open(empty, 5)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("dimension 3").hasMessageContaining("dimension 5");
    }

    @Test
    void corruptedSnapshotFailsClearly() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        store.close();
        try (RandomAccessFile f = new RandomAccessFile(live.resolve(SNAPSHOT).toFile(), "rw")) {
            f.seek(20);
            int b = f.read();
            f.seek(20);
            f.write(b ^ 0xFF);
        }
        assertThatThrownBy(() -> open(live, 2)).isInstanceOf(RagBackendException.class)
                .hasMessageContaining("checksum").hasMessageContaining(SNAPSHOT);
    }

    @Test
    void notAStoreFileFailsClearly() throws IOException {
        Path live = dir.resolve("live");
        Files.createDirectories(live);
        Files.write(live.resolve(JOURNAL), "this is not a journal at all".getBytes());
        assertThatThrownBy(() -> open(live, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("not a Ragkit memory store file");
    }
}
