package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application runs on the installed artifacts: ingests, answers from the right document, persists. */
class HostAppTest {
    @Test
    void answersWithTheDocumentThatSaysSo(@TempDir Path index) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Answer answer = HostApp.run(index, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);

        assertThat(out).as("ingestion summary").contains("documents=2");
        assertThat(answer.citations()).as("citations").isNotEmpty();
        assertThat(answer.citations().get(0).documentId()).as("first source").isEqualTo("setup.md");
        assertThat(out).contains("[1] setup.md");
        try (var files = Files.list(index)) {
            assertThat(files.toList()).as("files of the FAISS index in %s", index).isNotEmpty();
        }
    }
}
