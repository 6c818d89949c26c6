package dev.ragkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's loading example runs as printed: a folder and a table, each synced with its report. */
class LoadingDocumentsTest {
    @TempDir
    Path dir;

    @Test
    void syncsAFolderAndATableAndAnswersFromThem() throws Exception {
        Files.createDirectories(dir.resolve("fr"));
        Files.writeString(dir.resolve("install.md"), "# Installing\n\nUnpack the archive and run the installer.");
        Files.writeString(dir.resolve("fr/sonde.html"), "<html><head><title>La sonde</title></head><body>"
                + "<p>La sonde W-200 se fixe sur un rail DIN.</p></body></html>");
        Files.writeString(dir.resolve(".hidden.md"), "not loaded");

        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            LoadingDocuments.main(new String[] {dir.toString()});
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains(dir.toAbsolutePath() + ": documents=2 chunks_embedded=2 chunks_unchanged=0"
                        + " chunks_deleted=0 documents_deleted=0")
                .contains("db:products: documents=1 chunks_embedded=1")
                .contains("documents_skipped=1")
                .contains("skipped 'product-2': no description yet")
                .contains("[1] product-1");
    }
}
