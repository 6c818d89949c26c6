package dev.ragkit.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ragkit.core.ComponentKind;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.RagConfigurationException;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.index.IndexLifecycle;
import dev.ragkit.core.index.PromotionResult;
import dev.ragkit.core.index.ReindexReport;
import dev.ragkit.core.ingest.DocumentLoader;
import dev.ragkit.core.ingest.IngestionListener;
import dev.ragkit.core.model.Document;
import dev.ragkit.core.model.IndexVersion;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.spi.VersionedIndex;
import dev.ragkit.core.store.LiveVersionStore;
import dev.ragkit.embed.onnx.OnnxEmbedder;
import dev.ragkit.eval.BeirDataset;
import dev.ragkit.eval.BeirLoader;
import dev.ragkit.eval.CorpusDocument;
import dev.ragkit.eval.EvalQuery;
import dev.ragkit.eval.LabelledSetGate;
import dev.ragkit.eval.LatencyStats;
import dev.ragkit.eval.Qrels;
import dev.ragkit.eval.WholeDocumentSplitter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The index lifecycle end to end on a BEIR set (SciFact), on a real store, with queries running all
 * the time from another thread, and what it measures:
 *
 * <ol>
 *   <li>v1: every document embedded with the first model (all-MiniLM-L6-v2); promoted.</li>
 *   <li>idle: queries alone against v1 (the idle latency).</li>
 *   <li>v2: every document embedded with the second model (bge-small-en-v1.5) beside v1 while the
 *       queries keep hitting v1 (the latency during a reindex, and a full rebuild's throughput).</li>
 *   <li>promote v2 through the labelled gate (nDCG@10 on the judged queries must not fall below v1's),
 *       roll back to v1, promote v2 again.</li>
 *   <li>v3: the same model as v2 on a copy of the corpus where a share of the documents (5 %) changed:
 *       the unchanged documents keep v2's vectors (the reindex throughput with reuse).</li>
 * </ol>
 *
 * The query thread checks every answer: it never fails, it always comes from a version that was ready
 * and live, and a version's answer to a query never changes (so a version being built is never seen,
 * and the live version is never touched by a reindex). {@link Result#problems()} lists any breach.
 * A benchmark, not a test: it writes its figures to a JSON file; {@code LifecycleScenarioIT} runs it
 * on a slice of SciFact and asserts there are no problems.
 */
public final class LifecycleBench {
    private LifecycleBench() {
    }

    /**
     * Settings of one run.
     *
     * @param data BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)
     * @param work empty directory for the versioned index
     * @param store store provider with versions ({@code faiss}, {@code memory})
     * @param documents documents indexed; 0 for all. A slice keeps every document judged for the
     *     queries used, then the corpus in order
     * @param queries judged test queries used (gate and query load); 0 for all
     * @param changedShare share of the documents changed before the last reindex, e.g. 0.05
     * @param firstModel ONNX model of v1
     * @param secondModel ONNX model of v2 and v3
     * @param idleQueries queries measured while nothing else runs
     * @param seed chooses the changed documents
     * @param queriesPerSecond pace of the query thread; 0 queries without pause
     */
    public record Settings(Path data, Path work, String store, int documents, int queries, double changedShare,
                           String firstModel, String secondModel, int idleQueries, long seed, int queriesPerSecond) {
    }

    /**
     * What one run measured.
     *
     * @param json every figure, as written to the result file
     * @param problems every breach of the scenario's guarantees; empty when all held
     */
    public record Result(Map<String, Object> json, List<String> problems) {
    }

    /** Runs the scenario; progress lines go to {@code out}. */
    public static Result run(Settings settings, PrintStream out) {
        BeirDataset dataset = BeirLoader.load(settings.data(), "test");
        List<EvalQuery> queries = dataset.evaluationQueries();
        if (settings.queries() > 0 && settings.queries() < queries.size()) {
            queries = queries.subList(0, settings.queries());
        }
        List<CorpusDocument> corpus = slice(dataset, queries, settings.documents());
        List<Document> documents = new ArrayList<>();
        for (CorpusDocument d : corpus) {
            if (!d.indexText().isBlank()) {
                documents.add(new Document(d.id(), d.indexText(), Map.of("title", d.title())));
            }
        }
        List<Document> changed = changed(documents, settings.changedShare(), settings.seed());
        int changedCount = 0;
        for (int i = 0; i < documents.size(); i++) {
            if (!documents.get(i).text().equals(changed.get(i).text())) {
                changedCount++;
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("dataset", dataset.name());
        params.put("store", settings.store());
        params.put("documents", documents.size());
        params.put("queries", queries.size());
        params.put("first_model", settings.firstModel());
        params.put("second_model", settings.secondModel());
        params.put("changed_documents", changedCount);
        params.put("splitter", "whole document");
        params.put("processors", Runtime.getRuntime().availableProcessors());
        params.put("query_pace_per_second", settings.queriesPerSecond() == 0 ? "unpaced"
                : settings.queriesPerSecond());
        json.put("parameters", params);
        List<String> problems = new ArrayList<>();

        ProviderRegistry registry = ProviderRegistry.discover();
        ProviderConfig config = new ProviderConfig(ComponentKind.STORE.configSegment(), settings.store(),
                Map.of("rag.store." + settings.store() + ".directory", settings.work().toString()));
        try (VersionedIndex index = registry.store(settings.store()).versioned(config).orElseThrow(() ->
                new RagConfigurationException("store '" + settings.store() + "' keeps no versions"));
             OnnxEmbedder first = OnnxEmbedder.builder().model(settings.firstModel()).build();
             OnnxEmbedder second = OnnxEmbedder.builder().model(settings.secondModel()).build()) {
            Map<String, Embedder> embedders = Map.of(first.id(), first, second.id(), second);
            IndexLifecycle lifecycle = IndexLifecycle.builder(index).embedders(info -> embedders.get(info.embedder()))
                    .keepOldVersions(2).build();
            LabelledSetGate gate = LabelledSetGate.builder(queries, dataset.qrels()).build();
            WholeDocumentSplitter splitter = new WholeDocumentSplitter();
            Map<String, Object> reindexes = new LinkedHashMap<>();
            json.put("reindex", reindexes);

            out.printf(Locale.ROOT, "v1: %d documents with %s%n", documents.size(), first.id());
            ReindexReport v1 = lifecycle.reindex(loader(documents), first, splitter, IngestionListener.NONE);
            reindexes.put("v1_full_" + settings.firstModel(), describe(v1));
            PromotionResult p1 = lifecycle.promote(v1.version().number(), gate);
            json.put("promote_v1", p1.summary());

            QueryLoad load;
            try (VectorStore live = index.openLive()) {
                load = new QueryLoad((LiveVersionStore) live, lifecycle, embedders, queries,
                        settings.queriesPerSecond());
                Thread thread = new Thread(load, "lifecycle-queries");
                thread.setDaemon(true);
                thread.start();
                try {
                    load.phase("idle");
                    load.awaitQueries("idle", settings.idleQueries());

                    load.phase("reindex-full");
                    out.printf(Locale.ROOT, "v2: %d documents with %s, queries running%n", documents.size(), second.id());
                    ReindexReport v2 = lifecycle.reindex(loader(documents), second, splitter, IngestionListener.NONE);
                    reindexes.put("v2_full_" + settings.secondModel(), describe(v2));
                    load.phase("ready");
                    load.awaitQueries("ready", Math.min(50, settings.idleQueries()));

                    load.phase("promote");
                    PromotionResult p2 = lifecycle.promote(v2.version().number(), gate);
                    out.println(p2.summary());
                    json.put("promote_v2", p2.summary());
                    json.put("gate_figures", p2.verdict().figures());
                    if (!p2.promoted()) {
                        problems.add("the labelled gate refused v2: " + p2.summary());
                    }
                    Double candidateNdcg = p2.verdict().figures().get("ndcg@10");
                    Double liveNdcg = p2.verdict().figures().get("live-ndcg@10");
                    if (candidateNdcg == null || liveNdcg == null || candidateNdcg <= liveNdcg) {
                        problems.add("nDCG@10 did not rise from v1 to v2: " + p2.verdict().figures());
                    }
                    load.awaitQueries("promote", 20);
                    load.phase("rollback");
                    int back = lifecycle.rollback();
                    json.put("rollback", "v" + back);
                    if (back != v1.version().number()) {
                        problems.add("rollback went to v" + back + ", not v1");
                    }
                    load.awaitQueries("rollback", 20);
                    load.phase("promote-again");
                    PromotionResult again = lifecycle.promote(v2.version().number(), gate);
                    json.put("promote_v2_again", again.summary());
                    if (!again.promoted()) {
                        problems.add("the second promotion of v2 was refused: " + again.summary());
                    }
                    load.awaitQueries("promote-again", 20);

                    load.phase("reindex-changed");
                    out.printf(Locale.ROOT, "v3: %d of %d documents changed, %s, queries running%n", changedCount,
                            documents.size(), second.id());
                    ReindexReport v3 = lifecycle.reindex(loader(changed), second, splitter, IngestionListener.NONE);
                    reindexes.put("v3_changed_" + settings.secondModel(), describe(v3));
                    if (v3.sync().chunksEmbedded() != changedCount) {
                        problems.add("v3 embedded " + v3.sync().chunksEmbedded() + " chunks for " + changedCount
                                + " changed documents");
                    }
                    if (v3.sync().chunksReused() != documents.size() - changedCount) {
                        problems.add("v3 reused " + v3.sync().chunksReused() + " vectors for "
                                + (documents.size() - changedCount) + " unchanged documents");
                    }
                    double full = v2.duration().toNanos() / 1e9;
                    double incremental = v3.duration().toNanos() / 1e9;
                    json.put("reindex_speedup_changed_vs_full", full / incremental);
                    load.phase("done");
                    load.awaitQueries("done", 20);
                } finally {
                    load.stop();
                    try {
                        thread.join(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            problems.addAll(load.problems());
            json.put("queries", load.describe());
            json.put("versions", lifecycle.list().stream().map(v -> v.label() + " " + v.state() + " "
                    + v.builtWith().embedder() + " documents=" + v.documents()).toList());
        }
        json.put("problems", problems);
        return new Result(json, problems);
    }

    /** The judged documents of {@code queries}, then the corpus in order, up to {@code limit} (0: all). */
    private static List<CorpusDocument> slice(BeirDataset dataset, List<EvalQuery> queries, int limit) {
        if (limit <= 0 || limit >= dataset.corpus().size()) {
            return dataset.corpus();
        }
        Qrels qrels = dataset.qrels();
        Set<String> wanted = new LinkedHashSet<>();
        queries.forEach(q -> wanted.addAll(qrels.judgments(q.id()).keySet()));
        Map<String, CorpusDocument> byId = new HashMap<>();
        dataset.corpus().forEach(d -> byId.put(d.id(), d));
        List<CorpusDocument> slice = new ArrayList<>();
        for (String id : wanted) {
            CorpusDocument d = byId.get(id);
            if (d != null && slice.size() < limit) {
                slice.add(d);
            }
        }
        for (CorpusDocument d : dataset.corpus()) {
            if (slice.size() >= limit) {
                break;
            }
            if (!wanted.contains(d.id())) {
                slice.add(d);
            }
        }
        return slice;
    }

    /** A copy where {@code share} of the documents (chosen by {@code seed}) gained a sentence. */
    static List<Document> changed(List<Document> documents, double share, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int count = (int) Math.round(documents.size() * share);
        Set<Integer> chosen = new java.util.HashSet<>(order.subList(0, count));
        List<Document> out = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            out.add(chosen.contains(i) ? new Document(d.id(), d.text() + " This abstract was revised in the"
                    + " latest release of the corpus.", d.metadata()) : d);
        }
        return out;
    }

    private static DocumentLoader loader(List<Document> documents) {
        return DocumentLoader.of("beir:corpus", sink -> documents.forEach(sink::document));
    }

    private static Map<String, Object> describe(ReindexReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        double seconds = report.duration().toNanos() / 1e9;
        m.put("version", report.version().label());
        m.put("embedder", report.version().builtWith().embedder());
        m.put("reused_from", report.reusedFrom().isPresent() ? "v" + report.reusedFrom().getAsInt() : "none");
        m.put("documents", report.sync().documents());
        m.put("chunks_embedded", report.sync().chunksEmbedded());
        m.put("chunks_reused", report.sync().chunksReused());
        m.put("seconds", seconds);
        m.put("documents_per_second", report.sync().documents() / seconds);
        return m;
    }

    /**
     * Queries the live store without pause and checks each answer: no failure, a version that is
     * ready, and for each (version, query) always the same documents.
     */
    private static final class QueryLoad implements Runnable {
        private final LiveVersionStore live;
        private final IndexLifecycle lifecycle;
        private final Map<String, Embedder> embedders;
        private final List<EvalQuery> queries;
        private final long intervalNanos;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile String phase = "start";
        private final Map<String, List<Double>> latencies = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        private final Map<String, List<String>> firstAnswer = new ConcurrentHashMap<>();
        private final Map<Integer, Embedder> embedderOfVersion = new ConcurrentHashMap<>();
        private final Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong changedAnswers = new AtomicLong();
        private final AtomicLong switchedDuringQuery = new AtomicLong();

        QueryLoad(LiveVersionStore live, IndexLifecycle lifecycle, Map<String, Embedder> embedders,
                  List<EvalQuery> queries, int queriesPerSecond) {
            this.intervalNanos = queriesPerSecond == 0 ? 0 : 1_000_000_000L / queriesPerSecond;
            this.live = live;
            this.lifecycle = lifecycle;
            this.embedders = embedders;
            this.queries = queries;
        }

        void phase(String name) {
            phase = name;
        }

        void stop() {
            running.set(false);
        }

        void awaitQueries(String phaseName, int count) {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (counts.computeIfAbsent(phaseName, p -> new AtomicLong()).get() < count && running.get()
                    && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void run() {
            int i = 0;
            while (running.get()) {
                EvalQuery q = queries.get(i++ % queries.size());
                String current = phase;
                long started = System.nanoTime();
                try {
                    int before = live.version();
                    Embedder embedder = embedderOf(before);
                    long t0 = System.nanoTime();
                    List<SearchHit> hits = live.search(SearchRequest.dense(embedder.embedQuery(q.text()), 10));
                    double ms = (System.nanoTime() - t0) / 1e6;
                    int after = live.version();
                    latencies.computeIfAbsent(current, p -> Collections.synchronizedList(new ArrayList<>())).add(ms);
                    total.incrementAndGet();
                    if (before != after) {
                        // The alias moved during this query: its answer may come from either version.
                        switchedDuringQuery.incrementAndGet();
                    } else {
                        check(before, q, hits);
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    problems.add("query '" + q.id() + "' failed in phase " + current + ": " + e);
                }
                counts.computeIfAbsent(current, p -> new AtomicLong()).incrementAndGet();
                long pause = intervalNanos - (System.nanoTime() - started);
                if (pause > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(pause);
                }
            }
        }

        private Embedder embedderOf(int version) {
            return embedderOfVersion.computeIfAbsent(version, v -> {
                IndexVersion found = lifecycle.version(v).orElseThrow(() -> new IllegalStateException(
                        "live version v" + v + " is not in the catalog"));
                if (found.state() != IndexVersion.State.READY) {
                    problems.add("a query was served by v" + v + " while it was " + found.state());
                }
                return embedders.get(found.builtWith().embedder());
            });
        }

        private void check(int version, EvalQuery q, List<SearchHit> hits) {
            versionsSeen.add(version);
            List<String> documents = hits.stream().map(h -> h.chunk().documentId()).toList();
            if (documents.size() != 10) {
                problems.add("v" + version + " answered query '" + q.id() + "' with " + documents.size()
                        + " documents, not 10");
            }
            List<String> first = firstAnswer.putIfAbsent(version + "/" + q.id(), documents);
            if (first != null && !Set.copyOf(first).equals(Set.copyOf(documents))) {
                changedAnswers.incrementAndGet();
                problems.add("v" + version + " answered query '" + q.id() + "' with " + documents + " after "
                        + first + " (phase " + phase + ")");
            }
        }

        List<String> problems() {
            synchronized (problems) {
                return problems.size() > 20 ? new ArrayList<>(problems.subList(0, 20)) : new ArrayList<>(problems);
            }
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total.get());
            m.put("failures", failures.get());
            m.put("changed_answers", changedAnswers.get());
            m.put("alias_moved_during_query", switchedDuringQuery.get());
            m.put("versions_seen", new java.util.TreeSet<>(versionsSeen).stream().map(v -> "v" + v).toList());
            Map<String, Object> byPhase = new LinkedHashMap<>();
            for (String p : List.of("idle", "reindex-full", "ready", "promote", "rollback", "promote-again",
                    "reindex-changed", "done")) {
                List<Double> samples = latencies.get(p);
                if (samples != null && !samples.isEmpty()) {
                    LatencyStats s;
                    synchronized (samples) {
                        s = LatencyStats.ofMillis(new ArrayList<>(samples));
                    }
                    byPhase.put(p, Map.of("queries", s.count(), "p50_ms", s.p50Ms(), "p95_ms", s.p95Ms(),
                            "p99_ms", s.p99Ms()));
                }
            }
            m.put("latency_embed_and_search_by_phase", byPhase);
            return m;
        }
    }

    /**
     * {@code LifecycleBench [--data DIR] [--work DIR] [--store faiss] [--documents N] [--queries N]
     * [--changed 0.05] [--first MODEL] [--second MODEL] [--idle N] [--qps 20] [--out FILE]}: runs the scenario and
     * writes its figures as JSON; exits 1 when a guarantee was broken.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        Path work = a.containsKey("work") ? Path.of(a.get("work")) : Files.createTempDirectory("ragkit-lifecycle");
        Settings settings = new Settings(Path.of(a.getOrDefault("data", "../shared/data/scifact")), work,
                a.getOrDefault("store", "faiss"), Integer.parseInt(a.getOrDefault("documents", "0")),
                Integer.parseInt(a.getOrDefault("queries", "0")), Double.parseDouble(a.getOrDefault("changed", "0.05")),
                a.getOrDefault("first", "all-minilm-l6-v2-q"), a.getOrDefault("second", "bge-small-en-v1.5-q"),
                Integer.parseInt(a.getOrDefault("idle", "600")), Long.parseLong(a.getOrDefault("seed", "18")),
                Integer.parseInt(a.getOrDefault("qps", "20")));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Result result = run(settings, out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = mapper.writeValueAsString(result.json());
        Path file = Path.of(a.getOrDefault("out", "bench/results/bench-lifecycle.json"));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        out.println(text);
        out.println("wrote " + file);
        System.exit(result.problems().isEmpty() ? 0 : 1);
    }
}
