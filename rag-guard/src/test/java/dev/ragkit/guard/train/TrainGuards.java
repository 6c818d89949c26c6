package dev.ragkit.guard.train;

import dev.ragkit.guard.internal.FeatureHasher;
import dev.ragkit.guard.internal.FrenchGloss;
import dev.ragkit.guard.internal.GermanGloss;
import dev.ragkit.guard.internal.InjectionRules;
import dev.ragkit.guard.internal.LinearModel;
import dev.ragkit.guard.internal.SemanticScorer;
import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.TextNormalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the bundled injection and toxicity models, reproducibly (fixed seeds, fixed order), from
 * the development files of {@code ../shared/data/guard}, and writes them as resources. Usage:
 * {@code TrainGuards [--data DIR] [--out DIR] [--fit all|train]}, defaults
 * {@code ../shared/data/guard}, {@code rag-guard/src/main/resources/dev/ragkit/guard} (run from the
 * project root) and {@code all}. The injection threshold is chosen by 5-fold cross-validation on the
 * rows fitted, maximising F1; the toxicity model is trained and measured by {@link ToxicityTraining}.
 *
 * <p>{@code --fit all} (the bundled models) learns from every development row: the official test
 * splits are elsewhere, so no development row needs keeping back. {@code --fit train} learns from
 * the 80% training part of {@link Split} only, which leaves the held-out part for an honest estimate
 * of the figures: write those models elsewhere and put that folder first on the class path to
 * evaluate them (see the module README).
 *
 * <p>A maintainer's tool, kept in the test sources: it fits the internal model format
 * ({@code LinearModel}, {@code TextClassifier}'s features, {@code SemanticScorer}) and writes this
 * module's own resources, so it is in no published jar and needs no public training API. Run from the
 * project root: {@code mvn -B -q -f rag-guard/pom.xml test-compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.ragkit.guard.train.TrainGuards [-Dexec.args="--fit train --out DIR"]}.
 */
public final class TrainGuards {
    static final long SEED = Long.getLong("ragkit.train.seed", 20_261_123L);
    static final int EPOCHS = Integer.getInteger("ragkit.train.epochs", 12);
    static final double RATE = Double.parseDouble(System.getProperty("ragkit.train.rate", "0.4"));
    static final double L2 = Double.parseDouble(System.getProperty("ragkit.train.l2", "1e-6"));

    static final double DEEPSET_WEIGHT = Double.parseDouble(System.getProperty("ragkit.train.deepset-weight", "1"));
    /**
     * Shuffled AdaGrad runs averaged into the n-gram model. One run's deepset CV F1 moved with the
     * seed (the example order) from 0.892 to 0.913 over three seeds, the mean of five runs from 0.894
     * to 0.899: on average no better, but the bundled model depends less on one shuffle.
     */
    static final int RUNS = Integer.getInteger("ragkit.train.runs", 5);

    private TrainGuards() {
    }

    /** One labelled example. */
    record Example(String source, String text, boolean positive) {
    }

    /**
     * What to train: the model's name, its rules, the factor on texts no rule fires on
     * ({@link TextClassifier#withoutRuleFactor}; 1: none), the F1 slack of the threshold choice
     * ({@link #bestThreshold}), where to write the n-gram model and the token-vector head
     * ({@code null}: no head), and the French gloss both models read ({@code null}: none).
     */
    record Task(String name, List<TextClassifier.Rule> rules, double withoutRuleFactor, double thresholdSlack,
            Path model, Path semanticModel, FrenchGloss gloss, GermanGloss german) {
    }

    /**
     * Whether the injection models read German sentences through {@link GermanGloss}: as the detector
     * does ({@link InjectionRules#GERMAN_GLOSS}), or {@code -Dragkit.train.german=true|false} for a
     * comparison (models written with a setting other than the detector's are for measurement only).
     */
    static final boolean INJECTION_GERMAN_GLOSS = Boolean.parseBoolean(System.getProperty("ragkit.train.german",
            String.valueOf(InjectionRules.GERMAN_GLOSS)));

    /**
     * Whether the injection models read {@link InjectionRules#STRUCTURE_RULES} as features: as the
     * detector does ({@link InjectionRules#STRUCTURE}), or {@code -Dragkit.train.structure=true|false}
     * for a comparison (models written with another setting are for measurement only).
     */
    static final boolean INJECTION_STRUCTURE = !System.getProperty("ragkit.train.structure",
            String.valueOf(InjectionRules.STRUCTURE)).equals("false");
    /** {@code -Dragkit.train.structure=short}: the structural features plus their short-text copies. */
    static final boolean INJECTION_STRUCTURE_SHORT = System.getProperty("ragkit.train.structure", "").equals("short");

    /**
     * The weight of the synthetic template rows ({@link InjectionTemplates}) in the injection fit, 0:
     * none. Training only: they are never scored in a fold, never choose a threshold.
     * {@code -Dragkit.train.synthetic-weight=W} for a measurement. Chosen on 2026-12-06 (second round)
     * among 0.3 / 0.5 and head multipliers 0 / 1 / 3 by twin-grouped out-of-fold F1 over two
     * shuffling seeds: 0.3 with multiplier 1 is the one setting whose jackhhao F1 stayed at the
     * bundled recipe's on average (0.975 / 0.968 against 0.971 / 0.970), deepset 0.847 / 0.846 to
     * 0.862 / 0.890 (rag-guard/README.md, bench/results/guard-injection-2026-12-06b.md).
     */
    static final double SYNTHETIC_WEIGHT = Double.parseDouble(System.getProperty("ragkit.train.synthetic-weight", "0.3"));
    /**
     * The synthetic rows' weight in the token-vector head, as a multiple of {@link #SYNTHETIC_WEIGHT}
     * ({@code -Dragkit.train.synthetic-semantic=M}; 1: the head counts them as the n-gram model does;
     * 3, as deepset's rows, moved jackhhao down).
     */
    static final double SYNTHETIC_SEMANTIC = Double.parseDouble(System.getProperty("ragkit.train.synthetic-semantic", "1"));

    /** The injection rules training applies ({@link InjectionRules#rules}). */
    static List<TextClassifier.Rule> injectionRules() {
        return InjectionRules.rules(INJECTION_STRUCTURE, INJECTION_STRUCTURE_SHORT);
    }

    /** True for rows that are only ever trained on (the synthetic template rows). */
    static boolean trainingOnly(Example e) {
        return e.source().equals(InjectionTemplates.SOURCE);
    }

    /**
     * The synthetic template rows, less any that is a near-twin ({@link NearTwins}) of a development
     * row: a template must not stand in for a row in the folds where that row is scored.
     */
    static List<Example> syntheticRows(List<Example> development) {
        List<Example> synthetic = InjectionTemplates.rows(SEED);
        List<String> texts = new ArrayList<>(development.stream().map(Example::text).toList());
        texts.addAll(synthetic.stream().map(Example::text).toList());
        int[] group = NearTwins.groups(texts, null);
        java.util.Set<Integer> devGroups = new java.util.HashSet<>();
        for (int i = 0; i < development.size(); i++) {
            devGroups.add(group[i]);
        }
        List<Example> kept = new ArrayList<>();
        for (int i = 0; i < synthetic.size(); i++) {
            if (!devGroups.contains(group[development.size() + i])) {
                kept.add(synthetic.get(i));
            }
        }
        System.out.printf(Locale.ROOT, "synthetic template rows: %d (%d injections), %d dropped as near-twins of"
                + " development rows, weight %.2f%n", kept.size(), kept.stream().filter(Example::positive).count(),
                synthetic.size() - kept.size(), SYNTHETIC_WEIGHT);
        return kept;
    }

    /** The German gloss for a measurement run; {@code -Dragkit.train.german-append=true}: German text kept, gloss appended. */
    private static GermanGloss germanGloss() {
        return Boolean.getBoolean("ragkit.train.german-append") ? GermanGloss.bundled().appending() : GermanGloss.bundled();
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        Path data = Path.of("../shared/data/guard");
        Path out = Path.of("rag-guard/src/main/resources/dev/ragkit/guard");
        Split fit = Split.ALL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--fit" -> fit = fitSplit(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        Files.createDirectories(out);
        System.out.println("fitting on the " + (fit == Split.ALL ? "whole development files" : "80% training part"));
        List<Example> plain = plainNegatives(data, fit);
        // -Dragkit.train.only=injection|toxicity: an experiment on one model need not retrain the other.
        String only = System.getProperty("ragkit.train.only", "");
        if (!only.equals("toxicity")) {
            if (INJECTION_GERMAN_GLOSS != InjectionRules.GERMAN_GLOSS) {
                System.out.println("note: -Dragkit.train.german=" + INJECTION_GERMAN_GLOSS + " differs from the detector's"
                        + " InjectionRules.GERMAN_GLOSS; the injection models written are for measurement only");
            }
            if (INJECTION_STRUCTURE != InjectionRules.STRUCTURE) {
                System.out.println("note: -Dragkit.train.structure=" + INJECTION_STRUCTURE + " differs from the detector's"
                        + " InjectionRules.STRUCTURE; the injection models written are for measurement only");
            }
            List<Example> injection = injectionRows(data, fit, plain);
            // No slack: the deepset rows' recall is the figure at risk, and the injection model flags
            // few ordinary questions anyway (5 of PIAF's 7,569).
            TextClassifier fitted = train(new Task("injection", injectionRules(), 1, 0, out.resolve("injection.model"),
                    out.resolve("injection-semantic.model"), FrenchGloss.bundled(),
                    INJECTION_GERMAN_GLOSS ? germanGloss() : null), injection);
            Path piaf = Path.of(System.getProperty("ragkit.train.piaf", data.resolve("../piaf/queries.jsonl").toString()));
            if (Files.exists(piaf)) {
                // Real French questions, never trained on: the false-positive check of the model just fitted.
                List<Map<String, Object>> queries = DevelopmentRows.read(piaf);
                long flagged = queries.stream().filter(q -> fitted.score((String) q.get("text")).score() >= fitted.threshold())
                        .count();
                System.out.printf(Locale.ROOT, "  PIAF questions flagged by the fitted model: %d of %d (%.2f %%)%n",
                        flagged, queries.size(), 100.0 * flagged / queries.size());
            }
            if (Boolean.getBoolean("ragkit.train.loso")) {
                leaveOneSourceOut(new Task("injection", injectionRules(), 1, 0, null, null, FrenchGloss.bundled(),
                        INJECTION_GERMAN_GLOSS ? germanGloss() : null), injection,
                        List.of("deepset-prompt-injections/train.jsonl", "jackhhao-jailbreak-classification/train.jsonl"));
            }
        }
        if (!only.equals("injection")) {
            ToxicityTraining.train(data, fit, plain, out.resolve("toxicity.model"));
        }
    }

    /**
     * The injection training rows: deepset, jackhhao, the ordinary prose {@code plain}, and the
     * synthetic template rows (training only) when {@link #SYNTHETIC_WEIGHT} is above 0.
     */
    static List<Example> injectionRows(Path data, Split fit, List<Example> plain) throws IOException {
        List<Example> injection = new ArrayList<>();
        injection.addAll(load(data.resolve("deepset-prompt-injections/train.jsonl"), fit));
        injection.addAll(load(data.resolve("jackhhao-jailbreak-classification/train.jsonl"), fit));
        injection.addAll(plain);
        if (SYNTHETIC_WEIGHT > 0) {
            injection.addAll(syntheticRows(injection));
        }
        return injection;
    }

    /**
     * Folds by near-twin group ({@link NearTwins}): deepset's attack sentences reused after several
     * questions, and a Jigsaw comment with its translation (the same position in the English and
     * French files), never straddle training and validation, so the out-of-fold scores and the
     * threshold chosen on them are not inflated by memorised twins. Groups are dealt to folds in a
     * seeded random order.
     */
    static int[] twinFolds(List<Example> examples, int folds) {
        List<String> texts = examples.stream().map(Example::text).toList();
        List<String> keys = new ArrayList<>();
        Map<String, Integer> position = new java.util.HashMap<>();
        for (Example e : examples) {
            int p = position.merge(e.source(), 1, Integer::sum);
            keys.add(e.source().contains("jigsaw_bilingual") ? "jigsaw#" + p : null);
        }
        int[] group = NearTwins.groups(texts, keys);
        List<Integer> reps = java.util.Arrays.stream(group).distinct().sorted().boxed()
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        java.util.Collections.shuffle(reps, new Random(SEED));
        Map<Integer, Integer> foldOf = new java.util.HashMap<>();
        for (int g = 0; g < reps.size(); g++) {
            foldOf.put(reps.get(g), g % folds);
        }
        int[] fold = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            fold[i] = foldOf.get(group[i]);
        }
        return fold;
    }

    /** 1 when one of {@code rules} fires on the text, else 0 (a column of the out-of-fold dump). */
    private static int hitFlag(String text, List<TextClassifier.Rule> rules) {
        List<String> hits = new ArrayList<>();
        TextClassifier.features(TextNormalizer.canonical(text), rules, hits);
        return hits.isEmpty() ? 0 : 1;
    }

    private static Split fitSplit(String value) {
        return switch (value) {
            case "all" -> Split.ALL;
            case "train" -> Split.TRAIN;
            default -> throw new IllegalArgumentException("--fit was '" + value + "' but it must be all or train");
        };
    }

    /**
     * Ordinary sentences from the other development sets in the same folder (French court reports,
     * English customer-service sentences): neither injections nor toxic. Without them, text unlike
     * anything in the labelled sets (plain French prose, short questions) scores near the prior of 0.5.
     */
    @SuppressWarnings("unchecked")
    static List<Example> plainNegatives(Path data, Split fit) throws IOException {
        List<Example> out = new ArrayList<>();
        int k = 0;
        for (Map<String, Object> row : DevelopmentRows.read(data.resolve("echr-fr-anonymization/train.jsonl"), fit)) {
            List<Object> tokens = (List<Object>) row.get("tokens");
            if (tokens.size() >= 6 && k++ % 3 == 0) {
                out.add(new Example("echr-fr-anonymization/train.jsonl", String.join(" ",
                        tokens.stream().map(String::valueOf).toList()), false));
            }
        }
        k = 0;
        for (Map<String, Object> row : DevelopmentRows.read(data.resolve("presidio-research-synth-v2/synth_v2_dev.jsonl"),
                fit)) {
            if (k++ % 3 == 0) {
                out.add(new Example("presidio-research-synth-v2/synth_v2_dev.jsonl", (String) row.get("text"), false));
            }
        }
        return out;
    }

    static List<Example> load(Path file, Split fit) throws IOException {
        List<Example> out = new ArrayList<>();
        for (Map<String, Object> row : DevelopmentRows.read(file, fit)) {
            out.add(new Example(file.getParent().getFileName() + "/" + file.getFileName(), (String) row.get("text"),
                    ((Number) row.get("label")).intValue() == 1));
        }
        return out;
    }

    /**
     * Trains the task's n-gram model and, when it names one, a {@link SemanticScorer} head over the
     * bundled token vectors; the classifier averages the two, and cross-validation scores that
     * average, with the task's factor on texts no rule fires on, so the threshold is chosen on the
     * final scores. With a gloss, both models learn from what they will read: the English gloss of
     * French rows (the plain French negatives).
     */
    static TextClassifier train(Task task, List<Example> all0) throws IOException {
        String name = task.name();
        List<TextClassifier.Rule> rules = task.rules();
        Path target = task.model();
        Path semanticTarget = task.semanticModel();
        SemanticScorer.Shared shared = semanticTarget == null ? null : SemanticScorer.bundled();
        Features features = features(task, all0, shared);
        List<FeatureHasher.Sparse> x = features.x();
        List<float[]> embedded = features.embedded();
        double[] oofAll = outOfFold(task, all0, features, shared, 5);
        // Scores, threshold and figures over the evaluation rows only (training-only rows have none).
        List<Example> examples = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < all0.size(); i++) {
            if (!trainingOnly(all0.get(i))) {
                examples.add(all0.get(i));
                kept.add(oofAll[i]);
            }
        }
        double[] oof = kept.stream().mapToDouble(Double::doubleValue).toArray();
        float threshold = bestThreshold(oof, examples, task.thresholdSlack());
        String dump = System.getProperty("ragkit.train.dump-oof");
        if (dump != null) {
            // Out-of-fold scores, one row per example (SHA-256 of the text, source, label, length,
            // whether a rule fired, score), for analysis and for TrainEncoderHeads (rag-tools), which
            // blends the n-gram score with an encoder head and must not read in-sample n-gram scores.
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < examples.size(); i++) {
                sb.append(sha256(examples.get(i).text())).append('\t').append(examples.get(i).source()).append('\t').append(examples.get(i).positive() ? 1 : 0).append('\t')
                        .append(examples.get(i).text().length()).append('\t')
                        .append(hitFlag(examples.get(i).text(), rules)).append('\t')
                        .append(String.format(Locale.ROOT, "%.5f", oof[i])).append('\n');
            }
            Files.writeString(Path.of(dump + "-" + name + ".tsv"), sb.toString());
        }
        if (System.getProperty("ragkit.train.errors") != null) {
            // Out-of-fold mistakes on the rows fitted, to improve rules without looking at held-out rows.
            for (int i = 0; i < examples.size(); i++) {
                if ((oof[i] >= threshold) != examples.get(i).positive()) {
                    String t = examples.get(i).text().replace('\n', ' ');
                    System.out.printf(Locale.ROOT, "%s error gold=%s oof=%.3f | %s%n", name, examples.get(i).positive(),
                            oof[i], t.substring(0, Math.min(200, t.length())));
                }
            }
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < all0.size(); i++) {
            all.add(i);
        }
        LinearModel model = fit(x, all0, all, threshold);
        try (OutputStream os = Files.newOutputStream(target)) {
            model.write(os);
        }
        SemanticScorer head = shared == null ? null : SemanticHead.fit(shared, embedded, all0, all);
        if (head != null) {
            try (OutputStream os = Files.newOutputStream(semanticTarget)) {
                head.write(os);
            }
        }
        for (String source : examples.stream().map(Example::source).distinct().toList()) {
            List<Example> part = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).source().equals(source)) {
                    part.add(examples.get(i));
                    scores.add(oof[i]);
                }
            }
            double[] sc = scores.stream().mapToDouble(Double::doubleValue).toArray();
            if (part.stream().anyMatch(Example::positive)) {
                System.out.printf(Locale.ROOT, "  %s: %d rows, 5-fold CV F1 %.4f%n", source, part.size(),
                        f1(sc, part, threshold));
            } else {
                long fp = java.util.Arrays.stream(sc).filter(v -> v >= threshold).count();
                System.out.printf(Locale.ROOT, "  %s: %d negative rows, 5-fold CV false positives %d%n", source,
                        part.size(), fp);
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d training rows, 5-fold CV F1 %.4f at threshold %.3f -> %s (%d bytes)%n",
                name, all0.size(), f1(oof, examples, threshold), threshold, target, Files.size(target));
        return new TextClassifier(rules, model, head,
                task.gloss(), task.german()).withoutRuleFactor(task.withoutRuleFactor());
    }

    /** The n-gram feature vectors and token-vector embeddings of the examples ({@code embedded} empty without a head). */
    record Features(List<FeatureHasher.Sparse> x, List<float[]> embedded) {
    }

    static Features features(Task task, List<Example> examples, SemanticScorer.Shared shared) {
        List<FeatureHasher.Sparse> x = new ArrayList<>();
        List<float[]> embedded = new ArrayList<>();
        for (Example e : examples) {
            String view = TextClassifier.modelView(TextNormalizer.canonical(e.text()), task.gloss(), task.german());
            x.add(TextClassifier.features(view, task.rules(), null));
            if (shared != null) {
                embedded.add(shared.embed(view));
            }
        }
        return new Features(x, embedded);
    }

    /** The classifier of the task fitted on the rows {@code trainIdx}. */
    static TextClassifier classifier(Task task, List<Example> examples, Features f, SemanticScorer.Shared shared,
            List<Integer> trainIdx, float threshold) {
        LinearModel m = fit(f.x(), examples, trainIdx, threshold);
        return new TextClassifier(task.rules(), m,
                shared == null ? null : SemanticHead.fit(shared, f.embedded(), examples, trainIdx), task.gloss(),
                task.german()).withoutRuleFactor(task.withoutRuleFactor());
    }

    /** Twin-grouped out-of-fold scores of every example. */
    static double[] outOfFold(Task task, List<Example> examples, Features f, SemanticScorer.Shared shared, int folds) {
        double[] oof = new double[examples.size()];
        int[] fold = new int[examples.size()];
        List<Example> scored = new ArrayList<>();
        for (Example e : examples) {
            if (!trainingOnly(e)) {
                scored.add(e);
            }
        }
        int[] scoredFold = twinFolds(scored, folds);
        for (int i = 0, j = 0; i < examples.size(); i++) {
            // Training-only rows: in every fold's training part, never scored (NaN).
            fold[i] = trainingOnly(examples.get(i)) ? -1 : scoredFold[j++];
            oof[i] = Double.NaN;
        }
        for (int k = 0; k < folds; k++) {
            List<Integer> trainIdx = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] != k) {
                    trainIdx.add(i);
                }
            }
            TextClassifier c = classifier(task, examples, f, shared, trainIdx, 0.5f);
            for (int i = 0; i < examples.size(); i++) {
                if (fold[i] == k) {
                    oof[i] = c.score(examples.get(i).text()).score();
                }
            }
        }
        return oof;
    }

    /**
     * Leave one source out: for each of {@code sources}, the task trained on every other row
     * (threshold by twin-grouped 5-fold cross-validation on those rows only), then tested on the
     * source left out, which it never saw: the cross-dataset check.
     */
    static void leaveOneSourceOut(Task task, List<Example> examples, List<String> sources) throws IOException {
        SemanticScorer.Shared shared = SemanticScorer.bundled();
        StringBuilder dumped = new StringBuilder();
        for (String source : sources) {
            List<Example> rest = examples.stream().filter(e -> !e.source().equals(source)).toList();
            List<Example> left = examples.stream().filter(e -> e.source().equals(source)).toList();
            Features f = features(task, rest, shared);
            double[] restOof = outOfFold(task, rest, f, shared, 5);
            List<Example> restScored = new ArrayList<>();
            List<Double> restKept = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++) {
                if (!trainingOnly(rest.get(i))) {
                    restScored.add(rest.get(i));
                    restKept.add(restOof[i]);
                }
            }
            float threshold = bestThreshold(restKept.stream().mapToDouble(Double::doubleValue).toArray(), restScored,
                    task.thresholdSlack());
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++) {
                all.add(i);
            }
            TextClassifier c = classifier(task, rest, f, shared, all, threshold);
            double[] scores = left.stream().mapToDouble(e -> c.score(e.text()).score()).toArray();
            for (int i = 0; i < scores.length; i++) {
                Example e = left.get(i);
                dumped.append(sha256(e.text())).append('\t').append(e.source()).append('\t').append(e.positive() ? 1 : 0)
                        .append('\t').append(e.text().length()).append('\t').append(hitFlag(e.text(), task.rules()))
                        .append('\t').append(String.format(Locale.ROOT, "%.5f", scores[i])).append('\n');
            }
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < scores.length; i++) {
                boolean p = scores[i] >= threshold;
                tp += p && left.get(i).positive() ? 1 : 0;
                fp += p && !left.get(i).positive() ? 1 : 0;
                fn += !p && left.get(i).positive() ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "  leave-one-source-out %s: %d rows, threshold %.2f (CV on the rest),"
                    + " P %.3f R %.3f F1 %.4f (tp %d fp %d fn %d)%n", source, left.size(), threshold,
                    tp / (double) Math.max(1, tp + fp), tp / (double) Math.max(1, tp + fn), f1(scores, left, threshold),
                    tp, fp, fn);
        }
        String dump = System.getProperty("ragkit.train.dump-oof");
        if (dump != null) {
            // The left-out sources' scores, in the out-of-fold dump's format: TrainEncoderHeads can read
            // them (--ngram-oof) for a leave-one-source-out blend whose n-gram side never saw the source.
            Files.writeString(Path.of(dump + "-" + task.name() + "-loso.tsv"), dumped.toString());
        }
    }

    /**
     * Logistic regression: the mean of {@link #RUNS} AdaGrad runs, each over its own shuffle of the
     * examples (seeds {@code SEED}, {@code SEED + 1}...), classes weighted to balance.
     */
    static LinearModel fit(List<FeatureHasher.Sparse> x, List<Example> y, List<Integer> idx, float threshold) {
        float[] w = new float[1 << TextClassifier.BITS];
        double bias = 0;
        for (int run = 0; run < RUNS; run++) {
            bias += addRun(x, y, idx, SEED + run, w) / RUNS;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= RUNS;
        }
        return new LinearModel(TextClassifier.BITS, w, (float) bias, threshold);
    }

    /** One AdaGrad run shuffled by {@code seed}: adds its weights to {@code sum}, returns its bias. */
    private static double addRun(List<FeatureHasher.Sparse> x, List<Example> y, List<Integer> idx, long seed,
            float[] sum) {
        int dim = sum.length;
        float[] w = new float[dim];
        float[] g2 = new float[dim];
        double bias = 0;
        double biasG2 = 0;
        // Classes balanced over the rows' source weights (with every weight 1: over the row counts).
        double pos = 0;
        double total = 0;
        for (int i : idx) {
            double wi = weight(y.get(i).source());
            pos += y.get(i).positive() ? wi : 0;
            total += wi;
        }
        double wPos = total / (2.0 * Math.max(1e-9, pos));
        double wNeg = total / (2.0 * Math.max(1e-9, total - pos));
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>(idx);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            java.util.Collections.shuffle(order, random);
            for (int i : order) {
                FeatureHasher.Sparse s = x.get(i);
                boolean label = y.get(i).positive();
                double p = LinearModel.sigmoid(s.dot(w) + bias);
                double g = (p - (label ? 1 : 0)) * (label ? wPos : wNeg) * weight(y.get(i).source());
                int[] ind = s.indices();
                float[] val = s.values();
                for (int k = 0; k < ind.length; k++) {
                    int j = ind[k];
                    double gj = g * val[k] + L2 * w[j];
                    g2[j] += (float) (gj * gj);
                    w[j] -= (float) (RATE * gj / Math.sqrt(g2[j] + 1e-8));
                }
                biasG2 += g * g;
                bias -= RATE * g / Math.sqrt(biasG2 + 1e-8);
            }
        }
        for (int j = 0; j < dim; j++) {
            sum[j] += w[j];
        }
        return bias;
    }

    /**
     * A row's weight in the fit by its source: deepset's short, direct injections by
     * {@link #DEEPSET_WEIGHT}; toxicity sources by {@link ToxicityTraining#sourceWeight}; else 1.
     */
    static double weight(String source) {
        if (source.startsWith("deepset")) {
            return DEEPSET_WEIGHT;
        }
        if (source.equals(InjectionTemplates.SOURCE)) {
            return SYNTHETIC_WEIGHT;
        }
        return ToxicityTraining.sourceWeight(source);
    }

    /**
     * The threshold in [0.05, 0.95] (steps of 0.01) maximising F1 over {@code scores}, preferring
     * the one nearest 0.5 on ties (the least tuned); with a positive {@code slack}, the highest whose
     * F1 is within {@code slack} of that maximum.
     */
    static float bestThreshold(double[] scores, List<Example> y, double slack) {
        float best = 0.5f;
        double bestF1 = -1;
        for (int t = 5; t <= 95; t++) {
            float th = t / 100f;
            double f1 = f1(scores, y, th);
            if (f1 > bestF1 + 1e-9 || (Math.abs(f1 - bestF1) <= 1e-9 && Math.abs(th - 0.5) < Math.abs(best - 0.5))) {
                bestF1 = f1;
                best = th;
            }
        }
        if (slack > 0) {
            for (int t = 95; t / 100f > best; t--) {
                if (f1(scores, y, t / 100f) >= bestF1 - slack) {
                    return t / 100f;
                }
            }
        }
        return best;
    }

    static double f1(double[] scores, List<Example> y, double threshold) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean p = scores[i] >= threshold;
            boolean g = y.get(i).positive();
            tp += p && g ? 1 : 0;
            fp += p && !g ? 1 : 0;
            fn += !p && g ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
