package dev.ragkit.core.ingest;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.text.ControlCharacters;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the files under one root, a folder or a single file, for {@link Ingestor#sync(DocumentLoader)}.
 *
 * <ul>
 *   <li>Formats by extension through {@link DocumentParsers}: Markdown and text ({@code .md},
 *       {@code .markdown}, {@code .txt}, {@code .text}, strict UTF-8) and simple HTML ({@code .html},
 *       {@code .htm}) built in; PDF, DOCX and more with {@code dev.ragkit:rag-loader-tika} on the class
 *       path. Other files are ignored.</li>
 *   <li>Hidden files and folders (name starting with {@code .}, such as {@code .git}) are ignored;
 *       links to files are followed, links to folders are not.</li>
 *   <li>A document's id is its path relative to the root with {@code /} separators (for a single
 *       file, its name), the same on every machine and after moving the folder.</li>
 *   <li>Metadata: {@code title} (what the format declares, such as the first {@code # } heading, else
 *       the file name without extension), {@code lang} ({@code fr}/{@code en} from a path segment or
 *       name part such as {@code fr/} or {@code guide.fr.md}, else what the format declares, else
 *       guessed from common words; absent when unknown), {@value #SOURCE_KEY} (the file's absolute
 *       path), and the {@link Builder#metadata(Map) extra metadata}.</li>
 *   <li>Files and folders that cannot be read (not UTF-8, no permission, a path too long for the
 *       system, a parser error) and files larger than {@link Builder#maxFileBytes(long)} (checked
 *       before reading) are reported to the sink as skipped with the reason, and the walk goes on.</li>
 * </ul>
 * Files are read one at a time in sorted order, so the folder is never held in memory.
 */
public final class FileSystemLoader implements DocumentLoader {
    /** Metadata key holding the absolute path of a document's file. */
    public static final String SOURCE_KEY = "source";

    private final Path root;
    private final DocumentParsers parsers;
    private final long maxFileBytes;
    private final String maxFileBytesSetting;
    private final Map<String, Object> metadata;

    private FileSystemLoader(Builder b) {
        this.root = b.root;
        this.parsers = b.parsers != null ? b.parsers : DocumentParsers.discover();
        this.maxFileBytes = b.maxFileBytes;
        this.maxFileBytesSetting = b.maxFileBytesSetting;
        this.metadata = Map.copyOf(b.metadata);
    }

    /** A loader of {@code root} with the defaults. */
    public static FileSystemLoader of(Path root) {
        return builder(root).build();
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Settings of a {@link FileSystemLoader}. */
    public static final class Builder {
        private final Path root;
        private DocumentParsers parsers;
        private long maxFileBytes = Ingestor.DEFAULT_MAX_DOCUMENT_CHARS;
        private String maxFileBytesSetting = "the maximum file size";
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        }

        /** {@link DocumentParsers#discover()} unless set. */
        public Builder parsers(DocumentParsers parsers) {
            this.parsers = Objects.requireNonNull(parsers, "parsers");
            return this;
        }

        /**
         * Files of more bytes are skipped without being read; {@link Ingestor#DEFAULT_MAX_DOCUMENT_CHARS}
         * by default. Set it to {@link Ingestor#maxDocumentChars()} to skip, unread, the text files that
         * the ingestor would skip anyway (UTF-8 takes at least one byte a character).
         */
        public Builder maxFileBytes(long maxFileBytes) {
            return maxFileBytes(maxFileBytes, "the maximum file size");
        }

        /**
         * {@link #maxFileBytes(long)}, with the name the host gives this limit, shown in skip reasons:
         * {@code 6000 bytes, more than <setting> (5000); raise it to ingest this file}.
         */
        public Builder maxFileBytes(long maxFileBytes, String setting) {
            if (maxFileBytes < 1) {
                throw new InvalidInputException("maxFileBytes was " + maxFileBytes + " but it must be >= 1");
            }
            this.maxFileBytes = maxFileBytes;
            this.maxFileBytesSetting = Objects.requireNonNull(setting, "setting");
            return this;
        }

        /** Added to every document's metadata, e.g. {@code team=support}. */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata.putAll(dev.ragkit.core.model.Metadata.copyOf(metadata));
            return this;
        }

        public FileSystemLoader build() {
            return new FileSystemLoader(this);
        }
    }

    /** The absolute, normalised root path: the same root is the same source. */
    @Override
    public String sourceId() {
        return root.toString();
    }

    /** The absolute, normalised root. */
    public Path root() {
        return root;
    }

    /** The parsers this loader uses. */
    public DocumentParsers parsers() {
        return parsers;
    }

    /** The file (or folder, for an id ending in {@code /}) that a document id names. */
    public Path pathOf(String id) {
        if (!Files.isDirectory(root) && id.equals(root.getFileName().toString())) {
            return root;
        }
        String relative = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /** Whether this loader reads files of this name (by extension, whatever the case). */
    public boolean reads(Path file) {
        return parserOf(file) != null;
    }

    /**
     * Walks the root and yields its documents in sorted order.
     *
     * @throws RagException when the root does not exist (a sync must not take a missing folder for an
     *     empty one) or cannot be listed at all
     * @throws InvalidInputException when the root is a file of a format no parser reads
     */
    @Override
    public void load(Sink sink) {
        BasicFileAttributes rootAttributes;
        try {
            rootAttributes = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new RagException("no such file or folder: " + root);
        } catch (IOException e) {
            throw new RagException("cannot read " + root + ": " + reason(e), e);
        }
        if (!rootAttributes.isDirectory()) {
            if (parserOf(root) == null) {
                throw new InvalidInputException(root + " is not a file type this loader reads: "
                        + String.join(", ", parsers.byExtension().keySet().stream().map(e -> "." + e).toList()));
            }
            readFile(root, root.getFileName().toString(), sink);
            return;
        }
        Deque<Iterator<Path>> stack = new ArrayDeque<>();
        try {
            stack.push(list(root).iterator());
        } catch (IOException e) {
            throw new RagException("cannot list " + root + ": " + reason(e), e);
        }
        while (!stack.isEmpty()) {
            Iterator<Path> entries = stack.peek();
            if (!entries.hasNext()) {
                stack.pop();
                continue;
            }
            Path path = entries.next();
            if (path.getFileName().toString().startsWith(".")) {
                continue;
            }
            String id = idOf(path);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                // Unknown whether it is a folder or a file: keep whatever the index has under that name.
                sink.skippedUnder(id, reason(e));
                continue;
            }
            if (attributes.isDirectory()) {
                try {
                    stack.push(list(path).iterator());
                } catch (IOException e) {
                    sink.skippedUnder(id + "/", reason(e));
                }
            } else if ((attributes.isRegularFile() || (attributes.isSymbolicLink() && Files.isRegularFile(path)))
                    && parserOf(path) != null) {
                readFile(path, id, sink);
            }
        }
    }

    /** A folder's entries, sorted by name. */
    private static List<Path> list(Path folder) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        return entries;
    }

    private void readFile(Path file, String id, Sink sink) {
        if (id.contains("#")) {
            sink.skipped(id, "'#' cannot appear in a document id (chunk ids are <id>#<n>); rename the file");
            return;
        }
        DocumentParser parser = parserOf(file);
        ParsedDocument parsed;
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                sink.skipped(id, size + " bytes, more than " + maxFileBytesSetting + " (" + maxFileBytes
                        + "); raise it to ingest this file");
                return;
            }
            parsed = parser.parse(file);
        } catch (CharacterCodingException e) {
            sink.skipped(id, "not UTF-8 text");
            return;
        } catch (IOException e) {
            sink.skipped(id, reason(e));
            return;
        } catch (RuntimeException e) {
            sink.skipped(id, "document parser '" + parser.name() + "' failed: " + e);
            return;
        }
        Map<String, Object> meta = new LinkedHashMap<>(metadata);
        meta.putAll(parsed.metadata());
        String title = parsed.title() != null ? ControlCharacters.strip(parsed.title()).strip() : "";
        meta.put("title", title.isEmpty() ? baseName(file) : title);
        String lang = DocumentLanguage.fromPath(id);
        if (lang == null) {
            lang = parsed.language() != null ? parsed.language() : DocumentLanguage.guess(parsed.text());
        }
        if (lang != null) {
            meta.put("lang", lang);
        }
        meta.put(SOURCE_KEY, file.toString());
        sink.document(new Document(id, parsed.text(), meta));
    }

    private DocumentParser parserOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? parsers.forExtension(name.substring(dot + 1)) : null;
    }

    private String idOf(Path path) {
        List<String> parts = new ArrayList<>();
        root.relativize(path).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Why a file operation failed, without the path that the message of a file system error repeats. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "it disappeared while being read";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "FileSystemLoader[" + root + "]";
    }
}
