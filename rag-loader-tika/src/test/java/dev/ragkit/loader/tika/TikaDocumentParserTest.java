package dev.ragkit.loader.tika;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.DocumentParsers;
import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.SkippedDocument;
import dev.ragkit.core.model.Document;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

class TikaDocumentParserTest {
    private static final String FRENCH = "La sonde se fixe sur un rail DIN et les mesures sont dans la mémoire."
            + " Elle est alimentée en 24 V et le câble est livré avec la sonde.";
    private static final String ENGLISH = "The probe is mounted on a DIN rail and the readings are kept in memory."
            + " It is powered with 24 V and the cable comes with the probe.";

    @TempDir
    static Path dir;

    private static Map<String, Document> documents;
    private static List<SkippedDocument> skipped;

    @BeforeAll
    static void writeAndLoad() throws Exception {
        pdf(dir.resolve("guide.pdf"), "Installation guide", ENGLISH);
        pdf(dir.resolve("fr/notice.pdf"), null, FRENCH);
        docx(dir.resolve("sonde.docx"), null, "Guide de la sonde", FRENCH);
        docx(dir.resolve("probe.docx"), "Probe manual", "Getting started", ENGLISH);
        Files.writeString(dir.resolve("broken.pdf"), "%PDF-1.7 this is not really a PDF");
        Files.writeString(dir.resolve("readme.md"), "# Read me\n\nPlain Markdown still goes through rag-core.");

        documents = new LinkedHashMap<>();
        skipped = new ArrayList<>();
        FileSystemLoader.of(dir).load(new DocumentLoader.Sink() {
            @Override
            public void document(Document document) {
                documents.put(document.id(), document);
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
    }

    @Test
    void isFoundThroughServiceLoaderForItsFormats() {
        DocumentParsers parsers = DocumentParsers.discover();
        assertThat(parsers.forExtension("pdf")).isInstanceOf(TikaDocumentParser.class);
        assertThat(parsers.forExtension("docx")).isInstanceOf(TikaDocumentParser.class);
        assertThat(parsers.forExtension("html")).isInstanceOf(TikaDocumentParser.class);
        assertThat(parsers.forExtension("md")).isNotInstanceOf(TikaDocumentParser.class);
        assertThat(documents).containsOnlyKeys("fr/notice.pdf", "guide.pdf", "probe.docx", "readme.md", "sonde.docx");
    }

    @Test
    void pdfTextTitleFromMetadataAndLanguage() {
        Document guide = documents.get("guide.pdf");
        assertThat(guide.text()).contains("The probe is mounted on a DIN rail").contains("24 V");
        assertThat(guide.metadata()).containsEntry("title", "Installation guide").containsEntry("lang", "en")
                .containsEntry("content_type", "application/pdf");

        Document notice = documents.get("fr/notice.pdf");
        assertThat(notice.text()).contains("La sonde se fixe sur un rail DIN").contains("mémoire").contains("câble");
        assertThat(notice.metadata()).containsEntry("title", "notice").containsEntry("lang", "fr");
    }

    @Test
    void docxTitleFromTheFirstHeadingElseMetadataAndLanguageFromTheWords() {
        Document sonde = documents.get("sonde.docx");
        assertThat(sonde.text()).contains("Guide de la sonde").contains("alimentée en 24 V");
        assertThat(sonde.metadata()).containsEntry("title", "Guide de la sonde").containsEntry("lang", "fr");

        Document probe = documents.get("probe.docx");
        assertThat(probe.text()).contains("The probe is mounted");
        assertThat(probe.metadata()).containsEntry("title", "Probe manual").containsEntry("lang", "en")
                .containsEntry("author", "Ragkit tests");
    }

    @Test
    void aBrokenFileIsSkippedWithTheReason() {
        assertThat(skipped).singleElement().satisfies(s -> {
            assertThat(s.documentId()).isEqualTo("broken.pdf");
            assertThat(s.reason()).startsWith("not a readable document");
        });
    }

    static void pdf(Path file, String title, String text) throws Exception {
        Files.createDirectories(file.getParent());
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                content.newLineAtOffset(50, 700);
                for (String sentence : text.split("(?<=\\.) ")) {
                    content.showText(sentence);
                    content.newLineAtOffset(0, -16);
                }
                content.endText();
            }
            if (title != null) {
                doc.getDocumentInformation().setTitle(title);
            }
            doc.save(file.toFile());
        }
    }

    private static void docx(Path file, String title, String heading, String text) throws Exception {
        try (XWPFDocument doc = new XWPFDocument()) {
            XWPFStyles styles = doc.createStyles();
            CTStyle style = CTStyle.Factory.newInstance();
            style.setStyleId("Heading1");
            style.setType(STStyleType.PARAGRAPH);
            style.addNewName().setVal("heading 1");
            styles.addStyle(new XWPFStyle(style, styles));
            XWPFParagraph h = doc.createParagraph();
            h.setStyle("Heading1");
            h.createRun().setText(heading);
            doc.createParagraph().createRun().setText(text);
            if (title != null) {
                doc.getProperties().getCoreProperties().setTitle(title);
                doc.getProperties().getCoreProperties().setCreator("Ragkit tests");
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                doc.write(out);
            }
        }
    }
}
