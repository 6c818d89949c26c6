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
}
