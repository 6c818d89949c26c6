package dev.ragkit.examples.cli;

import dev.ragkit.tools.cli.Args;
import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.index.AgreementGate;
import dev.ragkit.core.index.ConfiguredEmbedders;
import dev.ragkit.core.index.EmbedderResolver;
import dev.ragkit.core.index.IndexLifecycle;
import dev.ragkit.core.index.PromotionGate;
import dev.ragkit.core.index.PromotionResult;
import dev.ragkit.core.index.ReindexReport;
import dev.ragkit.core.index.Rollout;
import dev.ragkit.core.index.RolloutFigures;
import dev.ragkit.core.index.RolloutPolicy;
import dev.ragkit.core.index.RolloutStage;
import dev.ragkit.core.index.RolloutState;
import dev.ragkit.core.ingest.FileSystemLoader;
import dev.ragkit.core.ingest.Ingestor;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.eval.LabelledSetGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code ragkit index list|reindex|promote|rollback|rollout}: the versions of the configured index. A
 * reindex builds the next version beside the live one, which keeps answering; promote moves the alias
 * after a quality gate; rollback moves it back; rollout lets a ready version answer a growing share of
 * the traffic first. Works on any store whose provider keeps versions
 * ({@link dev.ragkit.core.spi.VectorStoreProvider#versioned}).
 */
final class IndexCommand implements Command {
    private static final Set<String> VALUED;
    private static final Set<String> FLAGS = Set.of("no-gate");

    static {
        Set<String> valued = new HashSet<>(IndexAccess.VALUED);
        valued.addAll(Set.of("splitter", "queries", "qrels", "split", "min-agreement", "min-ndcg", "min-recall", "k",
                "sample", "keep", "stages", "reason"));
        VALUED = Set.copyOf(valued);
    }

    @Override
    public String name() {
        return "index";
    }

    @Override
    public String summary() {
        return "versions of the index: list, reindex beside the live one, promote through a gate, rollback, rollout";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit index list [options]
                   ragkit index reindex <source> [--embedder NAME] [--model M] [--splitter MAX[,OVERLAP]] [options]
                   ragkit index promote [VERSION] [--queries FILE | --qrels DIR] [--min-agreement X | --min-ndcg X]
                   ragkit index rollback [options]
                   ragkit index rollout start VERSION [--stages shadow,0.1,0.5,1] | advance | complete | status
                                        | abort [--reason TEXT]

            An index keeps numbered versions (v1, v2, ...) and an alias naming the live one, which
            'ask' and every reader search.

              list      every version: state (BUILDING or READY), the live one (*), the embedder and
                        splitter that built it, its documents and chunks, when it was created.
              reindex   builds the next version from the files under <source> beside the live one, which
                        keeps answering. Chunks whose text the live version holds keep its vectors when
                        the embedder is the same; with another embedder every chunk is embedded. A reindex
                        that was interrupted (killed, embedder down) is continued by the next one with the
                        same embedder and splitter. The new version is READY, not live.
              promote   runs a gate on VERSION (default: the newest ready version that is not live), then
                        points the alias at it. Refused (exit 1, figures printed) below the threshold:
                          --qrels DIR          BEIR folder (queries.jsonl, qrels/<split>.tsv): nDCG@10 and
                                               recall@k of the candidate; --min-ndcg X, --min-recall X; it
                                               must not lose more than 0.01 nDCG@10 to the live version
                          --queries FILE       one query a line: agreement@k of the candidate's top k
                                               documents with the live version's, --min-agreement X
                                               (default %s), --sample N queries (default 200)
                          --no-gate            promote without a check
                        --k K (default 10) for both; --split NAME (default test); --keep N old versions
                        (default %d): older ready versions beyond N are dropped after the promotion.
              rollback  points the alias back at the version live before, in one step.
              rollout   lets a ready VERSION answer a growing share of the queries of the hosts serving
                        the index (Ragkit.fromConfig on this directory), without moving the alias:
                          start VERSION   first stage of --stages (default shadow,0.1,0.5,1): 'shadow'
                                          queries the candidate beside the live version (answers stay
                                          live), a share such as 0.1 sends that share of the sessions
                                          (pipeline.forKey(sessionId)) to it, always the same ones
                          advance         next stage
                          complete        promotes the candidate (gate options as for promote; none
                                          by default: the rollout was the check)
                          status          the stage, and both versions' queries, error rates, p95
                                          latency and agreement side by side, as the hosts wrote them
                          abort           all traffic back to the live version
                        A host rolls the rollout back by itself when the candidate's error rate exceeds
                        rag.rollout.max-error-rate (0.01) or its agreement with the live version falls
                        below rag.rollout.min-agreement (0.7), over rag.rollout.min-queries (100).

            Options:
            """.formatted(AgreementGate.DEFAULT_MIN_AGREEMENT, IndexLifecycle.DEFAULT_KEEP_OLD_VERSIONS)
                + IndexAccess.OPTIONS_HELP + """
              --splitter MAX[,OVERLAP]  characters per chunk and overlap (rag.splitter.max-chars and
                                overlap-chars; default 1000,150)

            Examples:
              ragkit index reindex docs/ --model bge-small-en-v1.5-q
              ragkit index promote --qrels data/scifact --min-ndcg 0.65
              ragkit index rollback
              ragkit index rollout start 3 && ragkit index rollout status
            """;
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, VALUED, IndexAccess.REPEATABLE, FLAGS);
        if (args.flag("help")) {
            context.out().print(usage());
            return 0;
        }
        if (args.positionals().isEmpty()) {
            throw new CliUsageException("index needs a sub-command: list, reindex, promote, rollback or rollout");
        }
        String sub = args.positionals().get(0);
        List<String> operands = args.positionals().subList(1, args.positionals().size());
        CliConfig config = IndexAccess.config(args, context, c -> args.value("splitter").ifPresent(v -> splitter(c, v)));
        return switch (sub) {
            case "list" -> {
                noOperands(sub, operands);
                yield withIndex(config, index -> list(index, config, context));
            }
            case "reindex" -> reindex(args, operands, config, context);
            case "promote" -> promote(args, operands, config, context);
            case "rollback" -> {
                noOperands(sub, operands);
                yield withIndex(config, index -> {
                    int live = lifecycle(index, config, args, null).rollback();
                    context.out().println("rolled back: live is now v" + live);
                    return 0;
                });
            }
            case "rollout" -> rollout(args, operands, config, context);
            default -> throw new CliUsageException("unknown index sub-command '" + sub
                    + "'; use list, reindex, promote, rollback or rollout");
        };
    }

    private static void noOperands(String sub, List<String> operands) {
        if (!operands.isEmpty()) {
            throw new CliUsageException("index " + sub + " takes no argument, but was given " + operands);
        }
    }

    /** {@code --splitter 800,100}: the splitter keys of the configuration. */
    private static void splitter(CliConfig config, String value) {
        String[] parts = value.split(",");
        try {
            int max = Integer.parseInt(parts[0].trim());
            config.set("rag.splitter.max-chars", Integer.toString(max));
            if (parts.length == 2) {
                config.set("rag.splitter.overlap-chars", Integer.toString(Integer.parseInt(parts[1].trim())));
            } else if (parts.length > 2) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new CliUsageException("option --splitter was '" + value + "' but it must be MAX or MAX,OVERLAP,"
                    + " e.g. 1000,150");
        }
    }

    private interface IndexAction {
        int run(VersionedIndex index);
    }

    /** Opens the configured store's versioned index for one action. */
    private static int withIndex(CliConfig config, IndexAction action) {
        ProviderRegistry registry = ProviderRegistry.discover();
        String store = config.store();
        ProviderConfig settings = new ProviderConfig(ComponentKind.STORE.configSegment(), store, config.toMap());
        VersionedIndex index = registry.store(store).versioned(settings).orElseThrow(() ->
                new RagConfigurationException("store '" + store + "' keeps no index versions, so it cannot be"
                        + " reindexed beside a live version; use a store that does (memory, faiss)"));
        try (index) {
            return action.run(index);
        }
    }

    private static IndexLifecycle lifecycle(VersionedIndex index, CliConfig config, Args args,
                                            EmbedderResolver embedders) {
        IndexLifecycle.Builder builder = IndexLifecycle.builder(index);
        args.intBetween("keep", 0, 1000).ifPresent(builder::keepOldVersions);
        String batch = config.get("rag.ingest.batch-size");
        if (batch != null) {
            builder.batchSize(Integer.parseInt(batch.trim()));
        }
        if (embedders != null) {
            builder.embedders(embedders);
        }
        return builder.build();
    }

    private static int list(VersionedIndex index, CliConfig config, CliContext context) {
        List<IndexVersion> versions = index.versions();
        if (versions.isEmpty()) {
            context.out().println(IndexAccess.describe(config) + " has no version yet; build one with"
                    + " 'ragkit index reindex <source>'");
            return 0;
        }
        OptionalInt live = index.live();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        context.out().printf(Locale.ROOT, "%-8s %-9s %-4s %-32s %5s %-44s %9s %9s %-19s %s%n", "version", "state",
                "live", "embedder", "dim", "splitter", "documents", "chunks", "created (UTC)", "source");
        for (IndexVersion v : versions) {
            boolean isLive = live.isPresent() && live.getAsInt() == v.number();
            String fingerprint = v.sourceFingerprint().isEmpty() ? "-"
                    : v.sourceFingerprint().substring(0, Math.min(12, v.sourceFingerprint().length()));
            context.out().printf(Locale.ROOT, "%-8s %-9s %-4s %-32s %5d %-44s %9d %9d %-19s %s%n", v.label(), v.state(),
                    isLive ? "*" : "", v.builtWith().embedder(), v.builtWith().dimension(),
                    v.builtWith().splitter().isEmpty() ? "-" : v.builtWith().splitter(), v.documents(), v.chunks(),
                    time.format(v.created()), fingerprint);
        }
        return 0;
    }

    private static int reindex(Args args, List<String> operands, CliConfig config, CliContext context) {
        if (operands.size() != 1) {
            throw new CliUsageException("index reindex needs one source folder or file, but was given " + operands);
        }
        Path source = Path.of(operands.get(0));
        if (!Files.exists(source)) {
            throw new CliUsageException("no such file or folder: " + source);
        }
        RecursiveSplitter splitter = splitterOf(config);
        try (Embedder embedder = createEmbedder(config, config.embedder())) {
            return withIndex(config, index -> {
                int maxChars = config.get(Ingestor.MAX_DOCUMENT_CHARS_KEY) == null ? Ingestor.DEFAULT_MAX_DOCUMENT_CHARS
                        : Integer.parseInt(config.get(Ingestor.MAX_DOCUMENT_CHARS_KEY).trim());
                FileSystemLoader loader = FileSystemLoader.builder(source)
                        .maxFileBytes(maxChars, Ingestor.MAX_DOCUMENT_CHARS_KEY).build();
                ProgressBar bar = new ProgressBar(context.err(), context.interactive());
                ReindexReport report;
                try {
                    report = lifecycle(index, config, args, null).reindex(loader, embedder, splitter, bar);
                } finally {
                    bar.finish();
                }
                report.sync().skipped().forEach(s -> context.err().println("skipped " + loader.pathOf(s.documentId())
                        + ": " + s.reason()));
                context.out().println(report.summary());
                context.err().printf(Locale.ROOT, "%s %s in %.1f s; it is not live: 'ragkit index promote %d'"
                        + " moves the alias to it.%n", report.resumed() ? "Finished" : "Built",
                        report.version().label(), report.duration().toMillis() / 1000.0, report.version().number());
                return 0;
            });
        }
    }

    private static RecursiveSplitter splitterOf(CliConfig config) {
        int max = intKey(config, "rag.splitter.max-chars", 1000);
        int overlap = intKey(config, "rag.splitter.overlap-chars", 150);
        if (max < 1 || overlap < 0 || overlap >= max) {
            throw new RagConfigurationException("rag.splitter.overlap-chars was " + overlap + " and"
                    + " rag.splitter.max-chars " + max + " but the overlap must be >= 0 and below the maximum");
        }
        return RecursiveSplitter.of(max, overlap);
    }

    private static int intKey(CliConfig config, String key, int defaultValue) {
        String value = config.get(key);
        try {
            return value == null ? defaultValue : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new RagConfigurationException(key + " was '" + value + "' but it must be a whole number");
        }
    }

    /** The embedder provider {@code name} as configured. */
    private static Embedder createEmbedder(CliConfig config, String name) {
        return createEmbedder(config.toMap(), name);
    }

    private static Embedder createEmbedder(Map<String, String> values, String name) {
        ProviderRegistry registry = ProviderRegistry.discover();
        ProviderConfig settings = new ProviderConfig(ComponentKind.EMBEDDER.configSegment(), name, values);
        return registry.embedder(name).create(settings);
    }

    private static int promote(Args args, List<String> operands, CliConfig config, CliContext context) {
        if (operands.size() > 1) {
            throw new CliUsageException("index promote takes at most one version, but was given " + operands);
        }
        int gates = (args.value("queries").isPresent() ? 1 : 0) + (args.value("qrels").isPresent() ? 1 : 0)
                + (args.flag("no-gate") ? 1 : 0);
        if (gates > 1) {
            throw new CliUsageException("give one of --queries, --qrels and --no-gate");
        }
        if (args.value("min-agreement").isPresent() && args.value("queries").isEmpty()) {
            throw new CliUsageException("--min-agreement applies to the agreement gate: add --queries FILE");
        }
        if ((args.value("min-ndcg").isPresent() || args.value("min-recall").isPresent())
                && args.value("qrels").isEmpty()) {
            throw new CliUsageException("--min-ndcg and --min-recall apply to the labelled gate: add --qrels DIR");
        }
        int k = args.intBetween("k", 1, 1000).orElse(10);
        try (ConfiguredEmbedders embedders = embedders(config)) {
            return withIndex(config, index -> {
                int version = operands.isEmpty() ? newestCandidate(index) : parseVersion(operands.get(0));
                PromotionGate gate = gate(args, k, index, context);
                IndexLifecycle lifecycle = lifecycle(index, config, args, embedders);
                PromotionResult result = lifecycle.promote(version, gate);
                context.out().println(result.summary());
                return result.promoted() ? 0 : 1;
            });
        }
    }

    private static int rollout(Args args, List<String> operands, CliConfig config, CliContext context) {
        if (operands.isEmpty()) {
            throw new CliUsageException("index rollout needs a step: start VERSION, advance, complete, status or abort");
        }
        String step = operands.get(0);
        List<String> rest = operands.subList(1, operands.size());
        if (!step.equals("start")) {
            noOperands("rollout " + step, rest);
            if (args.value("stages").isPresent()) {
                throw new CliUsageException("--stages applies to 'index rollout start'");
            }
        }
        try (ConfiguredEmbedders embedders = embedders(config)) {
            return withIndex(config, index -> {
                Rollout.Builder builder = Rollout.builder(index).embedders(embedders);
                args.intBetween("keep", 0, 1000).ifPresent(builder::keepOldVersions);
                Rollout rollout = builder.build();
                switch (step) {
                    case "start" -> {
                        if (rest.size() != 1) {
                            throw new CliUsageException("index rollout start needs one version, but was given " + rest);
                        }
                        List<RolloutStage> stages = args.value("stages").map(RolloutStage::parseList)
                                .orElse(RolloutStage.DEFAULT_STAGES);
                        context.out().println("started " + rollout.start(parseVersion(rest.get(0)), stages).summary());
                        return 0;
                    }
                    case "advance" -> {
                        context.out().println("advanced " + rollout.advance().summary());
                        return 0;
                    }
                    case "complete" -> {
                        PromotionGate gate = args.value("queries").isPresent() || args.value("qrels").isPresent()
                                ? gate(args, args.intBetween("k", 1, 1000).orElse(10), index, context)
                                : PromotionGate.none();
                        PromotionResult result = rollout.complete(gate);
                        context.out().println(result.summary());
                        return result.promoted() ? 0 : 1;
                    }
                    case "abort" -> {
                        String reason = args.value("reason").orElse("aborted by an operator");
                        context.out().println("aborted " + rollout.abort(reason).summary());
                        return 0;
                    }
                    case "status" -> {
                        return rolloutStatus(rollout, config, context);
                    }
                    default -> throw new CliUsageException("unknown rollout step '" + step
                            + "'; use start VERSION, advance, complete, status or abort");
                }
            });
        }
    }

    private static int rolloutStatus(Rollout rollout, CliConfig config, CliContext context) {
        Optional<RolloutState> state = rollout.state();
        if (state.isEmpty()) {
            context.out().println(IndexAccess.describe(config) + " has no rollout; start one with"
                    + " 'ragkit index rollout start VERSION'");
            return 0;
        }
        context.out().println(state.get().summary());
        RolloutFigures f = rollout.figures().orElse(RolloutFigures.empty(state.get()));
        context.out().printf(Locale.ROOT, "%-12s %18s %18s%n", "", "live v" + f.live().version(),
                "candidate v" + f.candidate().version());
        context.out().printf(Locale.ROOT, "%-12s %18d %18d%n", "queries", f.live().requests(), f.candidate().requests());
        context.out().printf(Locale.ROOT, "%-12s %18s %18s%n", "errors", errors(f.live()), errors(f.candidate()));
        context.out().printf(Locale.ROOT, "%-12s %18s %18s%n", "p95", millis(f.live().p95Millis()),
                millis(f.candidate().p95Millis()));
        context.out().printf(Locale.ROOT, "%-12s %s%n", "agreement", f.compared() == 0 ? "- (no query compared yet)"
                : String.format(Locale.ROOT, "%.3f over %d compared queries", f.agreement(), f.compared()));
        context.out().printf(Locale.ROOT, "limits: error rate <= %s and agreement >= %s, judged over >= %s queries"
                        + " (rag.rollout.*, as the serving hosts set them)%n",
                setting(config, "rag.rollout.max-error-rate", RolloutPolicy.DEFAULT_MAX_ERROR_RATE),
                setting(config, "rag.rollout.min-agreement", RolloutPolicy.DEFAULT_MIN_AGREEMENT),
                setting(config, "rag.rollout.min-queries", RolloutPolicy.DEFAULT_MIN_QUERIES));
        return 0;
    }

    private static String errors(RolloutFigures.Side side) {
        return String.format(Locale.ROOT, "%d (%.2f%%)", side.errors(), side.errorRate() * 100);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static String setting(CliConfig config, String key, Object defaultValue) {
        String value = config.get(key);
        return value == null ? String.valueOf(defaultValue) : value.trim();
    }

    private static int parseVersion(String text) {
        String digits = text.startsWith("v") ? text.substring(1) : text;
        try {
            int v = Integer.parseInt(digits);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliUsageException("version was '" + text + "' but it must be a version number such as 3 or v3");
    }

    /** The newest ready version that is not live: what a reindex just built. */
    private static int newestCandidate(VersionedIndex index) {
        OptionalInt live = index.live();
        return index.versions().stream()
                .filter(v -> v.state() == IndexVersion.State.READY)
                .filter(v -> live.isEmpty() || v.number() != live.getAsInt())
                .max(Comparator.comparingInt(IndexVersion::number))
                .map(IndexVersion::number)
                .orElseThrow(() -> new CliUsageException("there is no ready version to promote; build one with"
                        + " 'ragkit index reindex <source>'"));
    }

    private static PromotionGate gate(Args args, int k, VersionedIndex index, CliContext context) {
        if (args.value("qrels").isPresent()) {
            Path dir = Path.of(args.value("qrels").get());
            LabelledSetGate.Builder gate = LabelledSetGate.fromBeirDirectory(dir, args.value("split").orElse("test"));
            args.value("min-ndcg").ifPresent(v -> gate.minNdcgAt10(fraction("min-ndcg", v)));
            args.value("min-recall").ifPresent(v -> gate.minRecall(k, fraction("min-recall", v)));
            return gate.build();
        }
        if (args.value("queries").isPresent()) {
            Path file = Path.of(args.value("queries").get());
            List<String> queries = readQueries(file);
            AgreementGate.Builder gate = AgreementGate.builder(queries).k(k);
            args.value("min-agreement").ifPresent(v -> gate.minAgreement(fraction("min-agreement", v)));
            args.intBetween("sample", 1, 1_000_000).ifPresent(gate::sampleSize);
            return gate.build();
        }
        if (args.flag("no-gate") || index.live().isEmpty()) {
            return PromotionGate.none();
        }
        throw new CliUsageException("promote checks the candidate before moving the alias: give --qrels DIR (a"
                + " labelled set) or --queries FILE (agreement with the live version), or --no-gate");
    }

    private static double fraction(String option, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliUsageException("option --" + option + " was '" + value + "' but it must be a number from 0 to 1");
    }

    private static List<String> readQueries(Path file) {
        try {
            List<String> queries = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (queries.isEmpty()) {
                throw new CliUsageException("query file " + file + " holds no query (one a line; # starts a comment)");
            }
            return queries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read query file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The embedder that built a version, from its id: the provider named before the id's {@code :} with its
     * {@code model} key set to the rest ({@code onnx:bge-small-en-v1.5-q}: provider onnx, model
     * bge-small-en-v1.5-q) and the configuration's other settings, each made once, when a gate first
     * searches that version.
     */
    private static ConfiguredEmbedders embedders(CliConfig config) {
        return new ConfiguredEmbedders(ProviderRegistry.discover(), config.toMap(), null);
    }
}
