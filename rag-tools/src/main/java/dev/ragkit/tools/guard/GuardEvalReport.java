package dev.ragkit.tools.guard;

import dev.ragkit.core.spi.Guard;
import dev.ragkit.core.spi.GuardInput;
import dev.ragkit.core.spi.GuardStage;
import dev.ragkit.guard.GuardLanguage;
import dev.ragkit.guard.InjectionDetector;
import dev.ragkit.guard.InjectionGuard;
import dev.ragkit.guard.ToxicityDetector;
import dev.ragkit.guard.ToxicityGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code guard-eval --all}: the shipped injection and toxicity guards, with the n-gram models alone and
 * with the encoder head of one ONNX encoder, on every development file (per language judged), the false
 * positives on PIAF's real French questions, and the latency per guard on one thread. The development
 * rows were all trained on, so these are training figures; the estimates for unseen data (leave one
 * source out, grouped cross-validation) are written by {@code TrainEncoderHeads} to
 * {@code bench/results/guard-heads-<model>.md}.
 */
final class GuardEvalReport {
    private GuardEvalReport() {
    }

    private record DevFile(String task, String name, String path, Predicate<Map<String, Object>> rows) {
    }

    private static final List<DevFile> FILES = List.of(
            new DevFile("injection", "deepset", "deepset-prompt-injections/train.jsonl", r -> true),
            new DevFile("injection", "jackhhao", "jackhhao-jailbreak-classification/train.jsonl", r -> true),
            new DevFile("toxicity", "jigsaw-en", "toxifrench-benchmark/jigsaw_bilingual_en.jsonl", r -> true),
            new DevFile("toxicity", "jigsaw-fr (translated)", "toxifrench-benchmark/jigsaw_bilingual_fr.jsonl", r -> true),
            new DevFile("toxicity", "mlma (native fr)", "french-native/tweets-mlma-ftr.jsonl",
                    r -> String.valueOf(r.get("id")).startsWith("mlma")),
            new DevFile("toxicity", "ftr (native fr, racist only)", "french-native/tweets-mlma-ftr.jsonl",
                    r -> String.valueOf(r.get("id")).startsWith("ftr")),
            new DevFile("toxicity", "hatecheck-fr (native fr)", "french-native/hatecheck-fr.jsonl", r -> true));

