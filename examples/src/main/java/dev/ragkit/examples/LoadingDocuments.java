package dev.ragkit.examples;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.model.Answer;
import dev.ragkit.core.model.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loading documents, as shown in the README: a folder through {@link FileSystemLoader}, and rows of
 * a database table through a {@link DocumentLoader} written by the host, each kept in line with its
 * source by {@code Ingestor.sync}. Runs with no server and no key.
 */
public final class LoadingDocuments {
    private LoadingDocuments() {
    }

    /** A row of the host's table; with JDBC, it would come from a {@code ResultSet}. */
    public record ProductRow(long id, String name, String description) {
    }

    /**
     * A source of documents over a table. With JDBC, {@code load} runs the query and feeds each row of
     * the {@code ResultSet} to the sink, so the table is never all in memory.
     */
    public static final class ProductLoader implements DocumentLoader {
        private final Iterable<ProductRow> rows;

        public ProductLoader(Iterable<ProductRow> rows) {
            this.rows = rows;
        }

        @Override
        public String sourceId() {
            return "db:products";
        }

        @Override
        public void load(Sink sink) {
            for (ProductRow row : rows) {
                String id = "product-" + row.id();
                if (row.description() == null || row.description().isBlank()) {
                    sink.skipped(id, "no description yet"); // keeps what the index had of it
                    continue;
                }
                sink.document(new Document(id, row.description(), Map.of("title", row.name(), "table", "products")));
            }
        }
    }

    /** Syncs the folder {@code args[0]} (default {@code docs}) and a small product table, then asks. */
    public static void main(String[] args) {
        Path folder = Path.of(args.length > 0 ? args[0] : "docs");
        List<ProductRow> table = List.of(
                new ProductRow(1, "W-200 probe", "The W-200 probe is powered with 24 V DC and mounts on a DIN rail."),
                new ProductRow(2, "W-300 probe", null));
        try (Ragkit rag = Ragkit.fromConfig(Map.of("rag.embedder", "onnx", "rag.store", "memory"))) {
            // Markdown, text and HTML files (PDF, DOCX, ODT... with rag-loader-tika on the class path).
            // Rerun after edits: unchanged files cost nothing, files deleted from the folder leave the index.
            SyncReport files = rag.ingestor().sync(FileSystemLoader.of(folder));
            System.out.println(files.sourceId() + ": " + files.summary());
            files.skipped().forEach(s -> System.out.println("skipped " + s));

            SyncReport products = rag.ingestor().sync(new ProductLoader(table));
            System.out.println(products.sourceId() + ": " + products.summary());
            products.skipped().forEach(s -> System.out.println("skipped " + s));

            Answer answer = rag.pipeline().ask("Which voltage does the W-200 probe need?");
            answer.citations().forEach(c -> System.out.println("[" + c.number() + "] " + c.documentId()));
        }
    }
}
