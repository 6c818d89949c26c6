package dev.ragkit.examples.cli;

import dev.ragkit.tools.cli.Args;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.migrate.BackfillReport;
import dev.ragkit.core.migrate.CutoverReadiness;
import dev.ragkit.core.migrate.MigrationStatus;
import dev.ragkit.core.migrate.RepairReport;
import dev.ragkit.core.migrate.StoreMigration;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.StoreDirectory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ragkit migrate}: copies an index from one store to another with {@link StoreMigration}
 * (resumable backfill, then agreement@10 of the two stores on queries made of stored vectors), and
 * {@code ragkit migrate status} / {@code repair} on its state directory.
 *
 * <p>Dual-write and shadow reads need the application's own writes and queries, so they happen in the
 * host, through {@link StoreMigration#store()}; the command is the offline part (and a host may run its
 * backfill this way first, then open the same state directory: the checkpoint carries over).
 */
final class MigrateCommand implements Command {
    static final Set<String> VALUED = Set.of("from", "to", "state", "batch", "dimension", "queries");
    static final Set<String> REPEATABLE = Set.of("set");
    private static final int TOP_K = 10;

    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public String summary() {
        return "copy an index to another store (resumable), compare them, show or repair a migration";
    }

    @Override
    public String usage() {
        return """
            Usage: ragkit migrate --from STORE[:DIR] --to STORE[:DIR] [options]
                   ragkit migrate status [--state DIR | --to STORE:DIR]
                   ragkit migrate repair --from STORE[:DIR] --to STORE[:DIR] [--state DIR]

            Copies every chunk of the source store, with its vector and metadata, into the target store,
            in batches, checkpointing after each one: when interrupted (even by kill -9), the same command
            continues where it stopped. The source is opened read-only when it is a directory store
            (%s), so a running reader of it is not disturbed. The target receives the source's record of
            the embedder that built it; a target built with another embedder is refused, and so is a new
            migration into a target that already holds chunks.

            Then it runs --queries queries made of vectors stored in the source on both stores and prints
            agreement@%d (the share of the top-%d ids both return; 1.000 when they return the same).

            Prints on standard output, e.g.
              copied=5000 total=5000 resumed=false pending_repairs=0 agreement_mean=1.000 agreement_min=1.000
            and progress on standard error.

            'status' prints how far the backfill got, how many chunk ids wait for repair and which store
            is live, from the state directory alone (it works beside a running migration). 'repair' copies
            the chunks that a write left behind in one store (a host's dual-write that kept failing on one
            side) from the live store.

            While the application keeps writing, the migration runs in the application (the Java API
            StoreMigration: dual-write, shadow reads, cutover, rollback; see README "Migrating between
            stores"): it may open the same state directory to continue this command's checkpoint.

            Options:
              --from STORE[:DIR]  the source store provider and, for directory stores, its directory
              --to STORE[:DIR]    the target store provider and directory
              --state DIR         the migration's state directory (checkpoint, repair journal);
                                  default: the target directory followed by '.migration'
              --batch N           chunks per batch and checkpoint (default 256)
              --dimension N       the vectors' dimension; read from the source directory when omitted
              --queries N         queries compared after the copy (default 100, 0 to skip)
              --set KEY=VALUE     a setting of the target store, e.g. --set rag.store.faiss.index=Flat
                                  (repeatable); the source reopens with the settings its directory
                                  recorded (dimension; FAISS index and metric)

            Example:
              ragkit migrate --from faiss:.ragkit/index --to memory:.ragkit/index-memory
              ragkit migrate status --to memory:.ragkit/index-memory
            """.formatted(String.join(", ", new java.util.TreeSet<>(CliConfig.DIRECTORY_STORES)), TOP_K, TOP_K);
    }

