package dev.ragkit.guard.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of a jsonl development file of {@code ../shared/data/guard} (one JSON object per line,
 * blank lines skipped), as maps of strings, numbers, lists and maps.
 */
public final class DevelopmentRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DevelopmentRows() {
    }

    /** Every row of {@code file}. */
    public static List<Map<String, Object>> read(Path file) throws IOException {
        return read(file, Split.ALL);
    }

    /**
     * The rows of {@code file} in {@code split}, decided by each row's {@code id} ({@code line-<n>} for a
     * row without one).
     *
     * @throws IllegalArgumentException naming the file and line of a row that is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file, Split split) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            Map<String, Object> row;
            try {
                row = JSON.readValue(text, Map.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + line + ": " + e.getOriginalMessage(), e);
            }
            if (split.contains(String.valueOf(row.getOrDefault("id", "line-" + line)))) {
                rows.add(row);
            }
        }
        return rows;
    }
}
