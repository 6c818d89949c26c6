package com.example.host.modular;

import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.Ragkit;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * HostApp's flow, run on the module path: assembles Ragkit from configuration (ONNX embedder, FAISS
 * store in the directory given as argument), ingests two documents and asks a question. It prints what
 * ModulePathTest checks: where each provider was found, what rag-core exports, and the answer.
 */
public final class ModularHostApp {
    private ModularHostApp() {
    }

    public static void main(String[] args) throws Exception {
        Module core = Ragkit.class.getModule();
        System.out.println("host module: " + ModularHostApp.class.getModule().getName());
        System.out.println("core module: " + core.getName() + (core.getDescriptor().isAutomatic() ? " (automatic)" : ""));
        for (String pkg : List.of("dev.ragkit.core", "dev.ragkit.core.spi", "dev.ragkit.core.internal")) {
            System.out.println("exported " + pkg + ": " + core.isExported(pkg));
        }
        try {
            // A public class of a concealed package: loadable, but its members are out of reach.
            Class.forName("dev.ragkit.core.internal.MemoryVectorStoreProvider").getConstructor().newInstance();
            System.out.println("internal reflection: allowed");
        } catch (IllegalAccessException e) {
            System.out.println("internal reflection: refused");
        }
        ProviderRegistry registry = ProviderRegistry.discover();
        for (ComponentKind kind : ComponentKind.values()) {
            for (String name : registry.names(kind)) {
                Module module = registry.find(kind, name).getClass().getModule();
                System.out.println("provider " + kind + " " + name + " in " + (module.isNamed() ? module.getName() : "the class path"));
            }
        }
        Map<String, String> config = Map.of(
                "rag.embedder", "onnx",
                "rag.store", "faiss",
                "rag.store.faiss.directory", Path.of(args[0]).toString());
        try (Ragkit rag = Ragkit.fromConfig(config)) {
            rag.ingestor().ingest(List.of(
                    new Document("modules.md", "A modular host requires dev.ragkit.core in its module-info; the "
                            + "module system binds the embedder and store modules that provide rag-core's services."),
                    new Document("defaults.md", "With no server and no key, Ragkit embeds text with an in-process "
                            + "ONNX model and keeps its vectors in a FAISS index on disk.")));
            Answer answer = rag.pipeline().ask("What does a modular host require in its module-info?");
            System.out.println("answer: " + answer.text().replace('\n', ' '));
            answer.citations().forEach(c -> System.out.println("cited: " + c.documentId()));
        }
    }
}
