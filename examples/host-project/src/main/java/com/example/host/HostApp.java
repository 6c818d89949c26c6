package com.example.host;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A host application using Ragkit from configuration only, on the embedded defaults: the in-process
 * ONNX embedder and a FAISS index persisted in a directory (the first argument, or else a temporary
 * one, deleted at the end). It ingests two documents, asks a question and prints the answer with its sources.
 */
public final class HostApp {
    private HostApp() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            run(Path.of(args[0]), System.out);
            return;
        }
        Path index = Files.createTempDirectory("ragkit-host-index");
        try {
            run(index, System.out);
        } finally {
            try (Stream<Path> files = Files.walk(index)) { // a temporary index is not left behind
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
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
