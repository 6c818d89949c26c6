package dev.ragkit.examples.cli;

import dev.ragkit.core.model.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    /**
     * What was read under one root.
     *
     * @param root the absolute, normalised root
     * @param isDirectory whether the root is a folder (only then can files have disappeared from it)
     * @param documents the documents, sorted by id
     * @param skipped one line per file that could not be read, saying why
     */
    record Source(Path root, boolean isDirectory, List<Document> documents, List<String> skipped) {
        Source {
            documents = List.copyOf(documents);
            skipped = List.copyOf(skipped);
        }

        /** The value of {@link #SOURCE_ROOT} on this root's documents. */
        String rootKey() {
            return root.toString();
        }
    }

    private FileCorpus() {
    }

    /**
     * Reads every {@code .md}, {@code .markdown}, {@code .txt} and {@code .text} file under
     * {@code root}, skipping hidden files and folders (such as {@code .git} and {@code .ragkit}).
     *
     * @param extraMetadata added to every document, e.g. the embedder id
     * @throws CliUsageException if {@code root} does not exist or is a file of another type
     */
    static Source read(Path root, Map<String, Object> extraMetadata) {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new CliUsageException("no such file or folder: " + root);
        }
        boolean isDirectory = Files.isDirectory(absolute);
        List<Path> files;
        if (isDirectory) {
            try (Stream<Path> walk = Files.walk(absolute)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> !isHidden(absolute.relativize(p)))
                        .filter(FileCorpus::isText)
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + absolute + ": " + e.getMessage(), e);
            }
        } else {
            if (!isText(absolute)) {
                throw new CliUsageException(root + " is not a text file: ingest reads "
                        + String.join(", ", EXTENSIONS.stream().sorted().map(e -> "." + e).toList()));
            }
            files = List.of(absolute);
        }
        List<Document> documents = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path file : files) {
            String id = isDirectory ? idOf(absolute.relativize(file)) : file.getFileName().toString();
            if (id.contains("#")) {
                skipped.add(file + ": '#' cannot appear in a document id (chunk ids are <id>#<n>); rename the file");
                continue;
            }
            String text;
            try {
                text = readUtf8(file);
            } catch (CharacterCodingException e) {
                skipped.add(file + ": not UTF-8 text");
                continue;
            } catch (IOException e) {
                skipped.add(file + ": " + e.getMessage());
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
        return new Source(absolute, isDirectory, documents, skipped);
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
        for (String line : text.split("\\R")) {
            if (line.startsWith("# ") && !line.substring(2).isBlank()) {
                return line.substring(2).strip();
            }
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
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
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
