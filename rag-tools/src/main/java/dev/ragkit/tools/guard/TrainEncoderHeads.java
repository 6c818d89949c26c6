package dev.ragkit.tools.guard;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.guard.EncoderHead;
import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.ToxicityDetector;
import dev.ragkit.tools.cli.Args;
import dev.ragkit.tools.cli.UsageException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Trains the guards' encoder heads (see {@link EncoderHead}) on every development file of
 * {@code ../shared/data/guard}, measures them the way unseen data will treat them, and writes the
 * head resources and a report. Reproducible: fixed seed, fixed order, deterministic fitting.
 *
 * <pre>
 * TrainEncoderHeads [--data ../shared/data/guard] [--model all-minilm-l6-v2-q] [--task injection|toxicity|all]
 *                   [--out rag-guard/src/main/resources/dev/ragkit/guard] [--report bench/results/guard-heads-MODEL.md]
 *                   [--cache target/guard-heads]
 * </pre>
 *
 * <p>What it measures, for blends from the n-gram model alone (0) to the head alone (1):
 * <ul>
 *   <li><b>leave one source out</b>: the head trained on the other sources (thresholds by inner
 *       cross-validation there), tested on the source left out: the figure closest to unseen data of a
 *       new kind. The blend weight is chosen on the mean of these, and a nested choice (without the
 *       source's own figure) is reported beside them;</li>
 *   <li><b>grouped 5-fold cross-validation</b> over all sources together: near-twins ({@link NearTwins})
 *       and translations share a fold; each outer fold's thresholds come from an inner 3-fold
 *       cross-validation of the other folds (never from the rows they are applied to).</li>
 * </ul>
 * The n-gram side must not be read in-sample: its scores come from {@code TrainGuards}' out-of-fold
 * dump ({@code -Dragkit.train.dump-oof=PREFIX}, twin-grouped folds; {@code --ngram-oof PREFIX}),
 * and, for rows it never trained on (the native French files), from the bundled model. The report
 * counts rows of each kind.
 */
public final class TrainEncoderHeads {
    static final long SEED = 20_261_205L;
    static final double[] BLENDS = {0, 0.25, 0.5, 0.75, 1};
    /** Sources of ordinary text (negatives only), of which a threshold may flag little. */
    static final Set<String> ORDINARY = Set.of("prose", "questions");
    /** The largest share of each ordinary source (prose, questions) a threshold may flag. */
    static final double MAX_PROSE_FLAGGED = 0.01;
    /** Minimum positives and negatives of a language in the training rows for it to get its own threshold. */
    static final int MIN_PER_CLASS_FOR_LANGUAGE = 100;

    private static final String USAGE = "usage: TrainEncoderHeads [--data DIR] [--model all-minilm-l6-v2-q|bge-small-en-v1.5-q]"
            + " [--task injection|toxicity|all] [--out DIR] [--report FILE] [--cache DIR] [--ngram-oof PREFIX|none]";

    /** One labelled development row, with its vector and the n-gram model's score. */
    record Row(String source, String id, String text, boolean positive, String lang) {
    }

    /** A task's rows, vectors, n-gram scores, twin groups and which sources the n-gram model trained on. */
    record Data(String task, List<Row> rows, List<float[]> vectors, double[] ngram, int[] group, Provenance[] provenance,
                Map<String, double[]> losoNgram) {
        /**
         * This data with the n-gram scores of a model trained without the unit {@code unit} left out
         * (its rows: that model's scores; the others: out-of-fold scores of inner folds trained without
         * it), when {@code TrainGuards} dumped them; else this data.
         */
        Data withoutUnit(String unit) {
            double[] s = losoNgram.get(unit);
            return s == null ? this : new Data(task, rows, vectors, s, group, provenance, Map.of());
        }
    }

    /** Where a row's n-gram score comes from. */
    enum Provenance {
        /** From a model trained without the row or its twins ({@code TrainGuards}' dump). */
        OUT_OF_FOLD,
        /** From the bundled model, which was not trained on the row's source. */
        UNSEEN,
        /** From the bundled model, which was trained on the row: an in-sample score. */
        SEEN
    }

    private TrainEncoderHeads() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the training; 0 on success, 2 on bad arguments. */
    public static int run(String[] args, PrintStream out) throws IOException {
        Args a;
        try {
            a = Args.parseOptions(List.of(args), Set.of("data", "model", "task", "out", "report", "cache", "ngram-oof"),
                    Set.of());
        } catch (UsageException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        Path data = Path.of(a.value("data").orElse("../shared/data/guard"));
        String model = a.value("model").orElse("all-minilm-l6-v2-q");
        String task = a.value("task").orElse("all");
        Path outDir = Path.of(a.value("out").orElse("rag-guard/src/main/resources/dev/ragkit/guard"));
        Path report = Path.of(a.value("report").orElse("bench/results/guard-heads-" + model + ".md"));
        Path cache = Path.of(a.value("cache").orElse("target/guard-heads"));
        String oofOption = a.value("ngram-oof").orElse("target/guard-heads/ngram");
        Path ngramOof = oofOption.equals("none") ? null : Path.of(oofOption);
        if (!Set.of("injection", "toxicity", "all").contains(task)) {
            out.println("--task was '" + task + "' but it must be injection, toxicity or all");
            return 2;
        }
        StringBuilder md = new StringBuilder();
        try (Embedder embedder = OnnxEmbedder.builder().model(model).threads(1).build()) {
            md.append("# Guard encoder heads (").append(embedder.id()).append(")\n\n")
                    .append("Written by `TrainEncoderHeads` (rag-tools), seed ").append(SEED)
                    .append(". Figures are precision / recall / F1 at thresholds chosen by inner cross-validation (best")
                    .append(" class-balanced F1 flagging at most 1% of the ordinary prose rows and of the real questions), never")
                    .append(" on the rows scored. `ngram` = the n-gram model alone (out-of-fold scores), `head` = the encoder")
                    .append(" head alone, `blend` = the shipped combination. \"n seen\" marks rows whose n-gram score is in-sample.\n\n");
            Files.createDirectories(outDir);
            for (String t : task.equals("all") ? List.of("injection", "toxicity") : List.of(task)) {
                Data d = load(t, data, embedder, cache, ngramOof, out);
                String head = train(d, embedder.id(), md, out);
                Path file = outDir.resolve(t + "-" + model + ".head");
                Files.writeString(file, head, StandardCharsets.UTF_8);
                EncoderHead parsed = EncoderHead.parse(head);
                out.println("wrote " + file + " " + parsed);
                md.append("Head written: `").append(file).append("` (").append(parsed.id()).append(")\n\n");
            }
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        out.println("wrote " + report);
        return 0;
    }

    // ---------------------------------------------------------------- data

    static Data load(String task, Path dir, Embedder embedder, Path cache, Path ngramOof, PrintStream out)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        Set<String> seen;
        if (task.equals("injection")) {
            rows.addAll(file(dir.resolve("deepset-prompt-injections/train.jsonl"), "deepset"));
            rows.addAll(file(dir.resolve("jackhhao-jailbreak-classification/train.jsonl"), "jackhhao"));
            seen = Set.of("deepset", "jackhhao", "prose");
        } else {
            rows.addAll(file(dir.resolve("toxifrench-benchmark/jigsaw_bilingual_en.jsonl"), "jigsaw-en"));
            rows.addAll(file(dir.resolve("toxifrench-benchmark/jigsaw_bilingual_fr.jsonl"), "jigsaw-fr"));
            for (Row r : file(dir.resolve("french-native/tweets-mlma-ftr.jsonl"), "tweets")) {
                rows.add(new Row(r.id().startsWith("ftr") ? "ftr" : "mlma", r.id(), r.text(), r.positive(), r.lang()));
            }
            rows.addAll(file(dir.resolve("french-native/hatecheck-fr.jsonl"), "hatecheck-fr"));
            seen = Set.of("jigsaw-en", "jigsaw-fr", "prose");
        }
        rows.addAll(prose(dir));
        rows.addAll(questions(dir));
        if (task.equals("toxicity") && !Boolean.getBoolean("ragkit.heads.labelled-language")) {
            rows = judgedLanguage(rows);
        }
        List<String> texts = rows.stream().map(Row::text).toList();
        int[] group = NearTwins.groups(texts, rows.stream().map(Row::id).toList());
        List<float[]> vectors = vectors(texts, embedder, cache, out);
        Map<String, Double> oof = readOof(ngramOof == null ? null : Path.of(ngramOof + "-" + task + ".tsv"), out);
        double[] ngram = new double[rows.size()];
        Provenance[] provenance = new Provenance[rows.size()];
        InjectionDetector injection = InjectionDetector.standard();
        ToxicityDetector toxicity = ToxicityDetector.standard();
        for (int i = 0; i < rows.size(); i++) {
            Double o = oof.get(sha256(texts.get(i)));
            if (o != null) {
                ngram[i] = o;
                provenance[i] = Provenance.OUT_OF_FOLD;
            } else {
                ngram[i] = task.equals("injection") ? injection.ngramScore(texts.get(i)).score()
                        : toxicity.score(texts.get(i)).score();
                provenance[i] = seen.contains(rows.get(i).source()) ? Provenance.SEEN : Provenance.UNSEEN;
            }
        }
        long groups = java.util.Arrays.stream(group).distinct().count();
        out.printf(Locale.ROOT, "%s: %d rows in %d twin groups%n", task, rows.size(), groups);
        Map<String, double[]> loso = ngramOof == null ? Map.of()
                : readLoso(Path.of(ngramOof + "-" + task + "-loso.tsv"), texts, out);
        return new Data(task, rows, vectors, ngram, group, provenance, loso);
    }

    /**
     * The rows with the language the guard judges ({@link GuardLanguage#of}) instead of the file's label:
     * the thresholds per language are applied to the judged language at run time (a fifth of the native
     * French tweets, short or full of mentions, are judged English), so they are chosen and measured on it.
     * For toxicity only; {@code -Dragkit.heads.labelled-language=true} keeps the files' labels (the
     * previous measurement, for comparison).
     */
    static List<Row> judgedLanguage(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Row(r.source(), r.id(), r.text(), r.positive(), GuardLanguage.of(r.text())));
        }
        return out;
    }

    /**
     * {@code TrainGuards}' leave-one-source-out dump (toxicity): unit, tab, SHA-256 of the text, tab,
     * {@code test} or {@code inner}, tab, score; one score array per unit over {@code texts}. A missing
     * file gives none (the report then says the n-gram side is out-of-fold only); a row without a
     * score in a unit is an error, since it would be read in-sample.
     */
    static Map<String, double[]> readLoso(Path file, List<String> texts, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            out.println("no " + file + ": the n-gram side of leave-one-source-out is the 5-fold out-of-fold score");
            return Map.of();
        }
        Map<String, Map<String, Double>> byUnit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            byUnit.computeIfAbsent(f[0], u -> new HashMap<>()).put(f[1], Double.parseDouble(f[3]));
        }
        Map<String, double[]> loso = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> e : byUnit.entrySet()) {
            double[] s = new double[texts.size()];
            for (int i = 0; i < texts.size(); i++) {
                Double v = e.getValue().get(sha256(texts.get(i)));
                if (v == null) {
                    throw new IllegalArgumentException(file + " has no score for a row of unit '" + e.getKey()
                            + "' (text starts '" + texts.get(i).substring(0, Math.min(40, texts.get(i).length()))
                            + "'): rerun TrainGuards with the same data");
                }
                s[i] = v;
            }
            loso.put(e.getKey(), s);
        }
        out.println("read leave-one-source-out n-gram scores of " + loso.keySet() + " from " + file);
        return loso;
    }

    /** {@code TrainGuards}' out-of-fold dump: SHA-256 of the text, tab, ..., tab, score (last column). */
    private static Map<String, Double> readOof(Path file, PrintStream out) throws IOException {
        Map<String, Double> oof = new HashMap<>();
        if (file == null) {
            return oof;
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + " is missing: run TrainGuards with -Dragkit.train.dump-oof=PREFIX"
                    + " first (see rag-guard/README.md), or pass --ngram-oof none to use in-sample n-gram scores");
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            oof.put(f[0], Double.parseDouble(f[f.length - 1]));
        }
        out.println("read " + oof.size() + " out-of-fold n-gram scores from " + file);
        return oof;
    }

    private static List<Row> file(Path file, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> m : GuardEvalCli.read(file, Split.ALL)) {
            String text = (String) m.get("text");
            if (text == null || text.isBlank()) {
                continue;
            }
            Object lang = m.get("lang");
            rows.add(new Row(source, String.valueOf(m.get("id")), text, ((Number) m.get("label")).intValue() == 1,
                    lang instanceof String s ? s : GuardLanguage.of(text)));
        }
        return rows;
    }

    /**
     * Ordinary prose as negatives, as the n-gram models have: French court sentences and English
     * synthetic sentences with personal data. Without them an encoder head learns "French" or "long
     * text" from the data's accidents (the French rows are mostly toxic tweets) and flags documents.
     */
    @SuppressWarnings("unchecked")
    private static List<Row> prose(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> m : GuardEvalCli.read(dir.resolve("echr-fr-anonymization/train.jsonl"), Split.ALL)) {
            List<Object> tokens = (List<Object>) m.get("tokens");
            if (tokens.size() >= 8) {
                String text = String.join(" ", tokens.stream().map(String::valueOf).toList());
                rows.add(new Row("prose", String.valueOf(m.get("id")), text, false, GuardLanguage.FRENCH));
            }
        }
        for (Map<String, Object> m : GuardEvalCli.read(dir.resolve("presidio-research-synth-v2/synth_v2_dev.jsonl"),
                Split.ALL)) {
            String text = (String) m.get("text");
            rows.add(new Row("prose", "presidio-" + m.get("id"), text, false, GuardLanguage.of(text)));
        }
        return rows;
    }

    /**
     * Real questions as negatives: the training part ({@link Split#TRAIN}) of PIAF's French questions
     * and SciFact's English claims, next to the guard data. What a guard sees most is ordinary
     * questions; without them the thresholds chosen on the development files, up to 80% toxic, flag
     * one French question in seven. The held-out part stays for {@code guard-eval --all}'s
     * false-positive count.
     */
    private static List<Row> questions(Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String f : List.of("../piaf/queries.jsonl", "../scifact/queries.jsonl")) {
            Path p = dir.resolve(f).normalize();
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + " is missing: the heads are trained with real questions as"
                        + " negatives (../shared/data/piaf and ../shared/data/scifact)");
            }
            for (Map<String, Object> m : GuardEvalCli.read(p, Split.ALL)) {
                String id = String.valueOf(m.get("_id"));
                String text = (String) m.get("text");
                if (text != null && !text.isBlank() && Split.TRAIN.contains(id)) {
                    rows.add(new Row("questions", id, text, false, f.contains("piaf") ? GuardLanguage.FRENCH
                            : GuardLanguage.ENGLISH));
                }
            }
        }
        return rows;
    }

    /** Query vectors of every text, read from and added to a cache file per embedder. */
    static List<float[]> vectors(List<String> texts, Embedder embedder, Path cacheDir, PrintStream out) throws IOException {
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve(embedder.id().replaceAll("[^a-zA-Z0-9.-]", "_") + ".vectors");
        Map<String, float[]> cache = new HashMap<>();
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int n = in.readInt();
                int d = in.readInt();
                for (int i = 0; i < n; i++) {
                    String key = in.readUTF();
                    float[] v = new float[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = in.readFloat();
                    }
                    cache.put(key, v);
                }
            }
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        int computed = 0;
        long start = System.nanoTime();
        for (String text : texts) {
            String key = sha256(text);
            float[] v = cache.get(key);
            if (v == null) {
                v = embedder.embedQuery(text);
                cache.put(key, v);
                computed++;
                if (computed % 1000 == 0) {
                    out.printf(Locale.ROOT, "  embedded %d texts (%.0f s)%n", computed, (System.nanoTime() - start) / 1e9);
                }
            }
            vectors.add(v);
        }
        if (computed > 0) {
            try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
                o.writeInt(cache.size());
                o.writeInt(embedder.dimension());
                for (Map.Entry<String, float[]> e : cache.entrySet()) {
                    o.writeUTF(e.getKey());
                    for (float f : e.getValue()) {
                        o.writeFloat(f);
                    }
                }
            }
        }
        return vectors;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- training and measurement

    /** The fitted head and its thresholds, on some rows. */
    record Fit(double[] head, double blend, Map<String, Double> thresholds) {
        double threshold(String lang) {
            return thresholds.getOrDefault(lang, thresholds.get("all"));
        }
    }

    static String train(Data d, String embedderId, StringBuilder md, PrintStream out) {
        List<Integer> all = range(d.rows().size());
        Set<String> sources = new LinkedHashSet<>();
        d.rows().forEach(r -> sources.add(r.source()));
        md.append("## ").append(d.task()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d rows (%d twin groups), sources %s. n-gram scores: %d rows out-of-fold"
                + " (from `TrainGuards`' twin-grouped 5-fold dump), %d never seen by it, %d seen (in-sample).%n%n",
                d.rows().size(), java.util.Arrays.stream(d.group()).distinct().count(), sourceCounts(d),
                count(d, Provenance.OUT_OF_FOLD), count(d, Provenance.UNSEEN), count(d, Provenance.SEEN)));
        long notFitted = d.rows().stream().filter(r -> !fitted(r)).count();
        if (notFitted > 0) {
            md.append(String.format(Locale.ROOT, "%d FTR rows labelled \"not racist\" that hold a word of the toxicity lexicon"
                    + " (insults, threats: no \"not toxic\" label) are scored and counted in the FTR figures, never fitted on"
                    + " nor used to choose a threshold.%n%n", notFitted));
        }

        // 1. Leave one source out, for every blend weight: the evidence the blend is chosen on.
        Map<String, Predicate<Row>> units = new LinkedHashMap<>();
        for (String s : sources) {
            if (s.equals("prose") || s.equals("questions") || s.equals("jigsaw-fr")) {
                continue;
            }
            units.put(s.equals("jigsaw-en") ? "jigsaw (en+fr)" : s,
                    s.equals("jigsaw-en") ? r -> r.source().startsWith("jigsaw") : r -> r.source().equals(s));
        }
        Map<String, Predicate<Row>> reportOnly = new LinkedHashMap<>();
        if (d.task().equals("toxicity")) {
            reportOnly.put("all native French (mlma+ftr+hatecheck)", r -> r.source().equals("mlma")
                    || r.source().equals("ftr") || r.source().equals("hatecheck-fr"));
        }
        Map<String, double[][]> loso = new LinkedHashMap<>(); // unit -> [blend][p, r, f1]
        Map<String, Integer> unitRows = new LinkedHashMap<>();
        Map<String, Predicate<Row>> every = new LinkedHashMap<>(units);
        every.putAll(reportOnly);
        for (Map.Entry<String, Predicate<Row>> e : every.entrySet()) {
            Data du = d.withoutUnit(e.getKey());
            List<Integer> test = all.stream().filter(i -> e.getValue().test(du.rows().get(i))).toList();
            List<Integer> train = all.stream().filter(i -> !e.getValue().test(du.rows().get(i))).toList();
            double[] head = fitOn(du, train);
            double[] inner = outOfFold(du, train, 3, SEED + 100);
            double[][] byBlend = new double[BLENDS.length][];
            for (int bi = 0; bi < BLENDS.length; bi++) {
                Map<String, Double> th = thresholds(du, train, combine(du, inner, BLENDS[bi]));
                double[] scores = new double[du.rows().size()];
                for (int i : test) {
                    scores[i] = EncoderHead.combine(BLENDS[bi], HeadTrainer.probability(head, du.vectors().get(i)), du.ngram()[i]);
                }
                byBlend[bi] = prf(du, test, scores, th);
            }
            loso.put(e.getKey(), byBlend);
            unitRows.put(e.getKey(), test.size());
            out.println(d.task() + ": left out " + e.getKey());
        }
        int chosen = bestBlend(loso, units.keySet(), null);
        double blend = BLENDS[chosen];
        out.printf(Locale.ROOT, "%s: blend %.2f%n", d.task(), blend);

        md.append("### Leave one source out (trained without it, thresholds by inner 3-fold CV on the rest, tested on it)\n\n");
        md.append("The blend weight is the one with the best mean F1 over these rows (").append(units.keySet())
                .append("); `nested` picks it without the row's own source, so it is the honest figure for the shipped recipe.")
                .append(d.losoNgram().isEmpty()
                        ? " n-gram figures on a source it was trained on are out-of-fold (twin-grouped 5-fold), not leave-one-out.\n\n"
                        : " Both models are trained without the source left out: the n-gram scores of "
                                + d.losoNgram().keySet() + " come from `TrainGuards`' leave-one-source-out models,"
                                + " and the thresholds from their inner out-of-fold scores on the other sources.\n\n");
        md.append("| left out | rows |");
        for (double b : BLENDS) {
            md.append(String.format(Locale.ROOT, " blend %.2f P / R / F1 |", b));
        }
        md.append(" nested F1 |\n|---|---|").append("---|".repeat(BLENDS.length + 1)).append('\n');
        for (Map.Entry<String, double[][]> e : loso.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(unitRows.get(e.getKey())).append(" |");
            for (double[] prf : e.getValue()) {
                md.append(String.format(Locale.ROOT, " %.3f / %.3f / **%.3f** |", prf[0], prf[1], prf[2]));
            }
            String nested = "";
            if (units.containsKey(e.getKey()) && units.size() > 1) {
                int bi = bestBlend(loso, units.keySet(), e.getKey());
                nested = String.format(Locale.ROOT, "**%.3f** (blend %.2f)", e.getValue()[bi][2], BLENDS[bi]);
            } else if (!units.containsKey(e.getKey())) {
                nested = String.format(Locale.ROOT, "%.3f (shipped blend)", e.getValue()[chosen][2]);
            }
            md.append(' ').append(nested).append(" |\n");
        }
        md.append(String.format(Locale.ROOT, "%nBlend 0 = n-gram model alone, 1 = encoder head alone. Chosen: **%.2f**.%n%n", blend));

        // 2. Grouped 5-fold CV at the chosen blend, thresholds by inner CV.
        int[] fold = folds(d, all, 5, SEED);
        Map<String, double[]> cvScores = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> cvThreshold = new LinkedHashMap<>();
        double[] columns = {0, 1, blend};
        for (double b : columns) {
            cvScores.put(label(b), new double[d.rows().size()]);
            cvThreshold.put(label(b), new HashMap<>());
        }
        for (int k = 0; k < 5; k++) {
            final int kk = k;
            List<Integer> train = all.stream().filter(i -> fold[i] != kk).toList();
            List<Integer> test = all.stream().filter(i -> fold[i] == kk).toList();
            double[] head = fitOn(d, train);
            double[] inner = outOfFold(d, train, 3, SEED + k);
            for (double b : columns) {
                Map<String, Double> th = thresholds(d, train, combine(d, inner, b));
                double[] target = cvScores.get(label(b));
                for (int i : test) {
                    double p = HeadTrainer.probability(head, d.vectors().get(i));
                    target[i] = EncoderHead.combine(b, p, d.ngram()[i]);
                    cvThreshold.get(label(b)).put(i, th.getOrDefault(d.rows().get(i).lang(), th.get("all")));
                }
            }
            out.printf(Locale.ROOT, "%s: CV fold %d done%n", d.task(), k + 1);
        }
        md.append("### Grouped 5-fold cross-validation (all sources pooled; twins and translations in one fold)\n\n");
        md.append("Optimistic next to the table above: every source is also in the training folds.\n\n");
        table(d, sources, cvScores, cvThreshold, md);

        // 3. The shipped head: fitted on every row; thresholds from 5-fold out-of-fold scores.
        double[] oofHead = outOfFold(d, all, 5, SEED);
        double[] head = fitOn(d, all);
        Map<String, Double> th = thresholds(d, all, combine(d, oofHead, blend));
        StringBuilder h = new StringBuilder();
        h.append("# Ragkit encoder head, written by dev.ragkit.tools.guard.TrainEncoderHeads (rag-tools); do not edit.\n");
        h.append("# Trained on every development row of ").append(sourceCounts(d)).append(", seed ").append(SEED).append(".\n");
        h.append("task=").append(d.task()).append('\n');
        h.append("embedder=").append(embedderId).append('\n');
        h.append("dimension=").append(d.vectors().get(0).length).append('\n');
        h.append(String.format(Locale.ROOT, "blend=%.2f%n", blend));
        h.append(String.format(Locale.ROOT, "threshold=%.4f%n", th.get("all")));
        for (Map.Entry<String, Double> e : th.entrySet()) {
            if (!e.getKey().equals("all")) {
                h.append(String.format(Locale.ROOT, "threshold.%s=%.4f%n", e.getKey(), e.getValue()));
            }
        }
        h.append(String.format(Locale.ROOT, "bias=%.6g%n", head[head.length - 1]));
        StringBuilder w = new StringBuilder();
        for (int j = 0; j < head.length - 1; j++) {
            w.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", head[j]));
        }
        h.append("weights=").append(w).append('\n');
        md.append(String.format(Locale.ROOT, "Shipped: blend %.2f, thresholds %s (out-of-fold, by language where a language"
                + " has %d+ rows of each class).%n%n", blend, th, MIN_PER_CLASS_FOR_LANGUAGE));
        return h.toString();
    }

    private static String label(double b) {
        return b == 0 ? "ngram" : b == 1 ? "head" : "blend";
    }

    /** The blend index with the best mean F1 over {@code units}, leaving out {@code except} (null: none). */
    private static int bestBlend(Map<String, double[][]> loso, Set<String> units, String except) {
        int best = BLENDS.length - 1;
        double bestMean = -1;
        for (int bi = 0; bi < BLENDS.length; bi++) {
            double sum = 0;
            int n = 0;
            for (String u : units) {
                if (!u.equals(except)) {
                    sum += loso.get(u)[bi][2];
                    n++;
                }
            }
            if (n > 0 && sum / n > bestMean + 1e-9) {
                bestMean = sum / n;
                best = bi;
            }
        }
        return best;
    }

    private static long count(Data d, Provenance p) {
        return java.util.Arrays.stream(d.provenance()).filter(x -> x == p).count();
    }

    private static void table(Data d, Set<String> sources, Map<String, double[]> scores,
                              Map<String, Map<Integer, Double>> thresholds, StringBuilder md) {
        md.append("| rows | n | ");
        md.append(String.join(" | ", scores.keySet().stream().map(k -> k + " P / R / F1").toList())).append(" |\n|---|---|");
        md.append("---|".repeat(scores.size())).append('\n');
        List<String> keys = new ArrayList<>();
        keys.addAll(sources);
        keys.add("lang:en");
        keys.add("lang:fr");
        keys.add("all");
        for (String key : keys) {
            List<Integer> rows = range(d.rows().size()).stream().filter(i -> {
                Row r = d.rows().get(i);
                return key.equals("all") || key.equals(r.source()) || key.equals("lang:" + r.lang());
            }).toList();
            if (rows.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder("| " + key + " | " + rows.size());
            long seen = rows.stream().filter(i -> d.provenance()[i] == Provenance.SEEN).count();
            for (Map.Entry<String, double[]> e : scores.entrySet()) {
                int tp = 0;
                int fp = 0;
                int fn = 0;
                for (int i : rows) {
                    boolean pred = e.getValue()[i] >= thresholds.get(e.getKey()).get(i);
                    boolean gold = d.rows().get(i).positive();
                    tp += pred && gold ? 1 : 0;
                    fp += pred && !gold ? 1 : 0;
                    fn += !pred && gold ? 1 : 0;
                }
                double[] prf = prf(tp, fp, fn);
                String mark = seen > 0 && !e.getKey().equals("head") ? " (" + seen + " seen)" : "";
                line.append(tp + fn == 0
                        ? String.format(Locale.ROOT, " | %d false positives of %d%s", fp, rows.size(), mark)
                        : String.format(Locale.ROOT, " | %.3f / %.3f / **%.3f**%s", prf[0], prf[1], prf[2], mark));
            }
            md.append(line).append(" |\n");
        }
        md.append('\n');
    }

    private static String sourceCounts(Data d) {
        Map<String, Integer> c = new LinkedHashMap<>();
        d.rows().forEach(r -> c.merge(r.source(), 1, Integer::sum));
        return c.toString();
    }

    static double[] combine(Data d, double[] head, double blend) {
        double[] out = new double[head.length];
        for (int i = 0; i < head.length; i++) {
            out[i] = EncoderHead.combine(blend, head[i], d.ngram()[i]);
        }
        return out;
    }

    /** Head probabilities of {@code rows}, each from a head fitted without its fold (grouped folds). */
    static double[] outOfFold(Data d, List<Integer> rows, int k, long seed) {
        int[] fold = folds(d, rows, k, seed);
        double[] out = new double[d.rows().size()];
        for (int f = 0; f < k; f++) {
            final int ff = f;
            List<Integer> train = rows.stream().filter(i -> fold[i] != ff).toList();
            double[] head = fitOn(d, train);
            for (int i : rows) {
                if (fold[i] == ff) {
                    out[i] = HeadTrainer.probability(head, d.vectors().get(i));
                }
            }
        }
        return out;
    }

    /** Folds of {@code rows} by twin group, groups shuffled with {@code seed}; other rows get -1. */
    static int[] folds(Data d, List<Integer> rows, int k, long seed) {
        List<Integer> groups = rows.stream().map(i -> d.group()[i]).distinct().sorted().toList();
        List<Integer> shuffled = new ArrayList<>(groups);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        Map<Integer, Integer> foldOf = new HashMap<>();
        for (int g = 0; g < shuffled.size(); g++) {
            foldOf.put(shuffled.get(g), g % k);
        }
        int[] fold = new int[d.rows().size()];
        java.util.Arrays.fill(fold, -1);
        for (int i : rows) {
            fold[i] = foldOf.get(d.group()[i]);
        }
        return fold;
    }

    /**
     * False for FTR's "not racist" rows with a word of the toxicity lexicon: FTR labels racism only,
     * so its 0s include insults and death wishes ("crève" is in 653 of them), which is no "not toxic"
     * label. They are scored and reported (the FTR figures), never fitted on nor used to choose a
     * threshold; as in {@code TrainGuards} ({@code ToxicityTraining}).
     */
    static boolean fitted(Row r) {
        return !(r.source().equals("ftr") && !r.positive() && LEXICON_HIT.computeIfAbsent(r.text(),
                t -> ToxicityDetector.standard().ngramScore(t).signals().stream().anyMatch(x -> x.startsWith("rule:"))));
    }

    private static final Map<String, Boolean> LEXICON_HIT = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Fits a head on {@code rows}: classes balanced, and each source weighted by one over the square
     * root of its size, so that the 546 deepset rows are not drowned by larger files, nor 396 Jigsaw
     * rows made to count as much as 4,000 tweets.
     */
    static double[] fitOn(Data d, List<Integer> allRows) {
        List<Integer> rows = allRows.stream().filter(i -> fitted(d.rows().get(i))).toList();
        Map<String, int[]> counts = new HashMap<>(); // source -> [negatives, positives]
        for (int i : rows) {
            Row r = d.rows().get(i);
            counts.computeIfAbsent(r.source(), s -> new int[2])[r.positive() ? 1 : 0]++;
        }
        double[] raw = new double[rows.size()];
        double pos = 0;
        double neg = 0;
        for (int n = 0; n < rows.size(); n++) {
            Row r = d.rows().get(rows.get(n));
            int[] c = counts.get(r.source());
            raw[n] = 1 / Math.sqrt(c[0] + c[1]);
            if (r.positive()) {
                pos += raw[n];
            } else {
                neg += raw[n];
            }
        }
        boolean[] y = new boolean[rows.size()];
        List<float[]> x = new ArrayList<>(rows.size());
        for (int n = 0; n < rows.size(); n++) {
            Row r = d.rows().get(rows.get(n));
            y[n] = r.positive();
            raw[n] *= r.positive() ? 0.5 / pos : 0.5 / neg;
            x.add(d.vectors().get(rows.get(n)));
        }
        return HeadTrainer.fit(x, y, raw);
    }

    /**
     * The F1-maximising threshold over {@code rows}, overall ({@code all}) and per language when that
     * language has {@link #MIN_PER_CLASS_FOR_LANGUAGE} rows of each class.
     */
    static Map<String, Double> thresholds(Data d, List<Integer> allRows, double[] scores) {
        List<Integer> rows = allRows.stream().filter(i -> fitted(d.rows().get(i))).toList();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("all", bestThreshold(d, rows, scores));
        for (String lang : List.of(GuardLanguage.ENGLISH, GuardLanguage.FRENCH)) {
            List<Integer> part = rows.stream().filter(i -> d.rows().get(i).lang().equals(lang)).toList();
            long p = part.stream().filter(i -> d.rows().get(i).positive()).count();
            if (p >= MIN_PER_CLASS_FOR_LANGUAGE && part.size() - p >= MIN_PER_CLASS_FOR_LANGUAGE) {
                out.put(lang, bestThreshold(d, part, scores));
            }
        }
        return out;
    }

    /**
     * The threshold with the best class-balanced F1 over {@code rows} (positives and negatives weighted
     * to equal totals, as on a half-toxic test set: the development files are up to 80% positive, and
     * plain F1 there rewards flagging nearly everything), among those that flag at most
     * {@link #MAX_PROSE_FLAGGED} of each ordinary source (prose, real questions) among the rows:
     * real traffic is mostly harmless text.
     */
    private static double bestThreshold(Data d, List<Integer> rows, double[] scores) {
        double pos = 0;
        double neg = 0;
        Map<String, Integer> ordinary = new HashMap<>();
        for (int i : rows) {
            Row r = d.rows().get(i);
            if (r.positive()) {
                pos++;
            } else {
                neg++;
            }
            if (ORDINARY.contains(r.source())) {
                ordinary.merge(r.source(), 1, Integer::sum);
            }
        }
        double wp = pos == 0 ? 0 : 1 / pos;
        double wn = neg == 0 ? 0 : 1 / neg;
        double best = 0.95;
        double bestF1 = -1;
        for (int t = 5; t <= 95; t++) {
            double th = t / 100.0;
            double tp = 0;
            double fp = 0;
            double fn = 0;
            Map<String, Integer> flagged = new HashMap<>();
            for (int i : rows) {
                boolean pred = scores[i] >= th;
                Row r = d.rows().get(i);
                tp += pred && r.positive() ? wp : 0;
                fp += pred && !r.positive() ? wn : 0;
                fn += !pred && r.positive() ? wp : 0;
                if (pred && ORDINARY.contains(r.source())) {
                    flagged.merge(r.source(), 1, Integer::sum);
                }
            }
            boolean tooMany = ordinary.entrySet().stream()
                    .anyMatch(e -> flagged.getOrDefault(e.getKey(), 0) > MAX_PROSE_FLAGGED * e.getValue());
            if (tooMany) {
                continue;
            }
            double f1 = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            if (f1 > bestF1 + 1e-9) {
                bestF1 = f1;
                best = th;
            }
        }
        return best;
    }

    static double[] prf(Data d, List<Integer> rows, double[] scores, Map<String, Double> th) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i : rows) {
            Row r = d.rows().get(i);
            boolean pred = scores[i] >= th.getOrDefault(r.lang(), th.get("all"));
            tp += pred && r.positive() ? 1 : 0;
            fp += pred && !r.positive() ? 1 : 0;
            fn += !pred && r.positive() ? 1 : 0;
        }
        return prf(tp, fp, fn);
    }

    static double[] prf(int tp, int fp, int fn) {
        double p = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double r = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        return new double[] {p, r, p + r == 0 ? 0 : 2 * p * r / (p + r)};
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
