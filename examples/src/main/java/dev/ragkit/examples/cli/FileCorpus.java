package dev.ragkit.examples.cli;

import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.text.ControlCharacters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the text files under one root (a folder, or a single file) into documents.
 *
 * <p>A document's id is its path relative to the root, with {@code /} separators, so it is the same
 * on every machine and after moving the folder. Metadata: {@code title} (first {@code # } line, else
 * the file name), {@code lang} ({@code fr}/{@code en}, from a path segment or name suffix such as
 * {@code fr/} or {@code guide.fr.md}, else guessed from common words), {@link #SOURCE} (the file's
 * absolute path) and {@link #SOURCE_ROOT}.
 */
final class FileCorpus {
    /** Metadata key holding the absolute root a document was read from; used to find deleted files. */
    static final String SOURCE_ROOT = "source_root";
    /** Metadata key holding the absolute path of a document's file. */
    static final String SOURCE = "source";

    private static final Set<String> EXTENSIONS = Set.of("md", "markdown", "txt", "text");
    private static final Set<String> FRENCH_WORDS = Set.of("le", "la", "les", "des", "du", "une", "est", "et",
            "pour", "dans", "que", "qui", "sur", "pas", "avec", "au", "aux", "ce", "sont", "ou", "par");
    private static final Set<String> ENGLISH_WORDS = Set.of("the", "and", "is", "of", "to", "in", "that", "for",
            "with", "are", "on", "not", "this", "it", "by", "be", "or", "as", "from", "when");
    private static final int LONGEST_COMMON_WORD = Stream.concat(FRENCH_WORDS.stream(), ENGLISH_WORDS.stream())
            .mapToInt(String::length).max().orElseThrow();
    private static final Pattern LETTERS = Pattern.compile("\\p{L}+");
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    /**
     * What was read under one root.
     *
     * @param root the absolute, normalised root
     * @param isDirectory whether the root is a folder (only then can files have disappeared from it)
     * @param documents the documents, sorted by id
     * @param skipped one line per file or folder that could not be read, {@code <path>: <reason>}
     * @param skippedIds ids of text files that exist but were not read (too big, unreadable), and
     *     {@code <folder id>/} for folders that could not be listed (the root's is {@code ""})
     */
    record Source(Path root, boolean isDirectory, List<Document> documents, List<String> skipped,
                  Set<String> skippedIds) {
        Source {
            documents = List.copyOf(documents);
            skipped = List.copyOf(skipped);
            skippedIds = Set.copyOf(skippedIds);
        }

        /** The value of {@link #SOURCE_ROOT} on this root's documents. */
        String rootKey() {
            return root.toString();
        }

        /**
         * Whether the document {@code id} may still be on disk though it was not read: a file that
         * was skipped, or one under a folder that could not be listed. Its chunks must not be deleted.
         */
        boolean wasSkipped(String id) {
            if (skippedIds.contains(id)) {
                return true;
            }
            for (String skippedId : skippedIds) {
                if ((skippedId.isEmpty() || skippedId.endsWith("/")) && id.startsWith(skippedId)) {
                    return true;
                }
            }
            return false;
        }
    }

    private FileCorpus() {
    }

    /** {@link #read(Path, Map, long)} with the library's default maximum document size. */
    static Source read(Path root, Map<String, Object> extraMetadata) {
        return read(root, extraMetadata, Ingestor.DEFAULT_MAX_DOCUMENT_CHARS);
    }

    /**
     * Reads every {@code .md}, {@code .markdown}, {@code .txt} and {@code .text} file under
     * {@code root}, skipping hidden files and folders (such as {@code .git} and {@code .ragkit}).
     * A file or folder that cannot be read is skipped and named in {@link Source#skipped()}; the rest
     * is read. So is a file of more than {@code maxDocumentChars} bytes, before it is read: UTF-8
     * takes at least one byte a character, so a file within that size is never too long in characters.
     *
     * @param extraMetadata added to every document, e.g. the embedder id
     * @param maxDocumentChars the ingestor's maximum document size ({@code rag.ingest.max-document-chars})
     * @throws CliUsageException if {@code root} does not exist or is a file of another type
     */
    static Source read(Path root, Map<String, Object> extraMetadata, long maxDocumentChars) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new CliUsageException("no such file or folder: " + root);
        }
        boolean isDirectory = Files.isDirectory(absolute);
        List<String> skipped = new ArrayList<>();
        Set<String> skippedIds = new HashSet<>();
        List<Path> files;
        if (isDirectory) {
            files = list(absolute, skipped, skippedIds);
        } else {
            if (!isText(absolute)) {
                throw new CliUsageException(root + " is not a text file: ingest reads "
                        + String.join(", ", EXTENSIONS.stream().sorted().map(e -> "." + e).toList()));
            }
            files = List.of(absolute);
        }
        List<Document> documents = new ArrayList<>();
        for (Path file : files) {
            String id = isDirectory ? idOf(absolute.relativize(file)) : file.getFileName().toString();
            if (id.contains("#")) {
                skipped.add(file + ": '#' cannot appear in a document id (chunk ids are <id>#<n>); rename the file");
                continue;
            }
            String text;
            try {
                long size = Files.size(file);
                if (size > maxDocumentChars) {
                    skipped.add(file + ": " + size + " bytes, more than " + Ingestor.MAX_DOCUMENT_CHARS_KEY + " ("
                            + maxDocumentChars + "); raise it to ingest this file");
                    skippedIds.add(id);
                    continue;
                }
                text = readUtf8(file);
            } catch (CharacterCodingException e) {
                skipped.add(file + ": not UTF-8 text");
                skippedIds.add(id);
                continue;
            } catch (IOException e) {
                skipped.add(file + ": " + reason(e));
                skippedIds.add(id);
                continue;
            }
            Map<String, Object> metadata = new LinkedHashMap<>(extraMetadata);
            metadata.put("title", title(text, file));
            String lang = language(id, text);
            if (lang != null) {
                metadata.put("lang", lang);
            }
            metadata.put(SOURCE_ROOT, absolute.toString());
            metadata.put(SOURCE, file.toString());
            documents.add(new Document(id, text, metadata));
        }
        return new Source(absolute, isDirectory, documents, skipped, skippedIds);
    }

    /**
     * The text files under {@code root}, sorted. A folder or file that cannot be visited (no
     * permission, a path too long for the system) is added to {@code skipped} and the walk goes on.
     */
    private static List<Path> list(Path root, List<String> skipped, Set<String> skippedIds) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return isHidden(root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // A link is followed to decide whether it is a regular file, as Files.isRegularFile does.
                    boolean regular = attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file));
                    if (regular && !isHidden(root.relativize(file)) && isText(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path path, IOException e) {
                    Path relative = root.relativize(path);
                    if (!isHidden(relative) && (isText(path) || !Files.isRegularFile(path))) {
                        skipped.add(path + ": " + reason(e));
                        // Unknown whether it is a folder or a file: protect both readings.
                        skippedIds.add(idOf(relative));
                        skippedIds.add(relative.toString().isEmpty() ? "" : idOf(relative) + "/");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {   // the listing broke off part way
                        skipped.add(dir + ": " + reason(e));
                        Path relative = root.relativize(dir);
                        skippedIds.add(relative.toString().isEmpty() ? "" : idOf(relative) + "/");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The visitor never stops the walk, so only the root itself can end up here.
            throw new UncheckedIOException("cannot list " + root + ": " + reason(e), e);
        }
        files.sort(null);
        return files;
    }

    /** Why a file operation failed, without the path that the message of a file system error repeats. */
    static String reason(IOException e) {
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

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    private static String idOf(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The first Markdown level-1 heading, else the file name without its extension. */
    static String title(String text, Path file) {
        // Line by line rather than text.split: a big file would be copied into an array of all its lines.
        Matcher lineBreaks = LINE_BREAK.matcher(text);
        int start = 0;
        while (start <= text.length()) {
            int end = lineBreaks.find() ? lineBreaks.start() : text.length();
            if (text.startsWith("# ", start)) {
                // Without control characters, as the library cleans the text: the title is printed in answers.
                String heading = ControlCharacters.strip(text.substring(start + 2, end)).strip();
                if (!heading.isEmpty()) {
                    return heading;
                }
            }
            if (end == text.length()) {
                break;
            }
            start = lineBreaks.end();
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * {@code fr} or {@code en}: from a path segment or a name part ({@code fr/x.md}, {@code x.fr.md}),
     * else by counting common French and English words; null when there is no evidence either way.
     */
    static String language(String id, String text) {
        for (String part : id.toLowerCase(Locale.ROOT).split("[/.]")) {
            if (part.equals("fr") || part.equals("en")) {
                return part;
            }
        }
        int french = 0;
        int english = 0;
        // Word by word rather than lower-casing and splitting the whole text, which for a big file made
        // a copy of it and an array of millions of words. Common words are short: longer ones are not looked at.
        Matcher words = LETTERS.matcher(text);
        while (words.find()) {
            if (words.end() - words.start() > LONGEST_COMMON_WORD) {
                continue;
            }
            String word = text.substring(words.start(), words.end()).toLowerCase(Locale.ROOT);
            if (FRENCH_WORDS.contains(word)) {
                french++;
            } else if (ENGLISH_WORDS.contains(word)) {
                english++;
            }
        }
        if (french == english) {
            return null;
        }
        return french > english ? "fr" : "en";
    }
}