    /** {@code name} or {@code name:DIR}. */
    record StoreSpec(String name, Optional<Path> directory) {
        static StoreSpec parse(String option, String value) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new CliUsageException("option --" + option + " was '" + value
                        + "' but it must be STORE or STORE:DIR, e.g. faiss:.ragkit/index");
            }
            if (colon >= 0 && colon == value.length() - 1) {
                throw new CliUsageException("option --" + option + " was '" + value + "' but the directory after ':' is empty");
            }
            Optional<Path> dir = colon < 0 ? Optional.empty() : Optional.of(Path.of(value.substring(colon + 1)));
            if (dir.isEmpty() && CliConfig.DIRECTORY_STORES.contains(name)) {
                throw new CliUsageException("option --" + option + " was '" + value + "' but store '" + name
                        + "' keeps its data in a directory: give it as " + name + ":DIR");
            }
            return new StoreSpec(name, dir.map(p -> p.toAbsolutePath().normalize()));
        }

        @Override
        public String toString() {
            return name + directory.map(d -> ":" + d).orElse("");
        }
    }

    @Override
    public int run(List<String> rawArgs, CliContext context) {
        Args args = Args.parse(rawArgs, VALUED, REPEATABLE, Set.of());
        if (args.flag("help")) {
            context.out().print(usage());
            return 0;
        }
        List<String> positionals = args.positionals();
        if (positionals.size() > 1) {
            throw new CliUsageException("migrate takes at most one word (status or repair), but was given " + positionals);
        }
        String action = positionals.isEmpty() ? "copy" : positionals.get(0);
        return switch (action) {
            case "copy" -> copy(args, context);
            case "status" -> status(args, context);
            case "repair" -> repair(args, context);
            default -> throw new CliUsageException("unknown word '" + action + "': migrate takes status, repair, or"
                    + " options only (--from, --to) to copy");
        };
    }

    private int status(Args args, CliContext context) {
        Path state = args.value("state").map(p -> Path.of(p).toAbsolutePath().normalize())
                .or(() -> args.value("to").map(v -> defaultState(StoreSpec.parse("to", v))))
                .orElseThrow(() -> new CliUsageException("migrate status needs --state DIR or --to STORE:DIR"));
        MigrationStatus status = StoreMigration.readStatus(state);
        context.out().println(status.describe());
        context.out().printf(Locale.ROOT, "phase=%s copied=%d backfill_done=%s pending_repairs=%d state=%s%n",
                status.phase(), status.chunksCopied(), status.backfillDone(), status.pendingRepairs(), state);
        return 0;
    }

    private int repair(Args args, CliContext context) {
        Opened opened = open(args);
        try (opened; StoreMigration migration = opened.builder().open()) {
            RepairReport report = migration.repair();
            context.out().printf(Locale.ROOT, "repaired=%d pending_repairs=%d%n", report.repairedIds(), report.pendingIds());
            report.lastError().ifPresent(e -> context.err().println("ragkit migrate: a repair failed again: " + e));
            return report.pendingIds() == 0 ? 0 : 1;
        }
    }

    private int copy(Args args, CliContext context) {
        int queries = args.intBetween("queries", 0, 100_000).orElse(100);
        Opened opened = open(args);
        try (opened; StoreMigration migration = opened.builder().agreementWindow(Math.max(1, queries)).open()) {
            context.err().println("Migrating " + opened.from + " -> " + opened.to + " (state " + opened.state + ")");
            long sourceChunks = opened.source.count();
            int[] lastPercent = {-1};
            BackfillReport report = migration.backfill(status -> {
                int percent = sourceChunks == 0 ? 100 : (int) Math.min(100, status.chunksCopied() * 100 / sourceChunks);
                if (context.interactive()) {
                    context.err().print("\r" + status.describe());
                } else if (percent / 25 != lastPercent[0] / 25) {
                    context.err().println(status.describe());
                }
                lastPercent[0] = percent;
            });
            if (context.interactive()) {
                context.err().println();
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "copied=%d total=%d resumed=%s pending_repairs=%d", report.chunksCopied(), report.totalCopied(),
                    report.resumed(), migration.status().pendingRepairs()));
            if (queries > 0) {
                CutoverReadiness r = compare(migration, opened.source, queries);
                line.append(String.format(Locale.ROOT, " agreement_mean=%.3f agreement_min=%.3f", r.meanAgreement(),
                        r.minAgreement()));
                context.err().printf(Locale.ROOT, "agreement@%d over %d queries: mean %.3f, lowest %.3f%n", TOP_K,
                        r.queries(), r.meanAgreement(), r.minAgreement());
            }
            context.out().println(line);
            context.err().printf(Locale.ROOT, "Copied %d chunk(s) in %.1f s; %s%n", report.chunksCopied(),
                    report.duration().toMillis() / 1000.0, migration.status().describe());
            return 0;
        }
    }

    /** Searches through the migration with vectors sampled from the source; the shadow reads fill the window. */
    private static CutoverReadiness compare(StoreMigration migration, VectorStore source, int queries) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            ScanPage page = source.scan(null, cursor, 1000);
            page.chunks().stream().map(Chunk::id).forEach(ids::add);
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        if (ids.isEmpty()) {
            return migration.readiness();
        }
        Random random = new Random(18);
        List<String> sample = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            sample.add(ids.get(random.nextInt(ids.size())));
        }
        for (EmbeddedChunk chunk : source.getEmbedded(sample)) {
            migration.store().search(SearchRequest.dense(chunk.vector(), TOP_K));
        }
        return migration.readiness();
    }

    private static Path defaultState(StoreSpec to) {
        Path dir = to.directory().orElseThrow(() -> new CliUsageException("store '" + to.name()
                + "' has no directory to put the migration state beside: give --state DIR"));
        return Path.of(dir + ".migration");
    }

    /** Both stores, opened; closing closes them (target first, so its last writes are flushed). */
    private record Opened(StoreSpec from, StoreSpec to, Path state, VectorStore source, VectorStore target,
                          StoreMigration.Builder builder) implements AutoCloseable {
        @Override
        public void close() {
            try {
                target.close();
            } finally {
                source.close();
            }
        }
    }

    private static Opened open(Args args) {
        StoreSpec from = StoreSpec.parse("from", args.value("from")
                .orElseThrow(() -> new CliUsageException("migrate needs --from STORE[:DIR]")));
        StoreSpec to = StoreSpec.parse("to", args.value("to")
                .orElseThrow(() -> new CliUsageException("migrate needs --to STORE[:DIR]")));
        if (from.directory().isPresent() && from.directory().equals(to.directory())) {
            throw new CliUsageException("--from and --to name the same directory " + from.directory().get());
        }
        Path state = args.value("state").map(p -> Path.of(p).toAbsolutePath().normalize()).orElseGet(() -> defaultState(to));
        int batch = args.intBetween("batch", 1, 100_000).orElse(256);
        Map<String, String> recorded = recordedSettings(from);
        int dimension = args.intBetween("dimension", 1, 1 << 16).orElseGet(() -> {
            try {
                return Integer.parseInt(recorded.getOrDefault("dimension", ""));
            } catch (NumberFormatException e) {
                throw new CliUsageException("give --dimension N: the source " + from + " does not record its dimension");
            }
        });
        Map<String, String> settings = settings(args.values("set"));
        // The source reopens with what it recorded, even when --set gives the target (same store kind) other values.
        Map<String, String> sourceSettings = new TreeMap<>(settings);
        recorded.forEach((key, value) -> sourceSettings.put("rag.store." + from.name() + "." + key, value));
        ProviderRegistry registry = ProviderRegistry.discover();
        VectorStore source = create(registry, from, dimension, true, sourceSettings);
        VectorStore target;
        try {
            target = create(registry, to, dimension, false, settings);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        StoreMigration.Builder builder = StoreMigration.builder(source, target).stateDirectory(state).batchSize(batch)
                .shadowExecutor(Runnable::run);
        return new Opened(from, to, state, source, target, builder);
    }

    private static Map<String, String> settings(List<String> assignments) {
        Map<String, String> settings = new TreeMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0 || !assignment.startsWith("rag.store.")) {
                throw new CliUsageException("option --set was '" + assignment + "' but it must be rag.store.<name>.<key>=<value>");
            }
            settings.put(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
        }
        return settings;
    }

    private static VectorStore create(ProviderRegistry registry, StoreSpec spec, int dimension, boolean readOnly,
                                      Map<String, String> settings) {
        Map<String, String> config = new TreeMap<>(settings);
        String prefix = "rag.store." + spec.name() + ".";
        config.put(prefix + "dimension", Integer.toString(dimension));
        spec.directory().ifPresent(d -> config.put(prefix + "directory", d.toString()));
        if (readOnly && CliConfig.DIRECTORY_STORES.contains(spec.name())) {
            config.put(prefix + "read-only", "true");
        } else {
            config.remove(prefix + "read-only");
        }
        return registry.store(spec.name()).create(new ProviderConfig("store", spec.name(), config));
    }

    /**
     * The settings a directory store recorded when it was created ({@code dimension}; FAISS's {@code index}
     * and {@code metric}), which reopening it must repeat.
     */
    private static Map<String, String> recordedSettings(StoreSpec from) {
        Optional<Path> dir = from.directory();
        if (dir.isEmpty()) {
            return Map.of();
        }
        Path manifest = dir.get().resolve(StoreDirectory.MANIFEST);
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new RagConfigurationException("there is no store in " + dir.get() + " (cannot read " + manifest + ": "
                    + e.getMessage() + "); check --from");
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("setting.")) {
                settings.put(key.substring("setting.".length()), p.getProperty(key));
            }
        }
        return settings;
    }
}
