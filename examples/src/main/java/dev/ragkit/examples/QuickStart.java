package dev.ragkit.examples;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import java.util.List;
import java.util.Map;

/**
 * The smallest complete use of Ragkit, as shown in the README: assemble a pipeline from named parts,
 * ingest two documents, ask a question, print the answer and its numbered sources. Runs with no
 * server and no key (in-process ONNX embedder, in-memory store, extractive answer).
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** Runs the example; takes no arguments. */
    public static void main(String[] args) {
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "onnx", "rag.store", "memory"))) {
            rag.ingestor().ingest(List.of(
                    new Document("intro.md", "Ragkit is an embeddable Java library for retrieval-augmented generation."),
                    new Document("answers.md", "Without a language model, Ragkit answers by quoting its best sources.")));
            Answer answer = rag.pipeline().ask("How does Ragkit answer without a language model?");
            System.out.println(answer.text());
            answer.citations().forEach(c -> System.out.println("[" + c.number() + "] " + c.documentId()));
        }
    }
}
