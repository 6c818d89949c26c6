package dev.ragkit.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ragkit.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads datasets in the BEIR layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv}
 * ({@code query-id corpus-id score}, tab-separated, one header line).
 *
 * <p>From queries only {@code _id} and {@code text} are read; every other field (SciFact's
 * {@code metadata} holds the gold document ids) is skipped by the streaming parser and never kept.
 */
public final class BeirLoader {
    private static final JsonFactory JSON = new JsonFactory();

    private BeirLoader() {
    }

    /**
     * Loads corpus, queries and the qrels of {@code split} from {@code dir}.
     *
     * @throws InvalidInputException naming the file and line of a malformed record, or a qrels query
     *     with no text
     * @throws UncheckedIOException when a file cannot be read
     */
    public static BeirDataset load(Path dir, String split) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("BEIR data directory '" + dir + "' does not exist or is not a directory");
        }
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        Qrels qrels = loadQrels(qrelsFile);
        List<CorpusDocument> corpus = loadCorpus(dir.resolve("corpus.jsonl"));
        Map<String, EvalQuery> queries = loadQueries(dir.resolve("queries.jsonl"));
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new BeirDataset(name == null ? dir.toString() : name.toString(), split, corpus, queries, qrels);
    }

    /** Reads {@code corpus.jsonl}; missing {@code title} or {@code text} count as empty. */
    public static List<CorpusDocument> loadCorpus(Path file) {
        List<CorpusDocument> docs = new ArrayList<>();
        forEachJsonLine(file, (parser, lineNo) -> {
            Map<String, String> fields = readStringFields(parser, Set.of("_id", "title", "text"), file, lineNo);
            docs.add(new CorpusDocument(requireId(fields, file, lineNo), fields.get("title"), fields.get("text")));
        });
        return docs;
    }

    /** Reads {@code queries.jsonl}, keeping only {@code _id} and {@code text}. */
    public static Map<String, EvalQuery> loadQueries(Path file) {
        Map<String, EvalQuery> queries = new LinkedHashMap<>();
        forEachJsonLine(file, (parser, lineNo) -> {
            Map<String, String> fields = readStringFields(parser, Set.of("_id", "text"), file, lineNo);
            String id = requireId(fields, file, lineNo);
            String text = fields.get("text");
            if (text == null || text.isBlank()) {
                throw new InvalidInputException(file + ":" + lineNo + ": query '" + id + "' has no text");
            }
            if (queries.put(id, new EvalQuery(id, text)) != null) {
                throw new InvalidInputException(file + ":" + lineNo + ": duplicate query _id '" + id + "'");
            }
        });
        return queries;
    }

    /**
     * Reads a qrels TSV. The first line is skipped when its score column is not a whole number (the
     * BEIR header {@code query-id corpus-id score}). A repeated (query, document) pair keeps the last
     * score, as BEIR's loader does.
     */
    public static Qrels loadQrels(Path file) {
        Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
        NumberedLines.forEach(file, (line, lineNo) -> {
            String[] cols = line.split("\t");
            if (cols.length < 3) {
                throw new InvalidInputException(file + ":" + lineNo + ": expected 3 tab-separated columns"
                        + " (query-id, corpus-id, score) but found " + cols.length + ": '" + line + "'");
            }
            int score;
            try {
                score = Integer.parseInt(cols[2].trim());
            } catch (NumberFormatException e) {
                if (lineNo == 1) {
                    return; // the header line
                }
                throw new InvalidInputException(file + ":" + lineNo + ": score was '" + cols[2]
                        + "' but it must be a whole number");
            }
            judgments.computeIfAbsent(cols[0].trim(), q -> new LinkedHashMap<>()).put(cols[1].trim(), score);
        });
        return Qrels.of(judgments);
    }

    @FunctionalInterface
    interface LineHandler {
        void accept(JsonParser parser, int lineNo) throws IOException;
    }

    static void forEachJsonLine(Path file, LineHandler handler) {
        NumberedLines.forEach(file, (line, lineNo) -> {
            try (JsonParser parser = JSON.createParser(line)) {
                handler.accept(parser, lineNo);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidInputException(file + ":" + lineNo + ": malformed JSON: " + e.getOriginalMessage());
            }
        });
    }

    /**
     * Reads the top-level string (or number) fields named in {@code wanted}; every other value,
     * nested or not, is skipped without being materialised.
     */
    static Map<String, String> readStringFields(JsonParser parser, Set<String> wanted, Path file, int lineNo)
            throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidInputException(file + ":" + lineNo + ": expected a JSON object");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!wanted.contains(name)) {
                parser.skipChildren();
                continue;
            }
            if (value == JsonToken.VALUE_STRING || value.isNumeric()) {
                fields.put(name, parser.getText());
            } else if (value == JsonToken.VALUE_NULL) {
                fields.put(name, null);
            } else {
                throw new InvalidInputException(file + ":" + lineNo + ": field '" + name
                        + "' must be a string but was " + value);
            }
        }
        return fields;
    }

    static String requireId(Map<String, String> fields, Path file, int lineNo) {
        String id = fields.get("_id");
        if (id == null || id.isBlank()) {
            throw new InvalidInputException(file + ":" + lineNo + ": missing or empty _id");
        }
        return id;
    }
}
