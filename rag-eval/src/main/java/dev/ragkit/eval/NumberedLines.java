package dev.ragkit.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The non-blank lines of a UTF-8 file with their line numbers (from 1, blank lines counted), so a
 * loader's error can name the line at fault.
 */
final class NumberedLines {
    /** What a loader does with one line; may throw the parser's {@link IOException}. */
    @FunctionalInterface
    interface Handler {
        void accept(String line, int lineNo) throws IOException;
    }

    private NumberedLines() {
    }

    /**
     * Calls {@code handler} for each non-blank line of {@code file}, in order.
     *
     * @throws UncheckedIOException when the file cannot be read, or the handler throws an
     *     {@link IOException} (a loader turns malformed input into its own exception first)
     */
    static void forEach(Path file, Handler handler) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    handler.accept(line, lineNo);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
