package dev.ragkit.guard.train;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ragkit.embed.onnx.internal.OnnxGraphs;
import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.internal.SemanticScorer;
import dev.ragkit.guard.internal.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many ordinary questions the injection guard would flag with the fine-tuned top layers that
 * {@code finetune-minilm.py train --freeze 4 --export DIR} wrote, blended with the n-gram score as
 * the out-of-fold figures chose: the false alarms the rows those layers were trained and measured on
 * cannot show (they hold no ordinary question). Each fold's model stands in for a shipped one, at its
 * fold's nested threshold.
 *
 * <p>Per question, as one shared encoder pass would do it: the shipped 8-bit embedder's states after
 * layer 4 (the text tokenized with the guard's WordPiece vocabulary, the embedder's, as the training
 * rows were; [CLS] + 126 tokens + [SEP]), the fold's top layers over them (ONNX Runtime), and
 * {@link InjectionDetector#ngramScore} for the n-gram side. The n-gram model alone is counted at its
 * own threshold, as the guard ships today.
 *
 * <p>Arguments: {@code MODELS BLEND THRESHOLDS FILE...}: the models' path with {@code %d} for the fold,
 * the blend weight of the layers' score, the five folds' thresholds (comma-separated), then JSON-lines
 * files of questions ({@code _id}, {@code text}); a file named {@code queries.jsonl} under a
 * {@code piaf} folder is read for its held-out 20% only (the rows no guard training reads).
 *
 * <pre>
 * mvn -B -q -f rag-guard/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.ragkit.guard.train.ExportedLayersOnQuestions \
 *   -Dexec.args="target/finetune/export/fold-%d-q.onnx 0.25 0.51,0.51,0.45,0.50,0.45 ../shared/data/piaf/queries.jsonl"
 * </pre>
 */
public final class ExportedLayersOnQuestions {
    private static final int FOLDS = 5;
    private static final int SHOWN = 5;

    private ExportedLayersOnQuestions() {
    }

    /** Entry point: {@code MODELS BLEND THRESHOLDS FILE...}. */
    public static void main(String[] args) throws IOException, OrtException {
        if (args.length < 4 || !args[0].contains("%d")) {
            throw new IllegalArgumentException("usage: ExportedLayersOnQuestions MODELS BLEND THRESHOLDS FILE...");
        }
        double blend = Double.parseDouble(args[1]);
        double[] thresholds = Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray();
        if (thresholds.length != FOLDS) {
            throw new IllegalArgumentException("THRESHOLDS had " + thresholds.length + " values but there are " + FOLDS + " folds");
        }
        InjectionDetector detector = InjectionDetector.standard();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromResource(SemanticScorer.VOCABULARY);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        String states = OnnxGraphs.bertLayerOutput(4);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession embedder = environment.createSession(OnnxGraphs.withFloatOutput(ExportEncoderStates.embedderBytes(), states), options)) {
            List<OrtSession> tops = new ArrayList<>();
            try {
                for (int fold = 0; fold < FOLDS; fold++) {
                    tops.add(environment.createSession(String.format(Locale.ROOT, args[0], fold), options));
                }
                for (int f = 3; f < args.length; f++) {
                    Path file = Path.of(args[f]);
                    List<String> questions = questions(file);
                    int ngramFlagged = 0;
                    int[] flagged = new int[FOLDS];
                    List<String> shown = new ArrayList<>();
                    for (String text : questions) {
                        double ngram = detector.ngramScore(text).score();
                        if (ngram >= detector.ngramThreshold()) {
                            ngramFlagged++;
                        }
                        float[][] lower = ExportEncoderStates.run(environment, embedder, ExportEncoderStates.window(tokenizer.encode(text)), states);
                        boolean any = false;
                        for (int fold = 0; fold < FOLDS; fold++) {
                            double p = ScoreExportedLayers.score(environment, tops.get(fold), lower);
                            if (blend * p + (1 - blend) * ngram >= thresholds[fold]) {
                                flagged[fold]++;
                                any = true;
                            }
                        }
                        if (any && shown.size() < SHOWN) {
                            shown.add(String.format(Locale.ROOT, "n-gram %.2f, lang %s: %s", ngram, GuardLanguage.of(text), text));
                        }
                    }
                    System.out.printf(Locale.ROOT, "%s: %d questions; flagged by the n-gram model alone at %.2f: %d;"
                            + " blended %.2f with each fold's layers at its threshold: %s%n", file, questions.size(),
                            detector.ngramThreshold(), ngramFlagged, blend, Arrays.toString(flagged));
                    shown.forEach(s -> System.out.println("  " + s));
                }
            } finally {
                for (OrtSession top : tops) {
                    top.close();
                }
            }
        }
    }

    /** The file's question texts; PIAF's held-out 20% only. */
    private static List<String> questions(Path file) throws IOException {
        boolean piaf = file.getFileName().toString().equals("queries.jsonl") && file.toAbsolutePath().normalize()
                .getParent().getFileName().toString().equals("piaf");
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> row : DevelopmentRows.read(file)) {
            String text = String.valueOf(row.get("text"));
            if (!text.isBlank() && (!piaf || Split.HELDOUT.contains(String.valueOf(row.get("_id"))))) {
                texts.add(text);
            }
        }
        return texts;
    }
}
