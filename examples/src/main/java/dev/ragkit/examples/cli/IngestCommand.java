package dev.ragkit.examples.cli;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.ingest.SkippedDocument;
import dev.ragkit.core.ingest.SyncReport;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.tools.cli.Args;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ragkit ingest <path...>}: brings the index in line with the text files under each path.
 * Unchanged files cost nothing; changed files re-embed only their changed chunks; files that
 * disappeared from a folder since the last run lose their chunks.
 *
 * <p>Each path is one source of the library's {@link Ingestor#sync}: every chunk records the absolute
 * path it was ingested from ({@code source_id}), so scanning the store for it gives the documents
 * ingested from it before, and those no longer on disk are deleted. The store is the only state, so
 * the two can never disagree (a manifest could, after a crash between the two writes).
 */
final class IngestCommand implements Command {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String summary() {
        return "index the .md/.txt/.html files under folders or files, incrementally";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit ingest <path>... [options]

            Reads every .md, .markdown, .txt, .text, .html and .htm file under each path (and PDF, DOCX,
            ODT, EPUB... when rag-loader-tika is on the class path; hidden files and folders are
            skipped) and brings the index in line with them. The document id is the file's path
            relative to the folder given. Re-ingesting unchanged files embeds nothing; files deleted
            from a folder since the last run are removed from the index.

            A file or folder that cannot be read (not UTF-8, no permission, a path too long) is skipped
            with a line "skipped <path>: <reason>" on standard error, and so is a file of more bytes
            than rag.ingest.max-document-chars (default %s; --set rag.ingest.max-document-chars=N
            raises it). The chunks that a skipped file put in the index before are kept.

            Prints one summary line on standard output, e.g.
              documents=12 chunks_embedded=34 chunks_unchanged=0 chunks_deleted=0 documents_deleted=0
            (then documents_skipped=N when some were skipped), and a progress bar on standard error.

            Options:
            """.formatted(String.format(Locale.ROOT, "%,d", Ingestor.DEFAULT_MAX_DOCUMENT_CHARS))
                + IndexAccess.OPTIONS_HELP + """

            The index records the embedder that built it: ingesting with another one fails, naming both.
            Add --set rag.index.rebuild=true to empty the index and embed everything with the new one.

