package dev.ragkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.model.Document;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCorpusTest {
    @TempDir
    Path dir;

    @Test
    void readsTextFilesWithRelativeIdsAndSkipsHiddenAndOtherFiles() throws Exception {
        Files.createDirectories(dir.resolve("guide/.git"));
        Files.writeString(dir.resolve("guide/intro.fr.md"), "# Présentation\n\nLe texte est court.");
        Files.writeString(dir.resolve("guide/notes.txt"), "The notes are short and to the point.");
        Files.writeString(dir.resolve("guide/.git/config.txt"), "hidden");
        Files.writeString(dir.resolve("guide/image.png"), "not text");
        Files.write(dir.resolve("guide/latin1.txt"), new byte[] {(byte) 0xE9, 'a'});

        FileCorpus.Source source = FileCorpus.read(dir.resolve("guide"), Map.of("embedder", "e"));
        assertThat(source.documents()).extracting(Document::id).containsExactly("intro.fr.md", "notes.txt");
        assertThat(source.skipped()).singleElement().asString().contains("latin1.txt: not UTF-8 text");
        Document intro = source.documents().get(0);
        assertThat(intro.metadata()).containsEntry("title", "Présentation").containsEntry("lang", "fr")
                .containsEntry("embedder", "e")
                .containsEntry("source", dir.resolve("guide/intro.fr.md").toAbsolutePath().toString());
        assertThat(source.documents().get(1).metadata()).containsEntry("title", "notes").containsEntry("lang", "en");
    }

    @Test
    void guessesTheLanguageFromThePathThenFromCommonWords() {
        assertThat(FileCorpus.language("fr/a.md", "the the the")).isEqualTo("fr");
        assertThat(FileCorpus.language("a.en.md", "le la les")).isEqualTo("en");
        assertThat(FileCorpus.language("a.md", "Le magasin est dans la mémoire et les fragments sont là.")).isEqualTo("fr");
        assertThat(FileCorpus.language("a.md", "The store is in memory and the chunks are there.")).isEqualTo("en");
        assertThat(FileCorpus.language("a.md", "42")).isNull();
    }

    @Test
    void aSingleFileIsItsOwnIdAndOtherFileTypesAreRefused() throws Exception {
        Path file = dir.resolve("one.md");
        Files.writeString(file, "Just one file.", StandardCharsets.UTF_8);
        assertThat(FileCorpus.read(file, Map.of()).documents()).extracting(Document::id).containsExactly("one.md");
        Path png = dir.resolve("x.png");
        Files.writeString(png, "x");
        assertThatThrownBy(() -> FileCorpus.read(png, Map.of())).isInstanceOf(CliUsageException.class)
                .hasMessageContaining("is not a text file");
    }

    @Test
    void aFolderTooDeepForThePathLimitIsSkippedAndTheRestIsRead() throws Exception {
        Path root = dir.resolve("corpus");
        try (DeepFolder deep = new DeepFolder(root.resolve("deep"), dir.resolve("links"), 1_500,
                "Ten levels down is still within reach.")) {
            deep.assertTheSystemRefusesItsPath();
            Files.writeString(root.resolve("ok.txt"), "This file is fine.");

            FileCorpus.Source source = FileCorpus.read(root, Map.of());
            assertThat(source.documents()).extracting(Document::id)
                    .containsExactly("deep/" + "level/".repeat(10) + "shallow.txt", "ok.txt");
            assertThat(source.skipped()).singleElement().asString()
                    .startsWith(root.resolve("deep/level/level").toString())
                    .endsWith(": File name too long");
            String skippedFolder = source.skipped().get(0);
            String folderId = root.relativize(Path.of(skippedFolder.substring(0, skippedFolder.lastIndexOf(": "))))
                    .toString();
            assertThat(source.wasSkipped(folderId + "/level/bottom.txt")).isTrue();
            assertThat(source.wasSkipped("ok.txt")).isFalse();
            assertThat(source.wasSkipped("deep/level/other.txt")).isFalse();
        }
    }

    @Test
    void aFileLargerThanTheMaximumIsSkippedBySizeWithoutBeingRead() throws Exception {
        Path root = dir.resolve("sized");
        Files.createDirectories(root);
        Files.writeString(root.resolve("fits.txt"), "x".repeat(100));
        // Not UTF-8: had it been read, it would be reported as such rather than by its size.
        byte[] tooBig = new byte[101];
        java.util.Arrays.fill(tooBig, (byte) 0xE9);
        Files.write(root.resolve("big.txt"), tooBig);

        FileCorpus.Source source = FileCorpus.read(root, Map.of(), 100);
        assertThat(source.documents()).extracting(Document::id).containsExactly("fits.txt");
        assertThat(source.skipped()).containsExactly(root.resolve("big.txt")
                + ": 101 bytes, more than rag.ingest.max-document-chars (100); raise it to ingest this file");
        assertThat(source.wasSkipped("big.txt")).isTrue();
    }

    @Test
    void titleAndLanguageAreFoundLineByLineAndWordByWord() {
        String line = "le chat est dans la maison et les enfants sont là ".repeat(200_000);   // 10 million characters
        assertThat(FileCorpus.language("a.md", line)).isEqualTo("fr");
        assertThat(FileCorpus.title(line, Path.of("huge.txt"))).isEqualTo("huge");
        assertThat(FileCorpus.title("intro\r\n# \r\n#Nope\u2028# \u0000\r\n# Head\u0007ing  \nrest", Path.of("t.md")))
                .isEqualTo("Heading");
    }
}
