package dev.ragkit.guard.train;

import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.internal.SemanticScorer;
import dev.ragkit.guard.internal.WordPieceTokenizer;
import dev.ragkit.guard.train.TrainGuards.Example;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a guard's training rows, exactly as {@link TrainGuards} builds them, as WordPiece token
 * ids (all-MiniLM-L6-v2's vocabulary, the one {@link SemanticScorer} reads), for
 * {@code rag-guard/scripts/finetune-minilm.py}: the measurement of a fully fine-tuned encoder
 * against the n-gram model on the same rows, the same twin-grouped folds and the same units left out.
 *
 * <p>One row per line, tab-separated: source, label (0/1), part, SHA-256 of the text (the key of
 * {@code TrainGuards}' out-of-fold dumps), the language the guard judges, token ids (space-separated,
 * at most {@value #MAX_TOKENS}, without [CLS] and [SEP]). The part is, for injection, the row's
 * twin-grouped fold ({@link TrainGuards#twinFolds}, 0..4) or {@code -1} for the synthetic template
 * rows that are only ever trained on; for toxicity, {@code fit} for the rows the n-gram model fits
 * and {@code scored} for FTR's non-racist insults, which are scored but never fitted on.
 *
 * <pre>
 * mvn -B -q -f rag-guard/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ragkit.guard.train.ExportEncoderRows -Dexec.args="injection target/finetune/injection.tsv"
 * </pre>
 */
public final class ExportEncoderRows {
    /** Tokens kept per row; the fine-tuning script reads at most 126 of them. */
    static final int MAX_TOKENS = 254;

    private ExportEncoderRows() {
    }

    /** Entry point: {@code injection|toxicity OUT [--data DIR]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 4) {
            throw new IllegalArgumentException("usage: ExportEncoderRows injection|toxicity OUT [--data DIR]");
        }
        if (!args[0].equals("injection") && !args[0].equals("toxicity")) {
            throw new IllegalArgumentException("task was '" + args[0] + "' but it must be injection or toxicity");
        }
        Path data = args.length == 4 && args[2].equals("--data") ? Path.of(args[3]) : Path.of("../shared/data/guard");
        List<Example> plain = TrainGuards.plainNegatives(data, Split.ALL);
        List<Example> rows = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        if (args[0].equals("injection")) {
            List<Example> all = TrainGuards.injectionRows(data, Split.ALL, plain);
            List<Example> scored = all.stream().filter(e -> !TrainGuards.trainingOnly(e)).toList();
            int[] fold = TrainGuards.twinFolds(scored, 5);
            int j = 0;
            for (Example e : all) {
                rows.add(e);
                parts.add(TrainGuards.trainingOnly(e) ? "-1" : String.valueOf(fold[j++]));
            }
        } else {
            ToxicityTraining.Rows r = ToxicityTraining.rows(data, Split.ALL, plain);
            for (Example e : r.fitted()) {
                rows.add(e);
                parts.add("fit");
            }
            for (Example e : r.ftrNotRacist()) {
                rows.add(e);
                parts.add("scored");
            }
        }
        Path out = Path.of(args[1]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(SemanticScorer.VOCABULARY);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows.size(); i++) {
                Example e = rows.get(i);
                int[] ids = tokenizer.encode(e.text());
                StringBuilder line = new StringBuilder();
                line.append(e.source()).append('\t').append(e.positive() ? 1 : 0).append('\t').append(parts.get(i)).append('\t')
                        .append(TrainGuards.sha256(e.text())).append('\t').append(GuardLanguage.of(e.text())).append('\t');
                for (int k = 0; k < Math.min(ids.length, MAX_TOKENS); k++) {
                    line.append(k == 0 ? "" : " ").append(ids[k]);
                }
                w.write(line.append('\n').toString());
            }
        }
        System.out.printf("%s: %d rows -> %s%n", args[0], rows.size(), out);
    }
}