    static int run(Path dataDir, String encoderName, int latencyIterations, Path outFile, PrintStream out)
            throws IOException {
        StringBuilder md = new StringBuilder();
        try (Encoders.Loaded encoder = Encoders.load(encoderName)) {
            md.append("# Guard evaluation (`./ragkit guard-eval --all --encoder ").append(encoderName).append("`)\n\n");
            md.append(String.format(Locale.ROOT, "java %s, %d processors. Every development row below was trained on"
                    + " (training figures); see guard-heads-*.md for leave-one-source-out and cross-validated estimates.%n%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
            md.append("| task | file | rows | model | threshold | P / R / F1 (all) | by language judged |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            for (DevFile f : FILES) {
                Path p = dataDir.resolve(f.path());
                if (!Files.exists(p)) {
                    md.append("| ").append(f.task()).append(" | ").append(f.name()).append(" | missing: ").append(p)
                            .append(" | | | | |\n");
                    continue;
                }
                List<Map<String, Object>> rows = GuardEvalCli.read(p, Split.ALL).stream().filter(f.rows()).toList();
                for (boolean withEncoder : new boolean[] {false, true}) {
                    if (withEncoder && encoder.embedder() == null) {
                        continue;
                    }
                    GuardEvalCli.Scorer scorer = GuardEvalCli.Scorer.of(f.task(), withEncoder ? encoder.embedder() : null);
                    md.append(line(f.task(), f.name(), rows, null, scorer, withEncoder ? encoderName : "n-gram"));
                }
                out.println("measured " + f.task() + " on " + f.name());
            }
            Path piaf = dataDir.resolve("../piaf/queries.jsonl").normalize();
            if (Files.exists(piaf)) {
                // Only the held-out part: TrainEncoderHeads trains on the other 80% as negatives.
                List<Map<String, Object>> rows = GuardEvalCli.read(piaf, Split.ALL).stream()
                        .filter(r -> Split.HELDOUT.contains(String.valueOf(r.get("_id")))).toList();
                for (String task : List.of("injection", "toxicity")) {
                    for (boolean withEncoder : new boolean[] {false, true}) {
                        if (withEncoder && encoder.embedder() == null) {
                            continue;
                        }
                        GuardEvalCli.Scorer scorer = GuardEvalCli.Scorer.of(task, withEncoder ? encoder.embedder() : null);
                        md.append(line(task, "PIAF questions, held-out 20% (real French questions, all label 0)", rows, 0, scorer,
                                withEncoder ? encoderName : "n-gram"));
                    }
                    out.println("measured " + task + " on PIAF questions");
                }
            }
            md.append("\nModels: injection ")
                    .append(GuardEvalCli.Scorer.of("injection", encoder.embedder()).describe()).append("; toxicity ")
                    .append(GuardEvalCli.Scorer.of("toxicity", encoder.embedder()).describe()).append(".\n\n");
            latency(dataDir, encoder, encoderName, latencyIterations, md);
        }
        out.print(md);
        if (outFile != null) {
            Files.createDirectories(outFile.toAbsolutePath().getParent());
            Files.writeString(outFile, md.toString(), StandardCharsets.UTF_8);
            out.println("wrote " + outFile);
        }
        return 0;
    }

    private static String line(String task, String file, List<Map<String, Object>> rows, Integer label,
                               GuardEvalCli.Scorer scorer, String model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        GuardEvalCli.classify(rows, label, scorer, null, sink);
        // Lines: "threshold=... tp=.. fp=.. fn=.. tn=..", "lang:xx precision=.. recall=.. f1=.. (tp=..)", "all ...".
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String threshold = lines[0].substring("threshold=".length(), lines[0].indexOf(' '));
        StringBuilder byLanguage = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            byLanguage.append(i > 1 ? "; " : "").append(compact(lines[i], label != null));
        }
        return "| " + task + " | " + file + " | " + rows.size() + " | " + model + " | " + threshold + " | "
                + compact(lines[lines.length - 1], label != null) + " | " + byLanguage + " |\n";
    }

    /** "lang:fr   precision=0.8 recall=0.7 f1=0.75 (tp=1 fp=2 fn=3)" as "fr 0.800 / 0.700 / **0.750**". */
    private static String compact(String prf, boolean negativesOnly) {
        String[] parts = prf.trim().split("\\s+");
        String name = parts[0].replace("lang:", "");
        String fp = prf.substring(prf.indexOf("fp=") + 3, prf.indexOf(" fn="));
        if (negativesOnly) {
            return (name.equals("all") ? "" : name + " ") + fp + " flagged";
        }
        String p = parts[1].substring("precision=".length());
        String r = parts[2].substring("recall=".length());
        String f = parts[3].substring("f1=".length());
        return String.format(Locale.ROOT, "%s%.3f / %.3f / **%.3f**", name.equals("all") ? "" : name + " ",
                Double.parseDouble(p), Double.parseDouble(r), Double.parseDouble(f));
    }

    /**
     * p50 / p95 wall and CPU time of one guard check on one thread after warm-up: at INPUT on development
     * questions of at most 300 characters (English and French), and injection at CONTEXT on 1,000-character
     * chunks. Run under {@code taskset -c 0} for one core.
     */
    private static void latency(Path dataDir, Encoders.Loaded encoder, String encoderName, int iterations, StringBuilder md)
            throws IOException {
        List<String> questions = new ArrayList<>();
        for (String f : List.of("deepset-prompt-injections/train.jsonl", "toxifrench-benchmark/jigsaw_bilingual_fr.jsonl",
                "french-native/tweets-mlma-ftr.jsonl", "toxifrench-benchmark/jigsaw_bilingual_en.jsonl")) {
            Path p = dataDir.resolve(f);
            if (Files.exists(p)) {
                for (Map<String, Object> r : GuardEvalCli.read(p, Split.ALL)) {
                    String t = String.valueOf(r.get("text"));
                    if (t.length() <= 300 && !t.isBlank() && questions.size() < 2_000) {
                        questions.add(t);
                    }
                }
            }
        }
        java.util.Collections.shuffle(questions, new java.util.Random(7));
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chunks.add(dev.ragkit.tools.bench.GuardLatencyBench.text(1_000, i));
        }
        long fr = questions.stream().filter(q -> GuardLanguage.of(q).equals(GuardLanguage.FRENCH)).count();
        md.append(String.format(Locale.ROOT, "## Latency, one thread (%d checks per line after %d warm-up; %d questions"
                + " of at most 300 characters, %d judged French; chunks of 1,000 characters)%n%n", iterations,
                iterations / 2, questions.size(), fr));
        md.append("| guard | stage | model | wall p50 / p95 ms | CPU p50 / p95 ms |\n|---|---|---|---|---|\n");
        Map<String, Guard> guards = new LinkedHashMap<>();
        guards.put("injection|n-gram", new InjectionGuard(InjectionDetector.standard(),
                EnumSet.of(GuardStage.INPUT, GuardStage.CONTEXT)));
        guards.put("toxicity|n-gram", new ToxicityGuard(ToxicityDetector.standard(), EnumSet.of(GuardStage.INPUT)));
        if (encoder.embedder() != null) {
            guards.put("injection|" + encoderName, new InjectionGuard(InjectionDetector.standard()
                    .withEncoder(encoder.embedder()), EnumSet.of(GuardStage.INPUT, GuardStage.CONTEXT)));
            guards.put("toxicity|" + encoderName, new ToxicityGuard(ToxicityDetector.standard()
                    .withEncoder(encoder.embedder()), EnumSet.of(GuardStage.INPUT)));
        }
        for (Map.Entry<String, Guard> e : guards.entrySet()) {
            String[] nameModel = e.getKey().split("\\|");
            md.append(timed(nameModel[0], "input", nameModel[1], e.getValue(), GuardStage.INPUT, questions, iterations));
            if (nameModel[0].equals("injection")) {
                md.append(timed(nameModel[0], "context", nameModel[1], e.getValue(), GuardStage.CONTEXT, chunks,
                        iterations));
            }
        }
        md.append(String.format(Locale.ROOT, "%nLoad average at the end: %.2f (wall times include waiting for a core;"
                + " CPU times do not).%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static String timed(String guard, String stage, String model, Guard g, GuardStage s, List<String> texts,
                                int iterations) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations / 2; i++) {
            g.check(GuardInput.of(s, texts.get(i % texts.size())));
        }
        long[] wall = new long[iterations];
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            GuardInput in = GuardInput.of(s, texts.get((i * 7 + 3) % texts.size()));
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            g.check(in);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = mx.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2f / **%.2f** | %.2f / %.2f |%n", guard, stage, model,
                wall[iterations / 2] / 1e6, wall[(int) (iterations * 0.95)] / 1e6, cpu[iterations / 2] / 1e6,
                cpu[(int) (iterations * 0.95)] / 1e6);
    }
}
