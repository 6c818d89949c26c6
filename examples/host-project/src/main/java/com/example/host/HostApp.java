package com.example.host;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A host application using Ragkit from configuration only, on the embedded defaults: the in-process
 * ONNX embedder and a FAISS index persisted in a directory (a new temporary one unless given as the
 * first argument). It ingests two documents, asks a question and prints the answer with its sources.
 */
public final class HostApp {
    private HostApp() {
    }

    public static void main(String[] args) throws IOException {
        Path index = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ragkit-host-index");
        run(index, System.out);
    }

    /** Ingests, asks and prints to {@code out}; returns the answer. */
    static Answer run(Path index, PrintStream out) {
        Map<String, String> config = Map.of(
                "rag.embedder", "onnx",
                "rag.store", "faiss",
                "rag.store.faiss.directory", index.toString());
        try (Ragkit rag = Ragkit.fromConfig(config)) {
            IngestionReport report = rag.ingestor().ingest(List.of(
                    new Document("setup.md", "A host project imports the rag-bom in its dependencyManagement section, "
                            + "then declares rag-core and the adapters it names in configuration without versions."),
                    new Document("defaults.md", "With no server and no key, Ragkit embeds text with an in-process "
                            + "ONNX model and keeps its vectors in a FAISS index on disk.")));
            out.println(report.summary());
            Answer answer = rag.pipeline().ask("How does a host project get matching Ragkit versions?");
            out.println(answer.text());
            answer.citations().forEach(c -> out.println("[" + c.number() + "] " + c.documentId()));
            return answer;
        }
    }
}
