package dev.ragkit.tools.eval;

import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagException;
import dev.ragkit.core.model.RetrievalMode;
import dev.ragkit.core.retrieval.ReciprocalRankFusion;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.text.Bm25Index;
import dev.ragkit.core.text.KeywordWeights;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import dev.ragkit.eval.BeirDataset;
import dev.ragkit.eval.BeirEvaluator;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CachingEmbedder;
import dev.ragkit.eval.CorpusDocument;
import dev.ragkit.eval.EvalReport;
import dev.ragkit.eval.FusionWeightStudy;
import dev.ragkit.eval.Gate;
import dev.ragkit.eval.LatencyStats;
import dev.ragkit.eval.MixedCorpusStudy;
import dev.ragkit.eval.QaEvaluator;
import dev.ragkit.eval.QaExample;
import dev.ragkit.eval.QaLoader;
import dev.ragkit.eval.ReportWriter;
import dev.ragkit.eval.RetrievalEvaluation;
import dev.ragkit.eval.RetrievalMetric;
import dev.ragkit.eval.WholeDocumentSplitter;
import dev.ragkit.tools.bench.GuardLatencyBench;
import dev.ragkit.tools.bench.IngestBench;
import dev.ragkit.tools.bench.PipelineBench;
import dev.ragkit.tools.bench.RolloutBench;
import dev.ragkit.tools.bench.VersionSwitchBench;
import dev.ragkit.tools.bench.StoreBenchmark;
import dev.ragkit.tools.cli.Args;
import dev.ragkit.tools.cli.UsageException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The evaluation and benchmark command line: {@code eval beir}, {@code eval qa}, {@code bench ingest},
 * {@code bench pipeline}, {@code bench store}, {@code bench guards} and {@code bench rollout}. {@link #run}
 * returns the exit code (0 success, 1 a gate failed, 2 bad usage or a failure) so hosts and scripts can embed it;
 * {@link #main} exits with it. Options are read with the shared {@link Args} parser.
 */
public final class EvalCli {
    private static final String USAGE = String.join("\n",
            "usage:",
            "  eval beir --data DIR [--split test] [--embedder onnx:<model>] [--store memory|faiss|<provider>]",
            "            [--set rag.store.<provider>.<key>=VALUE ...] (e.g. --set rag.store.elastic.url=http://host:9200)",
            "            [--mode dense|bm25|hybrid] [--k 10] [--analyzer auto|english|french|french-english]",
            "            [--out DIR] [--gate \"recall@5>=0.8,retrieval.p95<=2500ms\"] [--cache DIR | --no-cache]",
            "            [--rrf-k 60] [--depth 100] [--batch-size 64]",
            "            [--proximity 0.5 --subword 0.75 (keyword proximity and subword weights of Ragkit's BM25;",
            "             --proximity 0 --subword 0 = plain BM25, as published baselines)]",
            "            [--max-tokens N (model window in tokens, e.g. 256 = sentence-transformers for all-minilm-l6-v2-q)]",
            "  eval qa   --data DIR [--embedder onnx:<model>] [--mode dense|bm25|hybrid] [--k 5] [--limit N]",
            "            [--splitter whole|recursive] [--analyzer ...] [--out DIR] [--gate ...] [--cache DIR | --no-cache]",
            "            [--proximity 0.5] [--subword 0.75]",
            "  eval fusion-weight --data DIR [--embedder onnx:<model>] [--k 5] [--folds 5] [--analyzer auto]",
            "            (cross-validates the hybrid dense weight for queries the embedder's languages do not cover)",
            "  eval mixed --data DIR --data DIR [...] [--split test] [--analyzers auto,french-english,english,french]",
            "            [--out FILE] (BM25 over each BEIR dataset alone and over one index of all their corpora)",
            "  bench ingest   [--data DIR] [--model all-minilm-l6-v2-q] [--limit N] [--max-chars 1000]",
            "                 [--overlap 150] [--out DIR]",
            "  bench pipeline [--data DIR] [--questions 1000] [--mode hybrid] [--store memory|faiss] [--out DIR]",
            "                 [--cache memory|redis --zipf 1.0 --seed 42 --redis-url redis://...] (with vs without caches)",
            "  bench store    [--datasets synthetic,scifact] [--n 100000] [--queries 1000] [--seed 42] [--data DIR]",
            "  bench guards   [--iterations 5000] (one check per guard on a 2,000-character text; run under taskset -c 0)",
            "  bench rollout  [--documents 10000] [--queries 2000] [--warmup 300] [--pace-us 1000] [--settle-ms 3000]",
            "                 [--compare-shares 1,0.1] [--seed 1] [--out DIR] (RolloutRouter latency by stage)",
            "  bench versions [--documents 10000] [--promotes 200] [--switches 10] [--refresh-ms 100] [--readers 2]",
            "                 [--window-ms 5000] [--promote-every-ms 200] [--seed 1] [--out DIR]",
            "                 (promote time, how soon another handle serves the promoted version, searches during promotes)",
            "models: all-minilm-l6-v2-q, bge-small-en-v1.5-q (provider onnx)");

    private EvalCli() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs one command, printing to {@code out}; the last line of a successful command is its
     * machine-readable summary.
     *
     * @return 0 on success, 1 when a gate failed, 2 on bad usage or an error
     */
    public static int run(String[] args, PrintStream out) {
        if (args.length < 2) {
            out.println(USAGE);
            return 2;
        }
        String command = args[0] + " " + args[1];
        List<String> rest = List.of(args).subList(2, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        try {
            return switch (command) {
                case "eval beir" -> evalBeir(optionsOnly(Args.parse(rest,
                        Set.of("data", "split", "embedder", "store", "mode", "k", "out", "gate", "analyzer", "cache",
                                "depth", "batch-size", "max-tokens", "rrf-k", "proximity", "subword"), Set.of("set"),
                        Set.of("no-cache"))), out);
                case "eval qa" -> evalQa(Args.parseOptions(rest,
                        Set.of("data", "embedder", "store", "mode", "k", "out", "gate", "analyzer", "cache", "limit",
                                "splitter", "max-tokens", "proximity", "subword"), Set.of("no-cache")), out);
                case "eval fusion-weight" -> evalFusionWeight(Args.parseOptions(rest,
                        Set.of("data", "embedder", "k", "analyzer", "cache", "folds"), Set.of("no-cache")), out);
                case "eval mixed" -> evalMixed(optionsOnly(Args.parse(rest, Set.of("split", "analyzers", "out"),
                        Set.of("data"), Set.of())), out);
                case "bench ingest" -> benchIngest(Args.parseOptions(rest,
                        Set.of("data", "model", "limit", "max-chars", "overlap", "out", "batch-size"), Set.of()), out);
                case "bench store" -> StoreBenchmark.run(rest, out);
                case "bench guards" -> {
                    GuardLatencyBench.run(rest, out);
                    yield 0;
                }
                case "bench rollout" -> benchRollout(Args.parseOptions(rest,
                        Set.of("documents", "queries", "warmup", "pace-us", "settle-ms", "compare-shares", "seed", "out"),
                        Set.of()), out);
                case "bench versions" -> benchVersions(Args.parseOptions(rest,
                        Set.of("documents", "promotes", "switches", "refresh-ms", "readers", "window-ms",
                                "promote-every-ms", "seed", "out"), Set.of()), out);
                case "bench pipeline" -> benchPipeline(Args.parseOptions(rest,
                        Set.of("data", "questions", "mode", "out", "k", "warmup", "store", "cache", "zipf", "seed",
                                "redis-url"), Set.of()), out);
                default -> {
                    out.println("unknown command '" + command + "'");
                    out.println(USAGE);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            out.println("error: " + command + ": " + e.getMessage());
            return 2;
        } catch (RagException | UncheckedIOException | IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int evalBeir(Args a, PrintStream out) {
        Path data = Path.of(a.required("data"));
        String split = a.string("split", "test");
        RetrievalMode mode = BeirEvaluator.parseMode(a.string("mode", "dense"));
        int k = a.integer("k", 10, 1);
        int depth = a.integer("depth", Math.max(100, k), k);
        String store = a.string("store", "memory");
        String analyzerName = a.string("analyzer", "auto");
        List<Gate> gates = Gate.parseAll(a.string("gate", ""));
        int batchSize = a.integer("batch-size", 64, 1);
        BeirDataset dataset = BeirLoader.load(data, split);
        out.printf(Locale.ROOT, "loaded %s/%s: %d documents, %d scored queries%n", dataset.name(), split,
                dataset.corpus().size(), dataset.evaluationQueries().size());
        TreeSet<Integer> cutoffs = new TreeSet<>(RetrievalEvaluation.DEFAULT_CUTOFFS);
        cutoffs.add(k);
        cutoffs.removeIf(c -> c > depth);
        BeirEvaluator.Settings settings = new BeirEvaluator.Settings(mode, depth, new ArrayList<>(cutoffs),
                TextAnalyzer.named(analyzerName), analyzerName, batchSize, a.integer("rrf-k", ReciprocalRankFusion.DEFAULT_K, 1),
                store, evalStoreSettings(store, a.values("set")), keywordWeights(a));
        BeirEvaluator.Outcome outcome;
        if (mode == RetrievalMode.KEYWORD) {
            outcome = BeirEvaluator.evaluate(dataset, null, "none", settings, out);
        } else {
            EmbedderSpec spec = EmbedderSpec.parse(a.string("embedder", "onnx:all-minilm-l6-v2-q"));
            try (Opened opened = openEmbedder(spec, a, out)) {
                outcome = BeirEvaluator.evaluate(dataset, opened.embedder(), opened.embedder().id(), settings, out);
            }
        }
        EvalReport report = outcome.report();
        printRetrievalTable(report, out);
        // The store joins the name unless it is the reference (memory), so that one store's run does not
        // overwrite another's report for the same dataset, mode and embedder.
        String base = dataset.name() + "-" + split + "-" + BeirEvaluator.modeName(mode) + "-"
                + (mode == RetrievalMode.KEYWORD ? "bm25-" + analyzerName : report.parameters().get("embedder"))
                + (mode == RetrievalMode.HYBRID && settings.rrfK() != ReciprocalRankFusion.DEFAULT_K
                ? "-rrf" + settings.rrfK() : "")
                + (store.equals("memory") ? "" : "-" + store) + weightsSuffix(settings.keywordWeights());
        int code = finish(report, a, base, gates, out);
        RetrievalEvaluation.Scores s = outcome.scores();
        out.printf(Locale.ROOT, "ndcg@10=%.4f recall@10=%.4f recall@100=%.4f mrr@10=%.4f queries=%d%n",
                meanOrNaN(s, RetrievalMetric.NDCG, 10), meanOrNaN(s, RetrievalMetric.RECALL, 10),
                meanOrNaN(s, RetrievalMetric.RECALL, 100), meanOrNaN(s, RetrievalMetric.MRR, 10), s.queries());
        return code;
    }

    /**
     * {@code --proximity} and {@code --subword}: the keyword proximity and subword weights of Ragkit's BM25,
     * {@link KeywordWeights#DEFAULTS} unless given.
     */
    private static KeywordWeights keywordWeights(Args a) {
        return new KeywordWeights(keywordWeight(a, "proximity", KeywordWeights.DEFAULTS.proximity()),
                keywordWeight(a, "subword", KeywordWeights.DEFAULTS.subword()));
    }

    private static double keywordWeight(Args a, String option, double defaultWeight) {
        String text = a.string(option, String.valueOf(defaultWeight));
        try {
            double weight = Double.parseDouble(text.trim());
            if (KeywordWeights.isWeight(weight)) {
                return weight;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("--" + option + " was '" + text + "' but it must be a number >= 0 (0 turns it off)");
    }

    /** A report's file name says keyword weights other than the defaults, so that runs do not overwrite each other. */
    private static String weightsSuffix(KeywordWeights weights) {
        KeywordWeights defaults = KeywordWeights.DEFAULTS;
        return (weights.proximity() == defaults.proximity() ? "" : "-proximity" + weights.proximity())
                + (weights.subword() == defaults.subword() ? "" : "-subword" + weights.subword());
    }

    private static int evalQa(Args a, PrintStream out) {
        Path data = Path.of(a.required("data"));
        RetrievalMode mode = BeirEvaluator.parseMode(a.string("mode", "hybrid"));
        int k = a.integer("k", 5, 1);
        int limit = a.integer("limit", 0, 0);
        requireMemoryStore(a);
        String analyzerName = a.string("analyzer", "auto");
        List<Gate> gates = Gate.parseAll(a.string("gate", ""));
        String splitterName = a.string("splitter", "recursive");
        QaEvaluator.Settings settings = new QaEvaluator.Settings(mode, k,
                switch (splitterName) {
                    case "whole" -> new WholeDocumentSplitter();
                    case "recursive" -> RecursiveSplitter.of(1000, 150);
                    default -> throw new InvalidInputException("--splitter was '" + splitterName
                            + "' but it must be whole or recursive");
                },
                splitterName.equals("whole") ? "whole passage" : "recursive 1000/150", TextAnalyzer.named(analyzerName),
                analyzerName, limit, keywordWeights(a));
        Path qaFile = Files.isDirectory(data) ? data.resolve("qa.jsonl") : data;
        Path corpusFile = (Files.isDirectory(data) ? data : data.getParent()).resolve("corpus.jsonl");
        List<QaExample> questions = QaLoader.load(qaFile);
        List<CorpusDocument> corpus = BeirLoader.loadCorpus(corpusFile);
        Path folder = (Files.isDirectory(data) ? data : data.getParent()).toAbsolutePath().normalize().getFileName();
        String name = folder == null ? "qa" : folder.toString();
        out.printf(Locale.ROOT, "loaded %s: %d passages, %d questions%s%n", name, corpus.size(), questions.size(),
                limit > 0 ? " (scoring the first " + Math.min(limit, questions.size()) + ")" : "");
        EvalReport report;
        String embedderText = a.string("embedder", "onnx:all-minilm-l6-v2-q");
        if (mode == RetrievalMode.KEYWORD) {
            report = QaEvaluator.evaluate(name, corpus, questions, null, "none", settings, out);
        } else {
            EmbedderSpec spec = EmbedderSpec.parse(embedderText);
            try (Opened opened = openEmbedder(spec, a, out)) {
                report = QaEvaluator.evaluate(name, corpus, questions, opened.embedder(), opened.embedder().id(), settings, out);
            }
        }
        out.println(report.title() + " (" + report.queries() + " questions)");
        report.metrics().forEach((m, v) -> out.printf(Locale.ROOT, "  %-14s %.4f%n", m, v));
        printLatency(report, out);
        String base = name + "-qa-" + BeirEvaluator.modeName(mode) + "-"
                + (mode == RetrievalMode.KEYWORD ? "bm25-" + analyzerName : report.parameters().get("embedder"))
                + weightsSuffix(settings.keywordWeights());
        int code = finish(report, a, base, gates, out);
        Map<String, Double> m = report.metrics();
        out.printf(Locale.ROOT, "recall@%d=%.4f em=%.4f containment=%.4f f1=%.4f questions=%d%n", k,
                m.get("recall@" + k), m.get("em"), m.get("containment"), m.get("f1"), report.queries());
        return code;
    }

    /**
     * Cross-validates the hybrid dense weight for queries in a language the embedder does not cover
     * (rag-core's {@code Retriever.DEFAULT_UNCOVERED_LANGUAGE_WEIGHT}) on a QA set, with eval qa's defaults.
     */
    private static int evalFusionWeight(Args a, PrintStream out) {
        Path data = Path.of(a.required("data"));
        int k = a.integer("k", 5, 1);
        int folds = a.integer("folds", 5, 2);
        String analyzerName = a.string("analyzer", "auto");
        Path qaFile = Files.isDirectory(data) ? data.resolve("qa.jsonl") : data;
        Path corpusFile = (Files.isDirectory(data) ? data : data.getParent()).resolve("corpus.jsonl");
        List<QaExample> questions = QaLoader.load(qaFile);
        List<CorpusDocument> corpus = BeirLoader.loadCorpus(corpusFile);
        out.printf(Locale.ROOT, "loaded %d passages, %d questions; %d folds by article%n", corpus.size(),
                questions.size(), folds);
        FusionWeightStudy.Result r;
        try (Opened opened = openEmbedder(EmbedderSpec.parse(a.string("embedder", "onnx:all-minilm-l6-v2-q")), a, out)) {
            out.println("embedder " + opened.embedder().id() + " declares languages " + opened.embedder().languages());
            r = FusionWeightStudy.run(corpus, questions, opened.embedder(), RecursiveSplitter.of(1000, 150),
                    TextAnalyzer.named(analyzerName), k, folds, out);
        }
        out.println("detected query languages: " + new TreeMap<>(r.detected()));
        out.println("recall@" + k + " over all questions by dense weight (uncovered-language queries only):");
        new TreeMap<>(r.curve()).forEach((w, v) -> out.printf(Locale.ROOT, "  w=%.2f recall@%d=%.4f%n", w, k, v));
        for (int f = 0; f < r.foldWeights().size(); f++) {
            out.printf(Locale.ROOT, "fold %d: %d questions, weight chosen on the other folds %.2f, recall@%d %.4f%n", f,
                    r.foldSizes().get(f), r.foldWeights().get(f), k, r.foldRecalls().get(f));
        }
        out.printf(Locale.ROOT, "cross_validated_recall@%d=%.4f%n", k, r.crossValidatedRecall());
        return 0;
    }

    /**
     * Keyword search over several BEIR datasets, each alone and all in one index, with each analyzer: what
     * a multilingual index costs each language, and which analyzer holds up there.
     */
    private static int evalMixed(Args a, PrintStream out) {
        List<String> dirs = a.values("data");
        if (dirs.size() < 2) {
            throw new UsageException("needs --data at least twice (the datasets to mix), got " + dirs.size());
        }
        String split = a.string("split", "test");
        List<BeirDataset> datasets = new ArrayList<>();
        for (String dir : dirs) {
            BeirDataset d = BeirLoader.load(Path.of(dir), split);
            out.printf(Locale.ROOT, "loaded %s/%s: %d documents, %d scored queries%n", d.name(), split,
                    d.corpus().size(), d.evaluationQueries().size());
            datasets.add(d);
        }
        List<String> analyzers = List.of(a.string("analyzers", String.join(",", TextAnalyzer.NAMES)).split(","));
        List<MixedCorpusStudy.Row> rows = MixedCorpusStudy.run(datasets, analyzers, List.of(5, 10));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "BM25 (k1 %s, b %s, proximity weight %s, subword weight %s)",
                Bm25Index.DEFAULT_K1, Bm25Index.DEFAULT_B, Bm25Index.DEFAULT_PROXIMITY_WEIGHT,
                Bm25Index.DEFAULT_SUBWORD_WEIGHT)
                + ", whole documents (title + text); alone = an index of the dataset's corpus,"
                + " mixed = one index of all " + datasets.size() + " corpora");
        lines.add(String.format(Locale.ROOT, "%-15s %-10s %12s %10s %12s %10s", "analyzer", "dataset",
                "alone ndcg@10", "recall@5", "mixed ndcg@10", "recall@5"));
        for (MixedCorpusStudy.Row r : rows) {
            lines.add(String.format(Locale.ROOT, "%-15s %-10s %12.4f %10.4f %12.4f %10.4f", r.analyzer(), r.dataset(),
                    r.alone().mean(RetrievalMetric.NDCG, 10), r.alone().mean(RetrievalMetric.RECALL, 5),
                    r.mixed().mean(RetrievalMetric.NDCG, 10), r.mixed().mean(RetrievalMetric.RECALL, 5)));
        }
        lines.forEach(out::println);
        String file = a.string("out", null);
        if (file != null) {
            try {
                Files.write(Path.of(file), lines);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            out.println("wrote " + file);
        }
        return 0;
    }

    private static int benchIngest(Args a, PrintStream out) {
        IngestBench.Settings settings = new IngestBench.Settings(
                Path.of(a.string("data", "../shared/data/scifact")), a.string("model", "all-minilm-l6-v2-q"),
                a.integer("limit", 0, 0), a.integer("max-chars", 1000, 1), a.integer("overlap", 150, 0),
                a.integer("batch-size", 64, 1));
        IngestBench.Result result = IngestBench.run(settings, out);
        writeResult(a, "bench-ingest.json", result.json(), out);
        out.printf(Locale.ROOT, "ingest_speedup_vs_langchain4j=%.2f%n", result.speedup());
        return 0;
    }

    private static int benchPipeline(Args a, PrintStream out) {
        if (a.string("cache", null) != null) {
            return CachePipelineBenchCli.run(a, out);
        }
        PipelineBench.Settings settings = new PipelineBench.Settings(
                Path.of(a.string("data", "../shared/data/scifact")), a.integer("questions", 1000, 1),
                a.integer("warmup", 200, 0), BeirEvaluator.parseMode(a.string("mode", "hybrid")),
                a.integer("k", 5, 1), a.string("store", "memory"));
        PipelineBench.Result result = PipelineBench.run(settings, out);
        writeResult(a, "bench-pipeline.json", result.json(), out);
        out.printf(Locale.ROOT, "pipeline_overhead_p95_ms=%.3f%n", result.overhead().p95Ms());
        return 0;
    }

    private static int benchRollout(Args a, PrintStream out) {
        List<Double> shares = new ArrayList<>();
        for (String share : a.string("compare-shares", "1,0.1").split(",")) {
            try {
                shares.add(Double.parseDouble(share.strip()));
            } catch (NumberFormatException e) {
                throw new UsageException("--compare-shares had '" + share + "' but it must be numbers between 0 and 1"
                        + " separated by commas, e.g. 1,0.1");
            }
        }
        RolloutBench.Settings settings = new RolloutBench.Settings(a.integer("documents", 10_000, 1),
                a.integer("warmup", 300, 0), a.integer("queries", 2_000, 1), a.integer("pace-us", 1_000, 0),
                a.integer("settle-ms", 3_000, 0), shares, a.integer("seed", 1, 0));
        RolloutBench.Result result = RolloutBench.run(settings, out);
        writeResult(a, "bench-rollout.json", result.json(), out);
        Map<String, LatencyStats> first = result.latencies().values().iterator().next();
        out.printf(Locale.ROOT, "rollout_shadow_p95_ms=%.2f no_rollout_p95_ms=%.2f (compare-share %s)%n",
                first.get("shadow").p95Ms(), first.get("no_rollout").p95Ms(),
                result.latencies().keySet().iterator().next());
        return 0;
    }

    private static int benchVersions(Args a, PrintStream out) {
        VersionSwitchBench.Settings settings = new VersionSwitchBench.Settings(a.integer("documents", 10_000, 1),
                a.integer("promotes", 200, 1), a.integer("switches", 10, 1),
                Duration.ofMillis(a.integer("refresh-ms", 100, 0)), a.integer("readers", 2, 1),
                Duration.ofMillis(a.integer("window-ms", 5_000, 1)), Duration.ofMillis(a.integer("promote-every-ms", 200, 1)),
                a.integer("seed", 1, 0));
        VersionSwitchBench.Result result = VersionSwitchBench.run(settings, out);
        writeResult(a, "bench-versions.json", result.json(), out);
        out.printf(Locale.ROOT, "promote_mean_ms=%.2f notice_max_ms=%.0f switching_failed=%d switching_empty=%d%n",
                result.promote().meanMs(), result.notice().maxMs(), result.switching().failed(),
                result.switching().empty());
        return 0;
    }

    static void writeResult(Args a, String fileName, String json, PrintStream out) {
        String dir = a.string("out", "bench/results");
        try {
            Path target = Path.of(dir);
            Files.createDirectories(target);
            Files.writeString(target.resolve(fileName), json + "\n");
            out.println("wrote " + target.resolve(fileName));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot write " + fileName + " into " + dir, e);
        }
    }

    /** A command that takes options only: a positional argument is an error. */
    private static Args optionsOnly(Args a) {
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().get(0) + "'");
        }
        return a;
    }

    /**
     * The {@code --set rag.store.<store>.<key>=VALUE} options as the store's keys (e.g. {@code url}), the same
     * key names as the CLI's configuration; a key of another section or another store is refused rather than
     * silently ignored.
     */
    static Map<String, String> storeSettings(String store, List<String> assignments) {
        String prefix = "rag.store." + store + ".";
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            String key = eq < 0 ? assignment : assignment.substring(0, eq);
            if (eq < 0 || !key.startsWith(prefix) || key.length() == prefix.length()) {
                throw new UsageException("option --set was '" + assignment + "' but with --store " + store
                        + " it must be " + prefix + "<key>=<value>");
            }
            keys.put(key.substring(prefix.length()), assignment.substring(eq + 1));
        }
        return keys;
    }

    /**
     * {@link #storeSettings} plus the command line's own defaults, so that an evaluation measures the index the
     * CLI's {@code ingest} leaves: the Lucene store compacts on flush (one HNSW graph, not one per ingest batch's
     * segment) unless {@code --set rag.store.lucene.compact-on-flush=false} says otherwise, as examples' CliConfig
     * does for {@code ./ragkit ingest}.
     */
    static Map<String, String> evalStoreSettings(String store, List<String> assignments) {
        Map<String, String> keys = storeSettings(store, assignments);
        if (store.equals("lucene")) {
            keys.putIfAbsent("compact-on-flush", "true");
        }
        return keys;
    }

    private static void requireMemoryStore(Args a) {
        String store = a.string("store", "memory");
        if (!store.equals("memory")) {
            throw new InvalidInputException("--store was '" + store + "' but this evaluation supports only memory"
                    + " (the reference store: exact search, the same BM25 for every mode)");
        }
    }

    /** Writes the report files and checks the gates; returns the exit code. */
    private static int finish(EvalReport report, Args a, String baseName, List<Gate> gates, PrintStream out) {
        if (a.string("out", null) != null) {
            String safe = baseName.replaceAll("[^A-Za-z0-9._-]", "_");
            ReportWriter.writeAll(report, Path.of(a.string("out", "")), safe).forEach(p -> out.println("wrote " + p));
        }
        int code = 0;
        for (Gate.Result r : Gate.checkAll(gates, report.gateValues())) {
            out.println("gate " + r.describe());
            if (!r.passed()) {
                code = 1;
            }
        }
        return code;
    }

    private static double meanOrNaN(RetrievalEvaluation.Scores s, RetrievalMetric m, int k) {
        Map<Integer, Double> byK = s.means().getOrDefault(m, Map.of());
        return byK.getOrDefault(k, Double.NaN);
    }

    private static void printRetrievalTable(EvalReport report, PrintStream out) {
        out.println(report.title() + " (" + report.queries() + " queries)");
        TreeSet<Integer> ks = new TreeSet<>();
        report.curves().values().forEach(byK -> ks.addAll(byK.keySet()));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-10s", "metric"));
        ks.forEach(k -> header.append(String.format(Locale.ROOT, "%9s", "@" + k)));
        out.println(header);
        report.curves().forEach((name, byK) -> {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-10s", name));
            ks.forEach(k -> row.append(byK.containsKey(k) ? String.format(Locale.ROOT, "%9.4f", byK.get(k)) : "         "));
            out.println(row);
        });
        printLatency(report, out);
    }

    private static void printLatency(EvalReport report, PrintStream out) {
        report.latency().forEach((step, s) -> out.println(latencyLine(step, s)));
        report.notes().forEach(n -> out.println("  note: " + n));
    }

    static String latencyLine(String step, LatencyStats s) {
        return String.format(Locale.ROOT, "  latency %-10s n=%d p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms", step,
                s.count(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.maxMs());
    }

    /** An embedder with its optional cache, closed together. */
    private record Opened(Embedder embedder, CachingEmbedder cache) implements AutoCloseable {
        @Override
        public void close() {
            if (cache != null) {
                cache.close();
            }
        }
    }

    private static Opened openEmbedder(EmbedderSpec spec, Args a, PrintStream out) {
        int maxTokens = a.integer("max-tokens", 0, 0);
        Embedder embedder;
        if (maxTokens > 0) {
            if (!spec.provider().equals("onnx") || spec.model() == null) {
                throw new InvalidInputException("--max-tokens needs --embedder onnx:<model>");
            }
            embedder = WindowedOnnxEmbedder.load(spec.model(), maxTokens);
            out.println("model window set to " + maxTokens + " tokens (sentence-transformers' max_seq_length)");
        } else {
            embedder = spec.create(ProviderRegistry.discover());
        }
        if (a.flag("no-cache")) {
            return new Opened(embedder, null);
        }
        Path dir = Path.of(a.string("cache", Path.of(System.getProperty("user.home"), ".cache", "ragkit", "embeddings")
                .toString()));
        CachingEmbedder cache = CachingEmbedder.open(embedder, dir);
        out.println("embedding cache " + cache.file() + " (" + cache.size() + " vectors)");
        return new Opened(cache, cache);
    }
}
