package dev.ragkit.examples.cli;

import dev.ragkit.core.Ragkit;
import dev.ragkit.core.ingest.IngestionReport;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.ingest.SkippedDocument;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code ragkit ingest <path...>}: brings the index in line with the text files under each path.
 * Unchanged files cost nothing; changed files re-embed only their changed chunks; files that
 * disappeared from a folder since the last run lose their chunks.
 *
 * <p>Deleted files are found through the store itself, not a manifest: every chunk records the
 * absolute folder it came from ({@code source_root}), so scanning the store for that folder gives
 * the documents ingested from it before, and those no longer on disk are deleted. The store is the
 * only state, so the two can never disagree (a manifest could, after a crash between the two writes).
 */
final class IngestCommand implements Command {
    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String summary() {
        return "index the .md/.txt files under folders or files, incrementally";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit ingest <path>... [options]

            Reads every .md, .markdown, .txt and .text file under each path (hidden files and folders
            are skipped) and brings the index in line with them. The document id is the file's path
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
     */
    record Result(int documents, int chunksEmbedded, int chunksUnchanged, int chunksDeleted, int documentsDeleted,
                  int skipped, Duration duration) {
        /**
         * {@code documents=12 chunks_embedded=34 chunks_unchanged=0 chunks_deleted=0 documents_deleted=0},
         * then {@code documents_skipped=N} when some files were skipped.
         */
        String summaryLine() {
            return "documents=" + documents + " chunks_embedded=" + chunksEmbedded + " chunks_unchanged="
                    + chunksUnchanged + " chunks_deleted=" + chunksDeleted + " documents_deleted=" + documentsDeleted
                    + (skipped == 0 ? "" : " documents_skipped=" + skipped);
        }
    }

    /** Ingests every root into {@code rag}'s store and deletes documents whose file disappeared. */
    static Result ingest(Ragkit rag, List<Path> roots, CliContext context) {
        long start = System.nanoTime();
        Map<String, Object> extra = Map.of();
        List<FileCorpus.Source> sources = new ArrayList<>();
        Map<String, Path> rootOfId = new HashMap<>();
        List<Document> documents = new ArrayList<>();
        int skipped = 0;
        for (Path root : roots) {
            FileCorpus.Source source = FileCorpus.read(root, extra, rag.ingestor().maxDocumentChars());
            sources.add(source);
            for (String line : source.skipped()) {
                context.err().println("skipped " + line);
            }
            skipped += source.skipped().size();
            for (Document d : source.documents()) {
                Path previous = rootOfId.putIfAbsent(d.id(), source.root());
                if (previous != null) {
                    throw new CliUsageException("document id '" + d.id() + "' comes from both " + previous + " and "
                            + source.root() + "; ingest them in separate indexes, or ingest their common parent folder");
                }
                documents.add(d);
            }
        }
        warnAboutMovedDocuments(rag.store(), documents, context);

        ProgressBar bar = new ProgressBar(context.err(), context.interactive());
        IngestionReport report;
        try {
            report = rag.ingestor().ingest(documents, bar);
        } finally {
            bar.finish();
        }
        Map<String, Object> sourceOfId = new HashMap<>();
        documents.forEach(d -> sourceOfId.put(d.id(), d.metadata().get(FileCorpus.SOURCE)));
        for (SkippedDocument s : report.skipped()) {
            context.err().println("skipped " + sourceOfId.getOrDefault(s.documentId(), s.documentId()) + ": " + s.reason());
        }
        skipped += report.skipped().size();

        Set<String> gone = new TreeSet<>();
        VectorStore store = rag.store();
        boolean canTrack = store.capabilities().containsAll(Set.of(StoreCapability.SCAN, StoreCapability.FILTER));
        for (FileCorpus.Source source : sources) {
            if (!source.isDirectory()) {
                continue; // a single file cannot tell which other files were deleted
            }
            if (!canTrack) {
                context.err().println("warning: store '" + store.name() + "' cannot scan by metadata, so files deleted"
                        + " from " + source.root() + " keep their chunks in the index");
                continue;
            }
            Set<String> before = rag.ingestor().storedDocumentIds(Filter.eq(FileCorpus.SOURCE_ROOT, source.rootKey()));
            before.removeAll(rootOfId.keySet()); // an id now read from another root was moved, not deleted
            before.removeIf(source::wasSkipped); // a file that was skipped is still there
            gone.addAll(before);
        }
        int chunksDeleted = report.chunksDeleted();
        if (!gone.isEmpty()) {
            IngestionReport deletion = rag.ingestor().deleteDocuments(gone);
            chunksDeleted += deletion.chunksDeleted();
        }
        store.flush();
        return new Result(report.documents(), report.chunksEmbedded(), report.chunksUnchanged(), chunksDeleted,
                gone.size(), skipped, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Documents ingested before from another folder are about to be replaced: say so, once per pair of
     * folders, since it is rarely intended (two folders with the same relative paths) but is also what
     * happens after moving a folder.
     */
    private static void warnAboutMovedDocuments(VectorStore store, List<Document> documents, CliContext context) {
        if (documents.isEmpty()) {
            return;
        }
        Map<String, Document> byFirstChunk = new HashMap<>();
        documents.forEach(d -> byFirstChunk.put(Chunk.idOf(d.id(), 0), d));
        Map<String, List<String>> movedByFolders = new TreeMap<>();
        for (Chunk stored : store.get(byFirstChunk.keySet())) {
            Object before = stored.metadata().get(FileCorpus.SOURCE_ROOT);
            Object now = byFirstChunk.get(stored.id()).metadata().get(FileCorpus.SOURCE_ROOT);
            if (before != null && !before.equals(now)) {
                movedByFolders.computeIfAbsent("from " + before + " are replaced by the files under " + now,
                        k -> new ArrayList<>()).add(stored.documentId());
            }
        }
        movedByFolders.forEach((folders, ids) -> context.err().println("warning: " + ids.size()
                + " document(s) ingested before " + folders + " (e.g. '" + ids.stream().sorted().findFirst().orElseThrow()
                + "')"));
    }
}
