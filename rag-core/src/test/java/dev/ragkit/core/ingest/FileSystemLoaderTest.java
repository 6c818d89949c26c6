package dev.ragkit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.core.testing.WordHashEmbedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemLoaderTest {
    @TempDir
    Path dir;

    /** What one load yielded. */
    record Loaded(List<Document> documents, List<SkippedDocument> skipped) {
        Document get(String id) {
            return documents.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
        }
    }

    static Loaded load(DocumentLoader loader) {
        List<Document> documents = new ArrayList<>();
        List<SkippedDocument> skipped = new ArrayList<>();
        loader.load(new DocumentLoader.Sink() {
            @Override
            public void document(Document document) {
                documents.add(document);
            }

            @Override
            public void skipped(String documentId, String reason) {
                skipped.add(new SkippedDocument(documentId, reason));
            }

            @Override
            public void skippedUnder(String idPrefix, String reason) {
                skipped.add(new SkippedDocument(idPrefix, reason));
            }
        });
        return new Loaded(documents, skipped);
    }

    @Test
    void readsTextAndHtmlFilesWithRelativeIdsAndSkipsHiddenAndOtherFiles() throws Exception {
        Files.createDirectories(dir.resolve("guide/.git"));
        Files.createDirectories(dir.resolve("guide/sub"));
        Files.writeString(dir.resolve("guide/intro.fr.md"), "# Présentation\n\nLe texte est court.");
        Files.writeString(dir.resolve("guide/notes.txt"), "The notes are short and to the point.");
        Files.writeString(dir.resolve("guide/sub/page.html"), "<html><head><title>A &amp; B</title>"
                + "<style>p { color: red }</style><script>var x = '<p>no</p>';</script></head><body>"
                + "<h1>Heading</h1><p>Le magasin est dans la m&eacute;moire et les fragments sont l&#224;.</p>"
                + "<!-- hidden --><ul><li>one</li><li>two&nbsp;items</li></ul></body></html>");
        Files.writeString(dir.resolve("guide/.git/config.txt"), "hidden");
        Files.writeString(dir.resolve("guide/.hidden.md"), "hidden");
        Files.writeString(dir.resolve("guide/image.png"), "not text");
        Files.write(dir.resolve("guide/latin1.txt"), new byte[] {(byte) 0xE9, 'a'});

        FileSystemLoader loader = FileSystemLoader.builder(dir.resolve("guide")).metadata(Map.of("team", "docs")).build();
        Loaded loaded = load(loader);
        assertThat(loader.sourceId()).isEqualTo(dir.resolve("guide").toAbsolutePath().toString());
        assertThat(loaded.documents()).extracting(Document::id).containsExactly("intro.fr.md", "notes.txt", "sub/page.html");
        assertThat(loaded.skipped()).singleElement().hasToString("'latin1.txt': not UTF-8 text");
        assertThat(loaded.get("intro.fr.md").metadata()).containsEntry("title", "Présentation").containsEntry("lang", "fr")
                .containsEntry("team", "docs")
                .containsEntry("source", dir.resolve("guide/intro.fr.md").toAbsolutePath().toString());
        assertThat(loaded.get("notes.txt").metadata()).containsEntry("title", "notes").containsEntry("lang", "en");
        Document page = loaded.get("sub/page.html");
        assertThat(page.metadata()).containsEntry("title", "A & B").containsEntry("lang", "fr");
        assertThat(page.text()).isEqualTo("Heading\n\nLe magasin est dans la mémoire et les fragments sont là.\n\n"
                + "- one\n\n- two items");
    }

    @Test
    void htmlTitleFallsBackToTheFirstH1AndLanguageToTheHtmlElement() {
        ParsedDocument parsed = SimpleHtmlParser.parse("<!DOCTYPE html><html lang=\"en-GB\"><body><h1 class=x>"
                + "Le <em>titre</em></h1><table><tr><td>a</td><td>b</td></tr></table>&#x263A; &bogus; &#0;</body></html>");
        assertThat(parsed.title()).isEqualTo("Le titre");
        assertThat(parsed.language()).isEqualTo("en");
        assertThat(parsed.text()).isEqualTo("Le titre\n\na b\n\n\u263A &bogus; &#0;");
    }

    @Test
    void guessesTheLanguageFromThePathThenFromCommonWords() {
        assertThat(DocumentLanguage.of("fr/a.md", "the the the")).isEqualTo("fr");
        assertThat(DocumentLanguage.of("a.en.md", "le la les")).isEqualTo("en");
        assertThat(DocumentLanguage.of("a.md", "Le magasin est dans la mémoire et les fragments sont là.")).isEqualTo("fr");
        assertThat(DocumentLanguage.of("a.md", "The store is in memory and the chunks are there.")).isEqualTo("en");
        assertThat(DocumentLanguage.of("a.md", "42")).isNull();
    }

    @Test
    void titleAndLanguageAreFoundLineByLineAndWordByWord() {
        String line = "le chat est dans la maison et les enfants sont là ".repeat(200_000);   // 10 million characters
        assertThat(DocumentLanguage.guess(line)).isEqualTo("fr");
        assertThat(PlainTextParser.firstHeading(line)).isNull();
        assertThat(PlainTextParser.firstHeading("intro\r\n# \r\n#Nope\u2028# \u0000\r\n# Head\u0007ing  \nrest"))
                .isEqualTo("Heading");
    }

    @Test
    void aSingleFileIsItsOwnIdAndOtherFileTypesAreRefused() throws Exception {
        Path file = dir.resolve("one.md");
        Files.writeString(file, "# One\n\ntext");
        assertThat(load(FileSystemLoader.of(file)).documents()).extracting(Document::id).containsExactly("one.md");
        assertThat(FileSystemLoader.of(file).pathOf("one.md")).isEqualTo(file.toAbsolutePath());
        Path png = Files.writeString(dir.resolve("x.png"), "png");
        assertThatThrownBy(() -> load(FileSystemLoader.of(png))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a file type this loader reads: .htm, .html, .markdown, .md, .text, .txt");
        assertThatThrownBy(() -> load(FileSystemLoader.of(dir.resolve("missing"))))
                .isInstanceOf(RagException.class).hasMessageContaining("no such file or folder");
    }

    @Test
    void aFolderTooDeepForThePathLimitIsSkippedAndTheRestIsRead() throws Exception {
        Path root = dir.resolve("corpus");
        try (DeepFolder deep = new DeepFolder(root.resolve("deep"), dir.resolve("links"), 1_500,
                "Ten levels down is still within reach.")) {
            deep.assertTheSystemRefusesItsPath();
            Files.writeString(root.resolve("ok.txt"), "This file is fine.");

            FileSystemLoader loader = FileSystemLoader.of(root);
            Loaded loaded = load(loader);
            assertThat(loaded.documents()).extracting(Document::id)
                    .containsExactly("deep/" + "level/".repeat(10) + "shallow.txt", "ok.txt");
            SkippedDocument skipped = loaded.skipped().get(0);
            assertThat(loaded.skipped()).hasSize(1);
            assertThat(skipped.documentId()).startsWith("deep/level/level");
            assertThat(skipped.reason()).isEqualTo("File name too long");
            assertThat(loader.pathOf(skipped.documentId()).toString()).startsWith(root.resolve("deep/level/level").toString());
        }
    }

    @Test
    void aSyncKeepsWhatIsUnderAFolderThatCouldNotBeListed() throws Exception {
        Path root = dir.resolve("corpus");
        Files.createDirectories(root.resolve("locked"));
        Files.writeString(root.resolve("locked/a.md"), "Locked away.");
        Files.writeString(root.resolve("b.md"), "Free.");
        MemoryVectorStore store = MemoryVectorStore.builder().dimension(64).build();
        Ingestor ingestor = Ingestor.builder().embedder(new WordHashEmbedder()).store(store).build();
        assertThat(ingestor.sync(FileSystemLoader.of(root)).documents()).isEqualTo(2);
        // A loader that cannot list the folder reports it as skipped (permissions do not bind root, so simulated).
        DocumentLoader blind = DocumentLoader.of(root.toAbsolutePath().toString(), sink -> {
            sink.skippedUnder("locked/", "permission denied");
            load(FileSystemLoader.of(root.resolve("b.md"))).documents().forEach(sink::document);
        });
        SyncReport report = ingestor.sync(blind);
        assertThat(report.documentsDeleted()).isZero();
        Files.delete(root.resolve("b.md"));
        SyncReport after = ingestor.sync(FileSystemLoader.of(root));
        assertThat(after.documentsDeleted()).isEqualTo(1);
        assertThat(after.summary()).isEqualTo("documents=1 chunks_embedded=0 chunks_unchanged=1 chunks_deleted=1"
                + " documents_deleted=1 duration_ms=" + after.duration().toMillis());
    }

    @Test
    void aFileLargerThanTheMaximumIsSkippedBySizeWithoutBeingRead() throws Exception {
        Path root = dir.resolve("sized");
        Files.createDirectories(root);
        Files.writeString(root.resolve("fits.txt"), "x".repeat(100));
        byte[] tooBig = new byte[101]; // not UTF-8: had it been read, it would be reported as such
        java.util.Arrays.fill(tooBig, (byte) 0xE9);
        Files.write(root.resolve("big.txt"), tooBig);

        Loaded loaded = load(FileSystemLoader.builder(root).maxFileBytes(100, "rag.ingest.max-document-chars").build());
        assertThat(loaded.documents()).extracting(Document::id).containsExactly("fits.txt");
        assertThat(loaded.skipped()).containsExactly(new SkippedDocument("big.txt",
                "101 bytes, more than rag.ingest.max-document-chars (100); raise it to ingest this file"));
    }

    /** A parser an optional module would register; here passed explicitly. */
    static final class UpperParser implements DocumentParser {
        @Override
        public String name() {
            return "upper";
        }

        @Override
        public Set<String> extensions() {
            return Set.of("up", "html");
        }

        @Override
        public ParsedDocument parse(Path file) throws IOException {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.contains("broken")) {
                throw new IOException("broken file: page 3 is missing");
            }
            return new ParsedDocument(text.toUpperCase(), null, "en", Map.of("pages", 3));
        }
    }

    @Test
    void aParserAddsFormatsAndTakesOverTheExtensionsItClaims() throws Exception {
        Files.writeString(dir.resolve("a.up"), "le texte");
        Files.writeString(dir.resolve("b.html"), "<p>x</p>");
        Files.writeString(dir.resolve("c.up"), "broken");
        DocumentParsers parsers = DocumentParsers.of(List.of(new UpperParser()));
        assertThat(parsers.forExtension("md")).isInstanceOf(PlainTextParser.class);
        Loaded loaded = load(FileSystemLoader.builder(dir).parsers(parsers).build());
        assertThat(loaded.documents()).extracting(Document::text).containsExactly("LE TEXTE", "<P>X</P>");
        assertThat(loaded.get("a.up").metadata()).containsEntry("lang", "en").containsEntry("pages", 3L)
                .containsEntry("title", "a");
        assertThat(loaded.skipped()).containsExactly(new SkippedDocument("c.up", "broken file: page 3 is missing"));
        assertThat(DocumentParsers.discover().byExtension()).containsKeys("md", "html");
    }

    @Test
    void twoParsersClaimingOneExtensionAreRefused() {
        DocumentParser other = new DocumentParser() {
            @Override
            public String name() {
                return "Bad Name";
            }

            @Override
            public Set<String> extensions() {
                return Set.of("up");
            }

            @Override
            public ParsedDocument parse(Path file) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> DocumentParsers.of(List.of(new UpperParser(), other)))
                .isInstanceOf(RagConfigurationException.class)
                .hasMessageContaining("has name 'Bad Name'")
                .hasMessageContaining("both claim extension '.up'");
    }
}
