package dev.ragkit.core.ingest;

import dev.ragkit.core.text.ControlCharacters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown and plain text ({@code .md}, {@code .markdown}, {@code .txt}, {@code .text}), read as
 * strict UTF-8 (a byte-order mark is dropped); the title is the first {@code # } heading.
 */
public final class PlainTextParser implements DocumentParser {
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    /** A parser with no settings; rag-core registers one in {@link DocumentParsers}. */
    public PlainTextParser() {
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public Set<String> extensions() {
        return Set.of("md", "markdown", "txt", "text");
    }

    @Override
    public ParsedDocument parse(Path file) throws IOException {
        String text = readUtf8(file);
        return new ParsedDocument(text, firstHeading(text));
    }

    /**
     * The file as strict UTF-8, without a leading byte-order mark.
     *
     * @throws java.nio.charset.CharacterCodingException when it is not UTF-8
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The first Markdown level-1 heading ({@code # Title}) without control characters, or null. */
    public static String firstHeading(String text) {
        // Line by line rather than text.split: a big file would be copied into an array of all its lines.
        Matcher lineBreaks = LINE_BREAK.matcher(text);
        int start = 0;
        while (start <= text.length()) {
            int end = lineBreaks.find() ? lineBreaks.start() : text.length();
            if (text.startsWith("# ", start)) {
                // Without control characters, as the ingestor cleans the text: the title is printed in answers.
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
        return null;
    }
}
