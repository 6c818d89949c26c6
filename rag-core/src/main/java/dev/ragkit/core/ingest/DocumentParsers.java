package dev.ragkit.core.ingest;

import dev.ragkit.core.RagConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which {@link DocumentParser} reads which file extension: rag-core's own ({@link PlainTextParser},
 * {@link SimpleHtmlParser}), then those registered through {@link ServiceLoader}, which take over the
 * extensions they claim. Immutable.
 */
public final class DocumentParsers {
    private static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern VALID_EXTENSION = Pattern.compile("[a-z0-9]+");

    private final Map<String, DocumentParser> byExtension;

    private DocumentParsers(Map<String, DocumentParser> byExtension) {
        this.byExtension = Collections.unmodifiableMap(new TreeMap<>(byExtension));
    }

    /** Rag-core's parsers only: Markdown, text and simple HTML. */
    public static DocumentParsers builtIn() {
        return of(List.of());
    }

    /** Rag-core's parsers and those registered on the context class loader (or this class's). */
    public static DocumentParsers discover() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return discover(loader != null ? loader : DocumentParsers.class.getClassLoader());
    }

    /**
     * Rag-core's parsers and those registered through {@link ServiceLoader} on {@code loader}.
     *
     * @throws RagConfigurationException when a parser fails to load, has an invalid name or
     *     extension, or claims an extension that another registered parser claims; all listed at once
     */
    public static DocumentParsers discover(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        List<DocumentParser> found = new ArrayList<>();
        var iterator = ServiceLoader.load(DocumentParser.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<DocumentParser> candidate;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                candidate = iterator.next();
            } catch (ServiceConfigurationError e) {
                problems.add("document parser could not be loaded: " + e.getMessage());
                continue;
            }
            try {
                found.add(candidate.get());
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add("document parser " + candidate.type().getName() + " could not be created: " + e);
            }
        }
        return build(found, problems);
    }

    /** Rag-core's parsers and {@code parsers}, which take over the extensions they claim; checked like discovered ones. */
    public static DocumentParsers of(List<? extends DocumentParser> parsers) {
        return build(parsers, new ArrayList<>());
    }

    private static DocumentParsers build(List<? extends DocumentParser> added, List<String> problems) {
        Map<String, DocumentParser> byExtension = new TreeMap<>();
        for (DocumentParser p : List.of(new PlainTextParser(), new SimpleHtmlParser())) {
            p.extensions().forEach(e -> byExtension.put(e, p));
        }
        Map<String, DocumentParser> claimed = new TreeMap<>();
        for (DocumentParser p : added) {
            String name = p.name();
            if (name == null || !VALID_NAME.matcher(name).matches()) {
                problems.add("document parser " + p.getClass().getName() + " has name '" + name
                        + "' but names must be lowercase [a-z0-9-]");
            }
            for (String extension : p.extensions()) {
                if (!VALID_EXTENSION.matcher(extension).matches()) {
                    problems.add("document parser " + p.getClass().getName() + " claims extension '" + extension
                            + "' but extensions are lowercase [a-z0-9], without the dot");
                    continue;
                }
                DocumentParser other = claimed.putIfAbsent(extension, p);
                if (other != null && other != p) {
                    problems.add("document parsers " + other.getClass().getName() + " and " + p.getClass().getName()
                            + " both claim extension '." + extension + "'; remove one from the class path or pass"
                            + " the parsers explicitly");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RagConfigurationException(problems);
        }
        byExtension.putAll(claimed);
        return new DocumentParsers(byExtension);
    }

    /** The parser of a lowercase extension (without the dot), or null. */
    public DocumentParser forExtension(String extension) {
        return byExtension.get(extension);
    }

    /** Every extension read, sorted, to parser. */
    public Map<String, DocumentParser> byExtension() {
        return byExtension;
    }
}
