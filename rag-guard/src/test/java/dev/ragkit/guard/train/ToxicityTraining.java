package dev.ragkit.guard.train;

import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.ToxicityDetector;
import dev.ragkit.guard.internal.FeatureHasher;
import dev.ragkit.guard.internal.LinearModel;
import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.TextNormalizer;
import dev.ragkit.guard.internal.ToxicityRules;
import dev.ragkit.guard.train.TrainGuards.Example;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The toxicity part of {@link TrainGuards}: trains the n-gram toxicity model on every development
 * source (Jigsaw English and its French translation, the native French tweets of MLMA and FTR, the
 * French HateCheck cases, ordinary prose and the training part of real questions), measures it, and
 * writes it.
 *
 * <p><b>Weights.</b> Each source counts by the square root of its size (a row weighs
 * {@code sqrt(396 / rows of its source)}, so a Jigsaw row weighs 1), then the classes are balanced
 * over those weights: the 10,000 French rows do not drown the 792 Jigsaw rows, nor do 396 rows count
 * as much as 4,000. FTR labels racism only: its 1s (racist) are toxic under any reading and are
 * fitted on; its 0s are not a toxicity label (non-racist insults are 0) and the collection was by
 * keyword: 653 of its 662 rows with "crève"/"crever" are 0, so fitting on all of them (first tried
 * at half weight) taught the model that a death wish is harmless ("crève charogne personne te
 * regrettera" scored 0.002). Its 0s without any word of the toxicity lexicon (written without the
 * data) are ordinary tweets and are fitted on as negatives; its 0s with one are scored (the FTR
 * figure, {@code TrainEncoderHeads}) but never fitted on nor used for a threshold.
 *
 * <p><b>Thresholds.</b> The best class-balanced F1 of the out-of-fold scores (positives and negatives
 * weighted to equal totals, as on a half-toxic test set), among thresholds that flag at most
 * {@link #MAX_ORDINARY_FLAGGED} of the ordinary prose and of the real questions: once over every row
 * (the general threshold) and, by the same rule, once over the rows of each language the guard judges
 * ({@link GuardLanguage#of}) that has {@link #MIN_PER_CLASS_FOR_LANGUAGE} rows of each class. The model
 * file carries both; the detector judges a text by its language's threshold.
 *
 * <p><b>Measurement.</b> Twin-grouped 5-fold out-of-fold scores over everything, and <b>leave one
 * source out</b>: a model trained without a source (thresholds from a 3-fold out-of-fold run over
 * the other sources, never from the source itself) scores it. With
 * {@code -Dragkit.train.dump-oof=PREFIX} both are written for {@code TrainEncoderHeads} (rag-tools),
 * which blends them with the encoder head trained without the same source: {@code PREFIX-toxicity.tsv}
 * (the 5-fold scores) and {@code PREFIX-toxicity-loso.tsv} (unit, SHA-256 of the text, {@code test}
 * or {@code inner}, score).
 */
final class ToxicityTraining {
    /** The largest share of the ordinary prose and of the real questions a threshold may flag. */
    static final double MAX_ORDINARY_FLAGGED = 0.01;
    /**
     * The largest share of the ordinary conversational tweets (FTR's "not racist" tweets without a word
     * of the toxicity lexicon, the fitted FTR negatives) a threshold may flag; 1 (the default) puts no
     * limit. {@code -Dragkit.train.toxicity.conversational-cap=X} sets it. These tweets were collected
     * by keyword around race and immigration and are labelled for racism only, so some are still rude:
     * a cap, not the 1% of prose and questions.
     */
    static final double MAX_CONVERSATIONAL_FLAGGED = Double.parseDouble(
            System.getProperty("ragkit.train.toxicity.conversational-cap", "1"));
    /** Minimum positives and negatives of a language among the rows for it to get its own threshold. */
    static final int MIN_PER_CLASS_FOR_LANGUAGE = 100;
    /** The languages that may get their own threshold ({@link GuardLanguage}'s codes). */
    static final List<String> LANGUAGES = List.of(GuardLanguage.ENGLISH, GuardLanguage.FRENCH);
    /** The hand-written French forum comments of {@code ToxicityDetectorTest} (a smoke set, never trained on). */
    static final Path PROBES = Path.of("rag-guard/src/test/resources/dev/ragkit/guard/french-toxicity-probes.jsonl");
    /** Rows of the source whose rows weigh 1 (one Jigsaw file). */
    static final double REFERENCE_ROWS = 396;

    static final String JIGSAW_EN = "toxifrench-benchmark/jigsaw_bilingual_en.jsonl";
    static final String JIGSAW_FR = "toxifrench-benchmark/jigsaw_bilingual_fr.jsonl";
    static final String MLMA = "french-native/mlma";
    static final String FTR = "french-native/ftr";
    static final String FTR_NEGATIVE = "french-native/ftr:not-racist";
    static final String HATECHECK = "french-native/hatecheck-fr.jsonl";
    static final String QUESTIONS = "questions";

    /** Units left out in turn: their names are those of {@code TrainEncoderHeads}' report. */
    static final Map<String, Predicate<String>> UNITS = units();

    private static final Map<String, Double> WEIGHTS = new ConcurrentHashMap<>();

    private ToxicityTraining() {
    }

    private static Map<String, Predicate<String>> units() {
        Map<String, Predicate<String>> u = new LinkedHashMap<>();
        u.put("jigsaw (en+fr)", s -> s.startsWith("toxifrench-benchmark/jigsaw"));
        u.put("mlma", s -> s.equals(MLMA));
        u.put("ftr", s -> s.equals(FTR) || s.equals(FTR_NEGATIVE));
        u.put("hatecheck-fr", s -> s.equals(HATECHECK));
        u.put("all native French (mlma+ftr+hatecheck)", s -> s.startsWith("french-native/"));
        return Collections.unmodifiableMap(u);
    }

    /** The fitting weight of a toxicity source's rows (1 for a source not seen by {@link #train}). */
    static double sourceWeight(String source) {
        return WEIGHTS.getOrDefault(source, 1.0);
    }

    /** Ordinary text: flagged rows of these sources are false positives on real traffic. */
    static boolean ordinary(String source) {
        return source.equals(QUESTIONS) || source.startsWith("echr-") || source.startsWith("presidio-");
    }

    static void train(Path data, Split fit, List<Example> plain, Path target) throws IOException {
        try {
            trainWeighted(data, fit, plain, target);
        } finally {
            WEIGHTS.clear(); // the prose sources are shared with the injection model, which weighs them 1
        }
    }

    /**
     * The toxicity rows: {@code fitted} are trained on (and scored out of fold); {@code ftrNotRacist}
     * are FTR's 0s with a toxicity lexicon word (insults that are not racist), scored but never
     * fitted on nor used to choose a threshold.
     */
    record Rows(List<Example> fitted, List<Example> ftrNotRacist) {
    }

    static Rows rows(Path data, Split fit, List<Example> plain) throws IOException {
        List<Example> examples = new ArrayList<>();
        List<Example> ftrNotRacist = new ArrayList<>();
        examples.addAll(TrainGuards.load(data.resolve("toxifrench-benchmark/jigsaw_bilingual_en.jsonl"), fit));
        examples.addAll(TrainGuards.load(data.resolve("toxifrench-benchmark/jigsaw_bilingual_fr.jsonl"), fit));
        for (Map<String, Object> row : DevelopmentRows.read(data.resolve("french-native/tweets-mlma-ftr.jsonl"), fit)) {
            boolean positive = ((Number) row.get("label")).intValue() == 1;
            String source = String.valueOf(row.get("id")).startsWith("ftr") ? (positive ? FTR : FTR_NEGATIVE) : MLMA;
            String text = (String) row.get("text");
            if (source.equals(FTR_NEGATIVE) && !lexiconHit(text)) {
                examples.add(new Example(FTR, text, false)); // not racist, and no insult, obscenity or threat word
            } else {
                (source.equals(FTR_NEGATIVE) ? ftrNotRacist : examples).add(new Example(source, text, positive));
            }
        }
        examples.addAll(TrainGuards.load(data.resolve("french-native/hatecheck-fr.jsonl"), fit));
        examples.addAll(plain);
        examples.addAll(questions(data));
        return new Rows(examples, ftrNotRacist);
    }

    private static void trainWeighted(Path data, Split fit, List<Example> plain, Path target) throws IOException {
        Rows rows = rows(data, fit, plain);
        List<Example> examples = rows.fitted();
        List<Example> ftrNotRacist = rows.ftrNotRacist();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Example e : examples) {
            sizes.merge(e.source(), 1, Integer::sum);
        }
        WEIGHTS.clear();
        for (Map.Entry<String, Integer> s : sizes.entrySet()) {
            WEIGHTS.put(s.getKey(), Math.sqrt(REFERENCE_ROWS / s.getValue()));
        }
        System.out.println("toxicity sources (rows): " + sizes);
        System.out.printf(Locale.ROOT, "toxicity source weights: %s%n", WEIGHTS);

        // Rows scored (for TrainEncoderHeads and the FTR figure) but never fitted on nor used for thresholds.
        List<Example> scoredOnly = new ArrayList<>(ftrNotRacist);
        unseenProse(data, examples).forEach(t -> scoredOnly.add(new Example("prose-not-trained-on", t, false)));
        List<FeatureHasher.Sparse> x = new ArrayList<>();
        for (Example e : examples) {
            x.add(TextClassifier.features(canonical(e.text()), ToxicityRules.RULES, null));
        }
        int[] group = groups(examples);
        List<Integer> all = range(examples.size());
        String[] lang = languages(examples);

        // 1. Twin-grouped 5-fold out-of-fold scores over every row: the thresholds are chosen on them.
        double[] oof = outOfFold(x, examples, group, all, 5, TrainGuards.SEED);
        Map<String, Double> thresholds = thresholds(oof, examples, all, lang);
        float threshold = thresholds.get("all").floatValue();
        System.out.printf(Locale.ROOT, "toxicity thresholds (5-fold out-of-fold): %s%n", thresholds);

        // 2. Leave one source out, thresholds from an inner 3-fold run over the other sources.
        StringBuilder loso = new StringBuilder();
        for (Map.Entry<String, Predicate<String>> unit : UNITS.entrySet()) {
            List<Integer> test = all.stream().filter(i -> unit.getValue().test(examples.get(i).source())).toList();
            List<Integer> train = all.stream().filter(i -> !unit.getValue().test(examples.get(i).source())).toList();
            if (test.isEmpty()) {
                continue;
            }
            TextClassifier c = classifier(TrainGuards.fit(x, examples, train, 0.5f));
            double[] scores = new double[examples.size()];
            for (int i : test) {
                scores[i] = c.score(examples.get(i).text()).score();
            }
            double[] inner = outOfFold(x, examples, group, train, 3, TrainGuards.SEED + 100);
            Map<String, Double> innerTh = thresholds(inner, examples, train, lang);
            double th = innerTh.get("all");
            for (int i : train) {
                loso.append(unit.getKey()).append('\t').append(TrainGuards.sha256(examples.get(i).text()))
                        .append("\tinner\t").append(String.format(Locale.ROOT, "%.5f", inner[i])).append('\n');
            }
            for (int i : test) {
                loso.append(unit.getKey()).append('\t').append(TrainGuards.sha256(examples.get(i).text()))
                        .append("\ttest\t").append(String.format(Locale.ROOT, "%.5f", scores[i])).append('\n');
            }
            int[] c4 = counts(scores, examples, test, th);
            int[] byLang = counts(scores, examples, test, innerTh, lang);
            for (Example e : scoredOnly) {
                boolean left = unit.getValue().test(e.source());
                double v = c.score(e.text()).score();
                loso.append(unit.getKey()).append('\t').append(TrainGuards.sha256(e.text())).append(left ? "\ttest\t" : "\tinner\t")
                        .append(String.format(Locale.ROOT, "%.5f", v)).append('\n');
                if (left) {
                    c4[v >= th ? (e.positive() ? 0 : 1) : (e.positive() ? 2 : 3)]++;
                    double tl = innerTh.getOrDefault(GuardLanguage.of(e.text()), th);
                    byLang[v >= tl ? (e.positive() ? 0 : 1) : (e.positive() ? 2 : 3)]++;
                }
            }
            double[] prf = prf(c4);
            double[] prfLang = prf(byLang);
            System.out.printf(Locale.ROOT, "  left out %s: %d rows (+ scored only), threshold %.2f (inner CV), P %.3f R %.3f F1 %.4f;"
                    + " per-language thresholds %s: P %.3f R %.3f F1 %.4f%n",
                    unit.getKey(), test.size(), th, prf[0], prf[1], prf[2], innerTh, prfLang[0], prfLang[1], prfLang[2]);
        }

        Map<String, Float> perLanguage = new TreeMap<>();
        thresholds.forEach((k, v) -> {
            if (!k.equals("all")) {
                perLanguage.put(k, v.floatValue());
            }
        });
        LinearModel model = TrainGuards.fit(x, examples, all, threshold).withLanguageThresholds(perLanguage);
        String dump = System.getProperty("ragkit.train.dump-oof");
        if (dump != null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < examples.size(); i++) {
                Example e = examples.get(i);
                List<String> hits = new ArrayList<>();
                TextClassifier.features(canonical(e.text()), ToxicityRules.RULES, hits);
                sb.append(TrainGuards.sha256(e.text())).append('\t').append(e.source()).append('\t')
                        .append(e.positive() ? 1 : 0).append('\t').append(e.text().length()).append('\t')
                        .append(hits.isEmpty() ? 0 : 1).append('\t')
                        .append(String.format(Locale.ROOT, "%.5f", oof[i])).append('\n');
            }
            TextClassifier bundled = classifier(model);
            for (Example e : scoredOnly) {
                sb.append(TrainGuards.sha256(e.text())).append('\t').append(e.source()).append("\t0\t").append(e.text().length())
                        .append("\t0\t").append(String.format(Locale.ROOT, "%.5f", bundled.score(e.text()).score())).append('\n');
            }
            Files.writeString(Path.of(dump + "-toxicity.tsv"), sb.toString());
            Files.writeString(Path.of(dump + "-toxicity-loso.tsv"), loso.toString());
        }
        if (System.getProperty("ragkit.train.errors") != null) {
            for (int i = 0; i < examples.size(); i++) {
                if ((oof[i] >= threshold) != examples.get(i).positive()) {
                    String t = examples.get(i).text().replace('\n', ' ');
                    System.out.printf(Locale.ROOT, "toxicity error %s gold=%s oof=%.3f | %s%n", examples.get(i).source(),
                            examples.get(i).positive(), oof[i], t.substring(0, Math.min(200, t.length())));
                }
            }
        }

        try (OutputStream os = Files.newOutputStream(target)) {
            model.write(os);
        }
        for (String source : examples.stream().map(Example::source).distinct().toList()) {
            List<Integer> part = all.stream().filter(i -> examples.get(i).source().equals(source)).toList();
            int[] c4 = counts(oof, examples, part, threshold);
            int[] cl = counts(oof, examples, part, thresholds, lang);
            if (c4[0] + c4[2] > 0) {
                System.out.printf(Locale.ROOT, "  %s: %d rows, 5-fold CV P %.3f R %.3f F1 %.4f; per-language thresholds"
                        + " P %.3f R %.3f F1 %.4f%n", source, part.size(), prf(c4)[0], prf(c4)[1], prf(c4)[2],
                        prf(cl)[0], prf(cl)[1], prf(cl)[2]);
            } else {
                System.out.printf(Locale.ROOT, "  %s: %d rows, 5-fold CV flagged %d (%.2f%%); per-language thresholds %d (%.2f%%)%n",
                        source, part.size(), c4[1], 100.0 * c4[1] / part.size(), cl[1], 100.0 * cl[1] / part.size());
            }
        }
        ordinaryChecks(data, classifier(model), thresholds);
        System.out.printf(Locale.ROOT, "toxicity: %d training rows, 5-fold CV F1 %.4f at threshold %.3f -> %s (%d bytes)%n",
                examples.size(), prf(counts(oof, examples, all, threshold))[2], threshold, target, Files.size(target));
    }

    /**
     * The training part ({@link Split#TRAIN}, by {@code _id}) of PIAF's French questions and
     * SciFact's English claims, as negatives (the held-out part stays for {@code guard-eval}'s
     * false-positive count). Where the files are missing, none.
     */
    static List<Example> questions(Path data) throws IOException {
        List<Example> out = new ArrayList<>();
        for (String f : List.of("../piaf/queries.jsonl", "../scifact/queries.jsonl")) {
            Path p = data.resolve(f).normalize();
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + " is missing: the toxicity model is trained with real questions"
                        + " as negatives");
            }
            for (Map<String, Object> row : DevelopmentRows.read(p)) {
                String text = (String) row.get("text");
                if (text != null && !text.isBlank() && Split.TRAIN.contains(String.valueOf(row.get("_id")))) {
                    out.add(new Example(QUESTIONS, text, false));
                }
            }
        }
        return out;
    }

    /**
     * The ordinary prose {@code TrainEncoderHeads} reads (every French court sentence of 8+ tokens,
     * every English synthetic sentence) that this model does not train on (it takes a third): dumped
     * with scores from models that never saw them, so the blend's thresholds never read an in-sample
     * n-gram score.
     */
    @SuppressWarnings("unchecked")
    static List<String> unseenProse(Path data, List<Example> examples) throws IOException {
        Set<String> trained = new HashSet<>();
        examples.forEach(e -> trained.add(e.text()));
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, Object> row : DevelopmentRows.read(data.resolve("echr-fr-anonymization/train.jsonl"))) {
            List<Object> tokens = (List<Object>) row.get("tokens");
            if (tokens.size() >= 8) {
                out.add(String.join(" ", tokens.stream().map(String::valueOf).toList()));
            }
        }
        for (Map<String, Object> row : DevelopmentRows.read(data.resolve("presidio-research-synth-v2/synth_v2_dev.jsonl"))) {
            out.add((String) row.get("text"));
        }
        out.removeAll(trained);
        return new ArrayList<>(out);
    }

    /**
     * The factor on texts without a lexicon word: the detector's ({@link ToxicityDetector#WITHOUT_LEXICON_WORD});
     * {@code -Dragkit.train.toxicity.without-lexicon=X} tries another (an experiment: the detector must
     * then be changed to match).
     */
    static final double WITHOUT_LEXICON_WORD = Double.parseDouble(System.getProperty(
            "ragkit.train.toxicity.without-lexicon", String.valueOf(ToxicityDetector.WITHOUT_LEXICON_WORD)));

    /** True when a rule of the toxicity lexicon (insult, obscenity, threat, slur) fires on the text. */
    static boolean lexiconHit(String text) {
        List<String> hits = new ArrayList<>();
        TextClassifier.features(canonical(text), ToxicityRules.RULES, hits);
        return !hits.isEmpty();
    }

    /** The canonical text the toxicity model reads, as {@code ToxicityDetector} reads it. */
    static String canonical(String text) {
        return TextNormalizer.canonical(text);
    }

    private static TextClassifier classifier(LinearModel m) {
        return new TextClassifier(ToxicityRules.RULES, m).withoutRuleFactor(WITHOUT_LEXICON_WORD);
    }

    /** Scores of {@code rows}, each from a model fitted on the other folds of {@code rows} (twin-grouped). */
    static double[] outOfFold(List<FeatureHasher.Sparse> x, List<Example> examples, int[] group, List<Integer> rows,
            int k, long seed) {
        List<Integer> groups = new ArrayList<>(rows.stream().map(i -> group[i]).distinct().sorted().toList());
        Collections.shuffle(groups, new Random(seed));
        Map<Integer, Integer> foldOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            foldOf.put(groups.get(g), g % k);
        }
        double[] out = new double[examples.size()];
        for (int f = 0; f < k; f++) {
            final int ff = f;
            List<Integer> train = rows.stream().filter(i -> foldOf.get(group[i]) != ff).toList();
            TextClassifier c = classifier(TrainGuards.fit(x, examples, train, 0.5f));
            for (int i : rows) {
                if (foldOf.get(group[i]) == ff) {
                    out[i] = c.score(examples.get(i).text()).score();
                }
            }
        }
        return out;
    }

    /** Near-twin groups ({@link NearTwins}); a Jigsaw comment and its translation (same position) are one. */
    static int[] groups(List<Example> examples) {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (Example e : examples) {
            int p = position.merge(e.source(), 1, Integer::sum);
            keys.add(e.source().contains("jigsaw_bilingual") ? "jigsaw#" + p : null);
        }
        return NearTwins.groups(examples.stream().map(Example::text).toList(), keys);
    }

    /**
     * The threshold in [0.05, 0.95] (steps of 0.01) with the best class-balanced F1 over {@code rows},
     * among those flagging at most {@link #MAX_ORDINARY_FLAGGED} of the ordinary rows of each kind
     * (prose, questions); ties go to the higher threshold.
     */
    static double threshold(double[] scores, List<Example> examples, List<Integer> rows) {
        double pos = 0;
        double neg = 0;
        int prose = 0;
        int questions = 0;
        int conversational = 0;
        for (int i : rows) {
            Example e = examples.get(i);
            pos += e.positive() ? 1 : 0;
            neg += e.positive() ? 0 : 1;
            conversational += conversational(e) ? 1 : 0;
            if (ordinary(e.source())) {
                if (e.source().equals(QUESTIONS)) {
                    questions++;
                } else {
                    prose++;
                }
            }
        }
        double best = 0.95;
        double bestF1 = -1;
        for (int t = 95; t >= 5; t--) {
            double th = t / 100.0;
            double tp = 0;
            double fp = 0;
            double fn = 0;
            int flaggedProse = 0;
            int flaggedQuestions = 0;
            int flaggedConversational = 0;
            for (int i : rows) {
                Example e = examples.get(i);
                boolean pred = scores[i] >= th;
                flaggedConversational += pred && conversational(e) ? 1 : 0;
                tp += pred && e.positive() ? 1 / pos : 0;
                fp += pred && !e.positive() ? 1 / neg : 0;
                fn += !pred && e.positive() ? 1 / pos : 0;
                if (pred && ordinary(e.source())) {
                    if (e.source().equals(QUESTIONS)) {
                        flaggedQuestions++;
                    } else {
                        flaggedProse++;
                    }
                }
            }
            if (flaggedProse > MAX_ORDINARY_FLAGGED * prose || flaggedQuestions > MAX_ORDINARY_FLAGGED * questions
                    || flaggedConversational > MAX_CONVERSATIONAL_FLAGGED * conversational) {
                break;
            }
            double f1 = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            if (f1 > bestF1 + 1e-9) {
                bestF1 = f1;
                best = th;
            }
        }
        return best;
    }

    /** The language each example is judged in ({@link GuardLanguage#of}, as the detector judges it). */
    static String[] languages(List<Example> examples) {
        String[] out = new String[examples.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = GuardLanguage.of(examples.get(i).text());
        }
        return out;
    }

    /**
     * The general threshold ({@code all}, {@link #threshold}) over {@code rows}, and by the same rule one
     * per language of {@link #LANGUAGES} over that language's rows (its own ordinary prose and questions
     * constraining it) when they hold {@link #MIN_PER_CLASS_FOR_LANGUAGE} positives and negatives.
     */
    static Map<String, Double> thresholds(double[] scores, List<Example> examples, List<Integer> rows, String[] lang) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("all", threshold(scores, examples, rows));
        for (String l : LANGUAGES) {
            List<Integer> part = rows.stream().filter(i -> lang[i].equals(l)).toList();
            long pos = part.stream().filter(i -> examples.get(i).positive()).count();
            if (pos >= MIN_PER_CLASS_FOR_LANGUAGE && part.size() - pos >= MIN_PER_CLASS_FOR_LANGUAGE) {
                out.put(l, threshold(scores, examples, part));
            }
        }
        return out;
    }

    /** {tp, fp, fn, tn} of {@code rows}, each at its language's threshold (else the general one). */
    static int[] counts(double[] scores, List<Example> examples, List<Integer> rows, Map<String, Double> thresholds,
            String[] lang) {
        int[] c = new int[4];
        for (int i : rows) {
            boolean pred = scores[i] >= thresholds.getOrDefault(lang[i], thresholds.get("all"));
            boolean gold = examples.get(i).positive();
            c[pred ? (gold ? 0 : 1) : (gold ? 2 : 3)]++;
        }
        return c;
    }

    /**
     * False positives on ordinary text the model never trained on, at the shipped thresholds (general
     * and per language): the held-out part of PIAF's and SciFact's questions, and the hand-written
     * French forum comments (30 toxic, 30 ordinary; a smoke set, not tuned on).
     */
    static void ordinaryChecks(Path data, TextClassifier c, Map<String, Double> thresholds) throws IOException {
        for (String f : List.of("../piaf/queries.jsonl", "../scifact/queries.jsonl")) {
            int n = 0;
            int general = 0;
            int byLanguage = 0;
            for (Map<String, Object> row : DevelopmentRows.read(data.resolve(f).normalize())) {
                String text = (String) row.get("text");
                if (text == null || text.isBlank() || !Split.HELDOUT.contains(String.valueOf(row.get("_id")))) {
                    continue;
                }
                double s = c.score(text).score();
                n++;
                general += s >= thresholds.get("all") ? 1 : 0;
                byLanguage += s >= thresholds.getOrDefault(GuardLanguage.of(text), thresholds.get("all")) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "  held-out questions %s: %d, flagged %d at the general threshold, %d per language%n",
                    f, n, general, byLanguage);
        }
        if (!Files.exists(PROBES)) {
            System.out.println("  (no " + PROBES + ": run from the project root for the forum smoke set)");
            return;
        }
        int[] general = new int[2];
        int[] byLanguage = new int[2];
        int[] strict = new int[2];
        for (Map<String, Object> row : DevelopmentRows.read(PROBES)) {
            String text = (String) row.get("text");
            int k = ((Number) row.get("label")).intValue() == 1 ? 0 : 1;
            double s = c.score(text).score();
            general[k] += s >= thresholds.get("all") ? 1 : 0;
            byLanguage[k] += s >= thresholds.getOrDefault(GuardLanguage.of(text), thresholds.get("all")) ? 1 : 0;
            strict[k] += s >= 0.40 ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "  forum smoke set (30 toxic / 30 ordinary): caught / flagged %d / %d at the general"
                + " threshold, %d / %d per language, %d / %d at 0.40%n", general[0], general[1], byLanguage[0],
                byLanguage[1], strict[0], strict[1]);
    }

    /** An ordinary conversational tweet: FTR, not racist, no word of the toxicity lexicon (the fitted FTR negatives). */
    static boolean conversational(Example e) {
        return e.source().equals(FTR) && !e.positive();
    }

    /** {tp, fp, fn, tn} of {@code rows} at {@code threshold}. */
    static int[] counts(double[] scores, List<Example> examples, List<Integer> rows, double threshold) {
        int[] c = new int[4];
        for (int i : rows) {
            boolean pred = scores[i] >= threshold;
            boolean gold = examples.get(i).positive();
            c[pred ? (gold ? 0 : 1) : (gold ? 2 : 3)]++;
        }
        return c;
    }

    static double[] prf(int[] c) {
        double p = c[0] + c[1] == 0 ? 0 : c[0] / (double) (c[0] + c[1]);
        double r = c[0] + c[2] == 0 ? 0 : c[0] / (double) (c[0] + c[2]);
        return new double[] {p, r, p + r == 0 ? 0 : 2 * p * r / (p + r)};
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
