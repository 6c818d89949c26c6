package dev.ragkit.core.store;

import static dev.ragkit.core.store.MemoryVectorStoreTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryVectorStorePersistenceTest {
    private static final int JOURNAL_HEADER = 20;

    @TempDir
    Path dir;

    private static MemoryVectorStore open(Path directory, int dimension) {
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).build();
    }

    private static MemoryVectorStore openReadOnly(Path directory, int dimension) {
        return MemoryVectorStore.builder().dimension(dimension).directory(directory).readOnly(true).build();
    }

    private static List<String> allIds(MemoryVectorStore store) {
        return store.scan(null, null, 10_000).chunks().stream().map(Chunk::id).toList();
    }

    /** A copy of a live store's files: what a crash leaves, since every write was forced before it returned. */
    static Path crashCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(StoreDirectory.LOCK)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    static Path only(Path directory, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertThat(found).as("files starting with %s in %s", prefix, directory).hasSize(1);
            return found.get(0);
        }
    }

    /** Name -> size, checksum and modification time of every file: what "writes nothing" is checked against. */
    static Map<String, String> fingerprint(Path directory) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.size(f) + "/" + StoreDirectory.checksum(f) + "/"
                        + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
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

        try (Stream<Path> files = Files.list(copy)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("entries-"));
        }
        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("a#0", "c#0");
        assertThat(recovered.get(List.of("a#0")).get(0).text()).isEqualTo("one, updated");
        recovered.close();
    }

    @Test
    void aJournalCutShortByACrashLosesOnlyTheUnfinishedWriteAndIsCutOnlyAtTheNextWrite() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "first", Map.of(), 1, 0)));
        long afterFirst = Files.size(only(dir.resolve("live"), "journal-"));
        store.upsert(List.of(chunk("b", 0, "second write, cut short by a crash", Map.of(), 0, 1)));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        long full = Files.size(only(copy, "journal-"));
        for (long cut : new long[] {full - 1, afterFirst + 3, afterFirst + 17}) {
            Path attempt = crashCopy(copy, dir.resolve("cut" + cut));
            Path journal = only(attempt, "journal-");
            try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
                f.setLength(cut);
            }
            MemoryVectorStore recovered = open(attempt, 2);
            assertThat(allIds(recovered)).as("journal cut at %d of %d", cut, full).containsExactly("a#0");
            assertThat(Files.size(journal)).as("an open never shortens a file").isEqualTo(cut);
            // The next write cuts the torn tail first, so it lands on a clean record boundary and survives.
            recovered.upsert(List.of(chunk("c", 0, "after recovery", Map.of(), 1, 1)));
            Path again = crashCopy(attempt, dir.resolve("again" + cut));
            recovered.close();
            MemoryVectorStore third = open(again, 2);
            assertThat(allIds(third)).as("journal cut at %d", cut).containsExactly("a#0", "c#0");
            third.close();
        }
    }

    @Test
    void zerosAtTheEndOfTheJournalAreATornTailAsAfterAPowerCut() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        store.upsert(List.of(chunk("a", 0, "first", Map.of(), 1, 0)));
        store.upsert(List.of(chunk("b", 0, "second", Map.of(), 0, 1)));
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        Path journal = only(copy, "journal-");
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.seek(f.length() - 12);
            f.write(new byte[12]);
        }
        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("a#0");
        recovered.close();
    }

    @Test
    void aFlippedByteInTheJournalIsDamageNamedWithItsOffsetAndNothingIsCut() throws IOException {
        MemoryVectorStore store = open(dir.resolve("live"), 2);
        for (int i = 0; i < 10; i++) {
            store.upsert(List.of(chunk("d" + i, 0, "write number " + i, Map.of(), 1, i)));
        }
        Path copy = crashCopy(dir.resolve("live"), dir.resolve("crash"));
        store.close();
        Path journal = only(copy, "journal-");
        long size = Files.size(journal);
        for (double at : new double[] {0.1, 0.5, 0.97}) {
            Path attempt = crashCopy(copy, dir.resolve("flip" + at));
            Path damaged = attempt.resolve(journal.getFileName());
            flipByte(damaged, JOURNAL_HEADER + (long) ((size - JOURNAL_HEADER) * at));
            Map<String, String> before = fingerprint(attempt);
            assertThatThrownBy(() -> open(attempt, 2)).as("flip at %.2f", at)
                    .isInstanceOf(StoreDamagedException.class)
                    .hasMessageContaining(damaged.toString()).hasMessageContaining("at byte");
            assertThatThrownBy(() -> openReadOnly(attempt, 2)).isInstanceOf(StoreDamagedException.class);
            Map<String, String> after = fingerprint(attempt);
            after.remove(StoreDirectory.LOCK);
            assertThat(after).as("the refused opens changed nothing").isEqualTo(before);
        }
    }

    @Test
    void flushCompactsTheJournalIntoASnapshot() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0), chunk("b", 0, "two", Map.of(), 0, 1)));
        assertThat(Files.size(live.resolve("journal-0.log"))).isGreaterThan(JOURNAL_HEADER);
        store.flush();
        assertThat(live.resolve("entries-1.bin")).exists();
        assertThat(live.resolve("journal-0.log")).as("the superseded journal").doesNotExist();
        assertThat(Files.size(live.resolve("journal-1.log"))).isEqualTo(JOURNAL_HEADER);
        long snapshotSize = Files.size(live.resolve("entries-1.bin"));
        store.flush();   // nothing new: no new generation
        assertThat(live.resolve("entries-2.bin")).doesNotExist();
        assertThat(Files.size(live.resolve("entries-1.bin"))).isEqualTo(snapshotSize);

        // Writes after the snapshot go to the journal; a crash replays snapshot then journal.
        store.delete(List.of("a#0"));
        store.upsert(List.of(chunk("c", 0, "three", Map.of(), 1, 1)));
        Path copy = crashCopy(live, dir.resolve("crash"));
        store.close();
        assertThat(Files.size(live.resolve("journal-2.log"))).as("close compacts").isEqualTo(JOURNAL_HEADER);
        try (Stream<Path> files = Files.list(live)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly("entries-2.bin", "journal-2.log", StoreDirectory.LOCK, StoreDirectory.MANIFEST);
        }

        MemoryVectorStore recovered = open(copy, 2);
        assertThat(allIds(recovered)).containsExactly("b#0", "c#0");
        recovered.close();
        MemoryVectorStore reopened = open(live, 2);
        assertThat(allIds(reopened)).containsExactly("b#0", "c#0");
        reopened.close();
    }

    @Test
    void aSecondWriterFailsClearlyButAReaderOpensBesideTheWriter() throws IOException {
        Path shared = dir.resolve("shared");
        MemoryVectorStore first = open(shared, 2);
        first.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        assertThatThrownBy(() -> open(shared, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining(shared.toString()).hasMessageContaining("already open");
        assertThat(first.count()).as("the failed open leaves the first store working").isEqualTo(1);

        MemoryVectorStore reader = openReadOnly(shared, 2);
        assertThat(allIds(reader)).as("a reader sees the writer's journalled writes").containsExactly("a#0");
        first.flush();
        first.upsert(List.of(chunk("b", 0, "two", Map.of(), 0, 1)));
        assertThat(allIds(reader)).as("an open reader keeps what it loaded").containsExactly("a#0");
        MemoryVectorStore later = openReadOnly(shared, 2);
        assertThat(allIds(later)).as("a new reader sees the writer's newer writes").containsExactly("a#0", "b#0");
        assertThatThrownBy(() -> later.upsert(List.of(chunk("c", 0, "three", Map.of(), 1, 1))))
                .isInstanceOf(RagException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> later.delete(List.of("a#0"))).isInstanceOf(RagException.class)
                .hasMessageContaining("read-only");
        later.close();
        reader.close();
        first.close();
        MemoryVectorStore second = open(shared, 2);
        assertThat(second.count()).isEqualTo(2);
        second.close();
    }

    @Test
    void aReadOnlyOpenWritesNothingAtAll() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        store.flush();
        store.upsert(List.of(chunk("b", 0, "two", Map.of(), 0, 1)));
        Path copy = crashCopy(live, dir.resolve("copy"));
        store.close();
        Map<String, String> before = fingerprint(copy);
        MemoryVectorStore reader = openReadOnly(copy, 2);
        assertThat(allIds(reader)).containsExactly("a#0", "b#0");
        reader.flush();
        reader.close();
        assertThat(fingerprint(copy)).as("no file written, created or removed").isEqualTo(before);

        assertThatThrownBy(() -> openReadOnly(dir.resolve("absent"), 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("creates nothing");
        assertThat(dir.resolve("absent")).doesNotExist();
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
    void aDamagedSnapshotIsNamedAndLeftAlone() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        store.close();
        Path entries = only(live, "entries-");
        flipByte(entries, 20);
        Map<String, String> before = fingerprint(live);
        assertThatThrownBy(() -> open(live, 2)).isInstanceOf(StoreDamagedException.class)
                .hasMessageContaining("checksum").hasMessageContaining(entries.toString());
        assertThat(fingerprint(live)).isEqualTo(before);
    }

    @Test
    void aMissingManifestBesideDataFilesIsAnErrorNamingThemAndDeletesNothing() throws IOException {
        Path live = dir.resolve("live");
        MemoryVectorStore store = open(live, 2);
        store.upsert(List.of(chunk("a", 0, "one", Map.of(), 1, 0)));
        store.close();
        Files.delete(live.resolve(StoreDirectory.MANIFEST));
        Map<String, String> before = fingerprint(live);
        for (boolean readOnly : new boolean[] {true, false}) {
            assertThatThrownBy(() -> { MemoryVectorStore s = readOnly ? openReadOnly(live, 2) : open(live, 2); })
                    .isInstanceOf(StoreDamagedException.class)
                    .hasMessageContaining(StoreDirectory.MANIFEST + " is missing")
                    .hasMessageContaining("entries-1.bin").hasMessageContaining("journal-1.log")
                    .hasMessageContaining("Nothing was changed");
            Map<String, String> after = fingerprint(live);
            assertThat(after).as("nothing deleted or changed (readOnly=%s)", readOnly).isEqualTo(before);
        }
    }

    @Test
    void aDirectoryOfAnotherStoreOrOfNoStoreIsRefused() throws IOException {
        Path faiss = dir.resolve("faiss");
        StoreDirectory.open(faiss, "faiss", StoreDirectory.Mode.READ_WRITE, Map.of("dimension", "2"), g -> { }).close();
        assertThatThrownBy(() -> open(faiss, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("holds a 'faiss' store").hasMessageContaining("'memory' store cannot use it");

        Path docs = dir.resolve("docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("notes.txt"), "my notes");
        assertThatThrownBy(() -> open(docs, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("holds files of no Ragkit store").hasMessageContaining("notes.txt");
        assertThat(docs.resolve(StoreDirectory.MANIFEST)).doesNotExist();

        Path earlier = dir.resolve("earlier");
        Files.createDirectories(earlier);
        Files.write(earlier.resolve("journal.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> open(earlier, 2)).isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("earlier Ragkit").hasMessageContaining("journal.bin");
    }
}
