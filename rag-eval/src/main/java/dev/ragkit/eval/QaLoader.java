package dev.ragkit.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ragkit.core.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a QA set in JSON lines, one question a line: {@code id}, {@code question},
 * {@code answers[]}, {@code answer_starts[]}, {@code context_id}, {@code title} (the layout of
 * {@code shared/data/piaf/qa.jsonl}).
 */
public final class QaLoader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QaLoader() {
    }

    /**
     * Loads every question of {@code file}.
     *
     * @throws InvalidInputException naming the line of a malformed record
     */
    public static List<QaExample> load(Path file) {
        List<QaExample> examples = new ArrayList<>();
        NumberedLines.forEach(file, (line, lineNo) -> {
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidInputException(file + ":" + lineNo + ": malformed JSON: " + e.getOriginalMessage());
            }
            try {
                examples.add(parse(node));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(file + ":" + lineNo + ": " + e.getMessage());
            }
        });
        return examples;
    }

    private static QaExample parse(JsonNode node) {
        List<String> answers = new ArrayList<>();
        node.path("answers").forEach(a -> answers.add(a.asText()));
        List<Integer> starts = new ArrayList<>();
        node.path("answer_starts").forEach(s -> {
            if (!s.canConvertToInt()) {
                throw new InvalidInputException("answer_starts value '" + s + "' is not a whole number");
            }
            starts.add(s.asInt());
        });
        return new QaExample(text(node, "id"), text(node, "question"), answers, starts, text(node, "context_id"),
                text(node, "title"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
