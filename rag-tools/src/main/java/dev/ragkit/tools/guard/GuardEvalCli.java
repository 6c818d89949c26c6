package dev.ragkit.tools.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.PiiDetector;
import dev.ragkit.guard.PiiMatch;
import dev.ragkit.guard.PiiType;
import dev.ragkit.guard.ToxicityDetector;
import dev.ragkit.tools.cli.Args;
import dev.ragkit.tools.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the guards on the labelled jsonl files of {@code ../shared/data/guard}:
 * {@code --task injection|toxicity --data FILE} for rows {@code {id, text, label}} and
 * {@code --task pii --data FILE} for rows with character spans ({@code {text, spans[{start, end,
 * label}]}}, Presidio labels) or BIO tags ({@code {tokens, tags}}, person names only). Options:
 * {@code --split all|train|heldout} (default all; see {@link Split}; with {@code --group-by FIELD} the split goes by
 * that field's value, e.g. {@code template_id}, instead of the row id), {@code --threshold X}
 * (classification tasks; default the detector's own) and {@code --label 0|1} (classification tasks:
 * the label of rows that have none, so unlabelled questions such as {@code piaf/queries.jsonl} can
 * be counted as false positives with {@code --label 0}) and {@code --encoder MODEL|none} (classification
 * tasks: the ONNX encoder the guards get, as from a pipeline with that embedder, default
 * {@value #DEFAULT_ENCODER}; {@code none}: the n-gram models alone). Prints precision, recall and F1
 * (per language judged, and per entity for PII); the last line is {@code f1=<x>}. {@code --all}
 * measures every development file, both model families and the latency per guard, see
 * {@link GuardEvalReport}.
 */
public final class GuardEvalCli {
    /** Presidio labels mapped onto the types Ragkit detects; other labels have no Ragkit type. */
    private static final Map<String, PiiType> PRESIDIO = Map.of("EMAIL_ADDRESS", PiiType.EMAIL, "PHONE_NUMBER",
            PiiType.PHONE, "IBAN_CODE", PiiType.IBAN, "CREDIT_CARD", PiiType.CARD, "IP_ADDRESS", PiiType.IP, "PERSON",
            PiiType.PERSON, "PER", PiiType.PERSON);

    private static final String USAGE = "usage: guard-eval --task injection|toxicity|pii --data FILE"
            + " [--split all|train|heldout [--group-by FIELD]] [--threshold X] [--label 0|1] [--encoder all-minilm-l6-v2-q|bge-small-en-v1.5-q|none]\n"
            + "       guard-eval --all [--data-dir ../shared/data/guard] [--encoder MODEL] [--latency-iterations N] [--out FILE]";
    /** The encoder of the default pipeline (rag.embedder=onnx), whose head the guards then use. */
    public static final String DEFAULT_ENCODER = "all-minilm-l6-v2-q";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuardEvalCli() {
    }

    /** Command-line entry point; exits with {@link #run}'s status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs one evaluation and prints its figures to {@code out}.
     *
     * @return 0 on success, 2 on bad arguments or an unreadable file
     */
    public static int run(String[] args, PrintStream out) {
        try {
            Args a = Args.parseOptions(List.of(args), Set.of("task", "data", "split", "group-by", "threshold", "label",
                    "encoder", "data-dir", "latency-iterations", "out"), Set.of("all"));
            if (a.flag("help")) {
                out.println(USAGE);
                return 0;
            }
            String encoderName = a.value("encoder").orElse(DEFAULT_ENCODER);
            if (a.flag("all")) {
                return GuardEvalReport.run(Path.of(a.value("data-dir").orElse("../shared/data/guard")), encoderName,
                        a.integer("latency-iterations", 2_000, 50), a.value("out").map(Path::of).orElse(null), out);
            }
            if (a.value("task").isEmpty() || a.value("data").isEmpty()) {
                throw new UsageException("--task and --data are required (or --all)");
            }
            String task = a.required("task").toLowerCase(Locale.ROOT);
            Path data = Path.of(a.required("data"));
            Split split = a.converted("split", v -> Split.valueOf(v.toUpperCase(Locale.ROOT)), "all, train or heldout")
                    .orElse(Split.ALL);
            Double threshold = a.decimal("threshold").orElse(null);
            Integer defaultLabel = a.converted("label", GuardEvalCli::label, "0 or 1").orElse(null);
            String groupBy = a.value("group-by").orElse(null);
            List<Map<String, Object>> rows = read(data, split, groupBy);
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("no rows in " + data + " for split " + split);
            }
            out.printf(Locale.ROOT, "task=%s data=%s split=%s%s rows=%d%n", task, data, split.name().toLowerCase(
                    Locale.ROOT), groupBy == null ? "" : " (rows grouped by " + groupBy + ")", rows.size());
            if (split == Split.HELDOUT) {
                out.println("held-out rows with a near-twin in the training part are left out (NearTwins)");
            }
            double f1 = switch (task) {
                case "injection", "toxicity" -> {
                    try (Encoders.Loaded encoder = Encoders.load(encoderName)) {
                        Scorer scorer = Scorer.of(task, encoder.embedder());
                        out.println("model: " + scorer.describe());
                        yield classify(rows, defaultLabel, scorer, threshold, out);
                    }
                }
                case "pii" -> pii(rows, out);
                default -> throw new IllegalArgumentException("--task was '" + task
                        + "' but it must be injection, toxicity or pii");
            };
            out.printf(Locale.ROOT, "f1=%.4f%n", f1);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            out.println("guard-eval: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
    }

    /**
     * Reads a jsonl file (one JSON object per line; blank lines skipped), keeping the rows of {@code split}:
     * a row's id is its {@code id} field, or {@code line-<n>}.
     *
     * @throws IllegalArgumentException naming the file and line of a row that is not a JSON object
     */
    public static List<Map<String, Object>> read(Path file, Split split) throws IOException {
        return read(file, split, null);
    }

    /**
     * As {@link #read(Path, Split)}, but with {@code groupBy} set the split is decided by that field's value
     * instead of the row id, so rows sharing it (Presidio's {@code template_id}: sentences generated from one
     * template are near-twins) land on the same side.
     *
     * @throws IllegalArgumentException when a row lacks the {@code groupBy} field
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file, Split split, String groupBy) throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            Map<String, Object> row;
            try {
                row = JSON.readValue(l, Map.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + line + ": " + e.getOriginalMessage());
            }
            all.add(row);
            if (groupBy != null && !row.containsKey(groupBy)) {
                throw new IllegalArgumentException(file + " line " + line + " has no field '" + groupBy + "' (--group-by)");
            }
            ids.add(String.valueOf(groupBy != null ? row.get(groupBy) : row.getOrDefault("id", "line-" + line)));
        }
        if (split == Split.ALL) {
            return all;
        }
        // A held-out row whose near-twin is in the training part is not held out at all: drop it.
        boolean[] twinInTrain = new boolean[all.size()];
        if (split == Split.HELDOUT && !all.isEmpty() && all.get(0).get("text") instanceof String) {
            List<String> texts = all.stream().map(r -> String.valueOf(r.get("text"))).toList();
            int[] group = NearTwins.groups(texts, null);
            java.util.Set<Integer> trainGroups = new java.util.HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                if (Split.TRAIN.contains(ids.get(i))) {
                    trainGroups.add(group[i]);
                }
            }
            for (int i = 0; i < all.size(); i++) {
                twinInTrain[i] = trainGroups.contains(group[i]);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (split.contains(ids.get(i)) && !twinInTrain[i]) {
                rows.add(all.get(i));
            }
        }
        return rows;
    }

    private static int label(String value) {
        if (!value.equals("0") && !value.equals("1")) {
            throw new IllegalArgumentException(value);
        }
        return Integer.parseInt(value);
    }

    /** Scores and per-language thresholds of one guard configuration. */
    interface Scorer {
        double score(String text);

        double threshold(String language);

        String describe();

        static Scorer of(String task, dev.ragkit.core.spi.Embedder embedder) {
            if (task.equals("injection")) {
                InjectionDetector base = InjectionDetector.standard();
                InjectionDetector d = embedder == null ? base : base.withEncoder(embedder);
                return new Scorer() {
                    public double score(String text) {
                        return d.score(text).score();
                    }

                    public double threshold(String language) {
                        return d.threshold(language);
                    }

                    public String describe() {
                        return d.describe();
                    }
                };
            }
            ToxicityDetector base = ToxicityDetector.standard();
            ToxicityDetector d = embedder == null ? base : base.withEncoder(embedder);
            return new Scorer() {
                public double score(String text) {
                    return d.score(text).score();
                }

                public double threshold(String language) {
                    return d.threshold(language);
                }

                public String describe() {
                    return d.describe();
                }
            };
        }
    }

    /** Prints the confusion counts, then P/R/F1 overall and per language judged; returns the overall F1. */
    static double classify(List<Map<String, Object>> rows, Integer defaultLabel, Scorer scorer, Double threshold,
                           PrintStream out) {
        Map<String, int[]> counts = new java.util.TreeMap<>(); // language -> tp, fp, fn, tn
        int[] total = new int[4];
        for (Map<String, Object> row : rows) {
            Object label = row.get("label");
            if (!(label instanceof Number) && defaultLabel == null) {
                throw new IllegalArgumentException("a row (id " + row.get("id") + ", text '" + row.get("text")
                        + "') has no numeric label; pass --label 0 or --label 1 for unlabelled data");
            }
            boolean gold = (label instanceof Number n ? n.intValue() : defaultLabel) == 1;
            String text = (String) row.get("text");
            String lang = GuardLanguage.of(text);
            double t = threshold == null ? scorer.threshold(lang) : threshold;
            boolean predicted = scorer.score(text) >= t;
            int k = gold && predicted ? 0 : predicted ? 1 : gold ? 2 : 3;
            total[k]++;
            counts.computeIfAbsent(lang, x -> new int[4])[k]++;
        }
        String thresholds = threshold != null ? String.format(Locale.ROOT, "%.3f", threshold)
                : String.join(",", counts.keySet().stream().map(l -> String.format(Locale.ROOT, "%s:%.3f", l,
                        scorer.threshold(l))).toList());
        out.printf(Locale.ROOT, "threshold=%s tp=%d fp=%d fn=%d tn=%d accuracy=%.4f%n", thresholds, total[0], total[1],
                total[2], total[3], (total[0] + total[3]) / (double) rows.size());
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            printPrf("lang:" + e.getKey(), c[0], c[1], c[2], out);
        }
        return printPrf("all", total[0], total[1], total[2], out);
    }

    private record Gold(PiiType type, int start, int end) {
    }

    @SuppressWarnings("unchecked")
    private static double pii(List<Map<String, Object>> rows, PrintStream out) {
        PiiDetector detector = PiiDetector.all();
        Map<PiiType, int[]> counts = new EnumMap<>(PiiType.class); // tp, fp, fn
        boolean bio = rows.get(0).containsKey("tokens");
        int ignoredPredictions = 0;
        for (Map<String, Object> row : rows) {
            String text;
            List<Gold> gold = new ArrayList<>();
            List<int[]> ignored = new ArrayList<>();
            if (bio) {
                List<Object> tokens = (List<Object>) row.get("tokens");
                List<Object> tags = (List<Object>) row.get("tags");
                StringBuilder sb = new StringBuilder();
                int spanStart = -1;
                int spanEnd = -1;
                for (int k = 0; k < tokens.size(); k++) {
                    if (k > 0) {
                        sb.append(' ');
                    }
                    int s = sb.length();
                    sb.append((String) tokens.get(k));
                    String tag = (String) tags.get(k);
                    boolean per = tag.endsWith("-PER");
                    if (tag.endsWith("-LEGAL_PROFESSIONAL")) {
                        ignored.add(new int[] {s, sb.length()});
                    }
                    if (per && (tag.startsWith("B-") || spanStart < 0)) {
                        if (spanStart >= 0) {
                            gold.add(new Gold(PiiType.PERSON, spanStart, spanEnd));
                        }
                        spanStart = s;
                    } else if (!per && spanStart >= 0) {
                        gold.add(new Gold(PiiType.PERSON, spanStart, spanEnd));
                        spanStart = -1;
                    }
                    spanEnd = sb.length();
                }
                if (spanStart >= 0) {
                    gold.add(new Gold(PiiType.PERSON, spanStart, spanEnd));
                }
                text = sb.toString();
            } else {
                text = (String) row.get("text");
                for (Object o : (List<Object>) row.get("spans")) {
                    Map<String, Object> span = (Map<String, Object>) o;
                    int s = ((Number) span.get("start")).intValue();
                    int e = ((Number) span.get("end")).intValue();
                    PiiType type = PRESIDIO.get((String) span.get("label"));
                    if (type != null) {
                        gold.add(new Gold(type, s, e));
                    }
                }
            }
            List<PiiMatch> predicted = detector.find(text);
            if (bio) {
                // The French court reports are labelled for names only.
                predicted = predicted.stream().filter(p -> p.type() == PiiType.PERSON).toList();
            }
            boolean[] goldHit = new boolean[gold.size()];
            for (PiiMatch p : predicted) {
                if (overlapsAny(p, ignored) && gold.stream().noneMatch(g -> g.start < p.end() && p.start() < g.end)) {
                    ignoredPredictions++;
                    continue;
                }
                int[] c = counts.computeIfAbsent(p.type(), t -> new int[3]);
                boolean hit = false;
                for (int g = 0; g < gold.size(); g++) {
                    Gold gs = gold.get(g);
                    if (gs.type == p.type() && gs.start < p.end() && p.start() < gs.end) {
                        hit = true;
                        goldHit[g] = true;
                    }
                }
                if (hit) {
                    c[0]++;
                } else {
                    c[1]++;
                }
            }
            for (int g = 0; g < gold.size(); g++) {
                if (!goldHit[g]) {
                    counts.computeIfAbsent(gold.get(g).type, t -> new int[3])[2]++;
                }
            }
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Map.Entry<PiiType, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            printPrf(e.getKey().name(), c[0], c[1], c[2], out);
            tp += c[0];
            fp += c[1];
            fn += c[2];
        }
        out.println("matching: a prediction is correct when it overlaps a gold span of the same type");
        if (bio) {
            out.println("ignored " + ignoredPredictions + " PERSON predictions inside LEGAL_PROFESSIONAL spans (judges and"
                    + " lawyers: named people, but labelled as a role in this corpus)");
        }
        return printPrf("micro", tp, fp, fn, out);
    }

    private static boolean overlapsAny(PiiMatch p, List<int[]> spans) {
        for (int[] s : spans) {
            if (s[0] < p.end() && p.start() < s[1]) {
                return true;
            }
        }
        return false;
    }

    static double printPrf(String label, int tp, int fp, int fn, PrintStream out) {
        double p = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double r = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        out.printf(Locale.ROOT, "%-8s precision=%.4f recall=%.4f f1=%.4f (tp=%d fp=%d fn=%d)%n", label, p, r, f1, tp,
                fp, fn);
        return f1;
    }
}
