package dev.ragkit.core.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns one file into text for {@link FileSystemLoader}, chosen by the file's extension. Rag-core
 * reads Markdown, plain text and simple HTML itself; an optional module such as
 * {@code dev.ragkit:rag-loader-tika} adds other formats by registering a parser in
 * {@code META-INF/services/dev.ragkit.core.ingest.DocumentParser}. A registered parser takes over
 * the extensions it claims from the built-in ones. Its no-arg constructor does nothing heavy.
 */
public interface DocumentParser {
    /** Lowercase {@code [a-z0-9-]} name, e.g. {@code tika}, shown in errors and skip reasons. */
    String name();

    /** The extensions this parser reads, lowercase and without the dot, e.g. {@code pdf}, {@code docx}. */
    Set<String> extensions();

    /**
     * Reads {@code file}. The loader has already checked its size against the maximum.
     *
     * @throws IOException when the file cannot be read or is not valid in its format; the file is
     *     skipped with the exception's message as the reason (a
     *     {@link java.nio.charset.CharacterCodingException} reads {@code not UTF-8 text})
     */
    ParsedDocument parse(Path file) throws IOException;
}