            Example:
              ragkit ingest docs/ --index .ragkit/index
            """;
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, IndexAccess.VALUED, IndexAccess.REPEATABLE, Set.of());
        if (args.flag("help")) {
            context.out().print(usage());
            return 0;
        }
        if (args.positionals().isEmpty()) {
            throw new CliUsageException("ingest needs at least one file or folder");
        }
        List<Path> roots = new ArrayList<>();
        for (String p : args.positionals()) {
            Path path = Path.of(p);
            if (!Files.exists(path)) {
                throw new CliUsageException("no such file or folder: " + p);
            }
            roots.add(path);
        }
        CliConfig config = IndexAccess.config(args, context);
        try (Ragkit rag = Ragkit.fromConfig(config.toMap())) {
            Result result = ingest(rag, roots, context);
            context.out().println(result.summaryLine());
            context.err().printf(Locale.ROOT, "Ingested %d document(s) into the %s in %.1f s.%n",
                    result.documents(), IndexAccess.describe(config), result.duration().toMillis() / 1000.0);
        }
        return 0;
    }

    /**
     * What one {@code ingest} run did, summed over its roots.
     *
     * @param documentsDeleted documents removed because their file disappeared
     * @param skipped files and folders that could not be read or were too big, each named on standard error
     * @param chunksReused chunks that moved (or changed metadata only) and kept their stored vectors
     */
    record Result(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted, int documentsDeleted,
                  int skipped, Duration duration, int chunksReused) {
        /**
         * {@code documents=12 chunks_embedded=34 chunks_unchanged=0 chunks_deleted=0 documents_deleted=0},
         * then {@code documents_skipped=N} when some files were skipped and {@code chunks_reused=N} when
         * some chunks kept their stored vectors.
         */
        String summaryLine() {
            return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged="
                    + chunksUnchanged + " chunks_deleted=" + chunksDeleted + " documents_deleted=" + documentsDeleted
                    + (skipped == 0 ? "" : " documents_skipped=" + skipped)
                    + (chunksReused == 0 ? "" : " chunks_reused=" + chunksReused);
        }
    }

    /**
     * Syncs every root into {@code rag}'s store through the library's {@link FileSystemLoader} and
     * {@link Ingestor#sync}: documents whose file disappeared are deleted, skipped files keep their chunks.
     */
    static Result ingest(Ragkit rag, List<Path> roots, CliContext context) {
        long start = System.nanoTime();
        Ingestor ingestor = rag.ingestor();
        VectorStore store = rag.store();
        List<FileSystemLoader> loaders = new ArrayList<>();
        for (Path root : roots) {
            FileSystemLoader loader = FileSystemLoader.builder(root)
                    .maxFileBytes(ingestor.maxDocumentChars(), Ingestor.MAX_DOCUMENT_CHARS_KEY).build();
            if (!Files.isDirectory(loader.root()) && !loader.reads(loader.root())) {
                throw new CliUsageException(root + " is not a file type ingest reads: " + String.join(", ",
                        loader.parsers().byExtension().keySet().stream().map(e -> "." + e).toList()));
            }
            loaders.add(loader);
        }
        boolean canSync = store.capabilities().containsAll(Set.of(StoreCapability.SCAN, StoreCapability.FILTER,
                StoreCapability.DELETE));
        Map<String, Path> rootOfId = new HashMap<>();
        ProgressBar bar = new ProgressBar(context.err(), context.interactive());
        int documents = 0;
        int embedded = 0;
        int unchanged = 0;
        int reused = 0;
        int chunksDeleted = 0;
        int documentsDeleted = 0;
        int skipped = 0;
        try {
            for (FileSystemLoader loader : loaders) {
                DocumentLoader checked = DocumentLoader.of(loader.sourceId(), sink -> loader.load(
                        new ClashCheck(sink, loader.root(), rootOfId)));
                SyncReport report;
                if (canSync) {
                    report = ingestor.sync(checked, bar);
                } else {
                    context.err().println("warning: store '" + store.name() + "' cannot scan by metadata, so files"
                            + " deleted from " + loader.root() + " keep their chunks in the index");
                    report = ingestor.ingest(checked, bar);
                }
                bar.finish();
                for (SkippedDocument s : report.skipped()) {
                    context.err().println("skipped " + loader.pathOf(s.documentId()) + ": " + s.reason());
                }
                report.takenOver().forEach((before, ids) -> context.err().println("warning: " + ids.size()
                        + " document(s) ingested before from " + before + " are replaced by the files under "
                        + loader.root() + " (e.g. '" + ids.stream().sorted().findFirst().orElseThrow() + "')"));
                documents += report.documents();
                embedded += report.chunksEmbedded();
                unchanged += report.chunksUnchanged();
                reused += report.chunksReused();
                chunksDeleted += report.chunksDeleted();
                documentsDeleted += report.documentsDeleted();
                skipped += report.skipped().size();
            }
        } finally {
            bar.finish();
        }
        store.flush();
        return new Result(documents, embedded, unchanged, chunksDeleted, documentsDeleted, skipped,
                Duration.ofNanos(System.nanoTime() - start), reused);
    }

    /**
     * Refuses a document id that an earlier root of the same run already yielded: the second file would
     * silently replace the first.
     */
    private record ClashCheck(DocumentLoader.Sink sink, Path root, Map<String, Path> rootOfId)
            implements DocumentLoader.Sink {
        @Override
        public void document(Document document) {
            Path previous = rootOfId.putIfAbsent(document.id(), root);
            if (previous != null && !previous.equals(root)) {
                throw new CliUsageException("document id '" + document.id() + "' comes from both " + previous + " and "
                        + root + "; ingest them in separate indexes, or ingest their common parent folder");
            }
            sink.document(document);
        }

        @Override
        public void skipped(String documentId, String reason) {
            sink.skipped(documentId, reason);
        }

        @Override
        public void skippedUnder(String idPrefix, String reason) {
            sink.skippedUnder(idPrefix, reason);
        }
    }
}
