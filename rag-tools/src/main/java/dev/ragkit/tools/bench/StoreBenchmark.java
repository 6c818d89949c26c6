package dev.ragkit.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.ragkit.core.ProviderRegistry;
import dev.ragkit.core.config.ProviderConfig;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.store.MemoryVectorStore;
import dev.ragkit.store.faiss.FaissVectorStore;
import dev.ragkit.store.redisearch.RediSearchVectorStore;
import dev.ragkit.tools.cli.Args;
import dev.ragkit.tools.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * {@code bench store}: one run, on the same vectors, of dense search in Ragkit FAISS HNSW (efSearch
 * tuned to the smallest value reaching recall@10 >= 0.95), Ragkit FAISS Flat, Ragkit's memory store and
 * LangChain4j's {@code InMemoryEmbeddingStore}. Reports per store: build time, QPS (one thread, one
 * query per call), recall@10 against exact search (the memory store's results, which are exact), and
 * the memory the store holds: heap (used heap after GC, store alive minus store released) and native
 * (process RSS, store alive minus closed; FAISS frees its index on close, heap stores show ~0).
 *
 * <p>Datasets: {@code synthetic} (clustered unit vectors from a seeded generator: {@code --clusters}
 * centres drawn N(0,1) per component, each vector a centre plus N(0, {@code --spread}²) noise,
 * normalised; queries drawn the same way) and {@code scifact} (BEIR SciFact, title + text embedded with
 * an onnx model; its 300 test queries). The last line is
 * {@code faiss_vs_langchain4j_qps_ratio=<x> recall@10=<r>} for the first dataset run.
 *
 * <p>Class path: rag-core, rag-store-faiss, rag-embed-onnx (for scifact), jackson-databind (for
 * scifact), dev.langchain4j:langchain4j (InMemoryEmbeddingStore).
 */
public final class StoreBenchmark {
    private static final int K = 10;
    private static final double TARGET_RECALL = 0.95;
    // From k = 10 up: neither FAISS nor Lucene searches fewer candidates than the hits asked for.
    private static final int[] EF_LADDER = {10, 12, 16, 20, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024};
    /** The benchmark's HNSW efConstruction when none is given: the FAISS store's default. */
    static final int DEFAULT_EF_CONSTRUCTION = FaissVectorStore.DEFAULT_EF_CONSTRUCTION;

    private StoreBenchmark() {
    }

    private static final String USAGE = "usage: bench store [--datasets synthetic,scifact] [--n 100000] [--dim 384]"
            + " [--clusters 1000] [--spread 0.35] [--queries 1000] [--seed 42] [--m 32]"
            + " [--ef-construction " + DEFAULT_EF_CONSTRUCTION + "] [--threads 1] [--data ../shared/data/scifact] [--model all-minilm-l6-v2-q]"
            + " [--store redisearch --redis-url redis://host:port | --store elastic --elastic-url http://host:port"
            + " | --store opensearch --opensearch-url http://host:port | --store lucene"
            + " | --store faiss-builds [--builds 32:40,32:100,32:200]] [--sweep-only]";

    /**
     * How to run: the command-line options, with their defaults.
     *
     * @param datasets {@code synthetic} and/or {@code scifact}, in the order run
     * @param n synthetic vectors
     * @param dim synthetic dimension
     * @param clusters synthetic cluster centres
     * @param spread synthetic noise around a centre
     * @param queries synthetic queries
     * @param seed the synthetic generator's seed
     * @param m HNSW links per node
     * @param efConstruction HNSW build-time search depth
     * @param threads FAISS search threads
     * @param data the SciFact folder
     * @param model the onnx model embedding SciFact
     * @param store a server store to add to the run ({@code redisearch}, {@code elastic} or {@code opensearch}),
     *     {@code lucene} (a recall-vs-QPS sweep next to FAISS), {@code faiss-builds} (FAISS HNSW built with each of
     *     {@code builds}, a sweep each), or empty
     * @param redisUrl the Redis with the query engine that {@code --store redisearch} uses
     * @param elasticUrl the Elasticsearch node that {@code --store elastic} uses
     * @param opensearchUrl the OpenSearch node (with the k-NN plugin) that {@code --store opensearch} uses
     * @param builds the FAISS HNSW builds of {@code --store faiss-builds}, each {M, efConstruction}
     * @param sweepOnly only the exact reference and the added store's rows (no FAISS Flat, tuned HNSW or
     *     LangChain4j rows), for the long sweeps
     */
    record Settings(List<String> datasets, int n, int dim, int clusters, double spread, int queries, long seed, int m,
                    int efConstruction, int threads, Path data, String model, String store, String redisUrl,
                    String elasticUrl, String opensearchUrl, List<int[]> builds, boolean sweepOnly) {
        /** The settings of a command line, or null when it asks for --help. */
        static Settings parse(List<String> raw) {
            Args a = Args.parseOptions(raw, Set.of("datasets", "n", "dim", "clusters", "spread", "queries", "seed", "m",
                    "ef-construction", "threads", "data", "model", "store", "redis-url", "elastic-url", "opensearch-url",
                    "builds"), Set.of("sweep-only"));
            if (a.flag("help")) {
                return null;
            }
            List<String> datasets = List.of(a.string("datasets", "synthetic").split(","));
            for (String d : datasets) {
                if (!d.equals("synthetic") && !d.equals("scifact")) {
                    throw new UsageException("option --datasets names '" + d + "' but the datasets are synthetic and scifact");
                }
            }
            double spread = a.decimal("spread").orElse(0.35);
            if (spread < 0) {
                throw new UsageException("option --spread was " + spread + " but it must be >= 0");
            }
            String store = a.string("store", "");
            String redisUrl = a.string("redis-url", "");
            String elasticUrl = a.string("elastic-url", "");
            String opensearchUrl = a.string("opensearch-url", "");
            if (!store.isEmpty() && !store.equals("redisearch") && !store.equals("elastic")
                    && !store.equals("opensearch") && !store.equals("lucene") && !store.equals("faiss-builds")) {
                throw new UsageException("option --store was '" + store + "' but the stores to add are redisearch,"
                        + " elastic, opensearch, lucene and faiss-builds");
            }
            List<int[]> builds = parseBuilds(a.string("builds", "32:40,32:100,32:200"));
            if (store.equals("redisearch") && redisUrl.isEmpty()) {
                throw new UsageException("option --store redisearch needs --redis-url redis://host:port (a Redis with the"
                        + " query engine: Redis Stack, Redis 8, or scripts/setup-redisearch.sh's build)");
            }
            if (store.equals("elastic") && elasticUrl.isEmpty()) {
                throw new UsageException("option --store elastic needs --elastic-url http://host:port (an Elasticsearch"
                        + " 8.x node)");
            }
            if (store.equals("opensearch") && opensearchUrl.isEmpty()) {
                throw new UsageException("option --store opensearch needs --opensearch-url http://host:port (an"
                        + " OpenSearch 2.x/3.x node with the k-NN plugin)");
            }
            return new Settings(datasets, a.integer("n", 100_000, 1), a.integer("dim", 384, 1),
                    a.integer("clusters", 1000, 1), spread, a.integer("queries", 1000, 1),
                    a.converted("seed", Long::valueOf, "a whole number").orElse(42L), a.integer("m", 32, 2),
                    a.integer("ef-construction", DEFAULT_EF_CONSTRUCTION, 1), a.integer("threads", 1, 1),
                    Path.of(a.string("data", "../shared/data/scifact")), a.string("model", "all-minilm-l6-v2-q"), store,
                    redisUrl, elasticUrl, opensearchUrl, builds, a.flag("sweep-only"));
        }

        /** {@code M:efConstruction} pairs, comma-separated, e.g. {@code 32:40,32:200,16:100}. */
        static List<int[]> parseBuilds(String text) {
            List<int[]> builds = new ArrayList<>();
            for (String pair : text.split(",")) {
                String[] f = pair.trim().split(":");
                try {
                    if (f.length != 2 || Integer.parseInt(f[0]) < 2 || Integer.parseInt(f[1]) < 1) {
                        throw new NumberFormatException();
                    }
                    builds.add(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])});
                } catch (NumberFormatException e) {
                    throw new UsageException("option --builds was '" + text + "' but it must be M:efConstruction pairs"
                            + " (M >= 2, efConstruction >= 1) separated by commas, e.g. 32:40,32:200");
                }
            }
            return List.copyOf(builds);
        }
    }

    /** Runs the benchmark; returns the exit code (0 done, 1 a dataset could not be read, 2 bad arguments). */
    public static int run(List<String> args, PrintStream out) {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (UsageException e) {
            out.println("bench store: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (settings == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            String headline = null;
            for (String dataset : settings.datasets()) {
                Data data = dataset.equals("scifact") ? scifact(settings, out) : synthetic(settings);
                String line = runDataset(data, settings, out);
                if (headline == null) {
                    headline = line;
                }
            }
            out.println(headline);
            return 0;
        } catch (IOException e) {
            out.println("bench store failed: " + e);
            return 1;
        }
    }

    /** Vectors, ids and queries of one dataset. */
    private record Data(String label, List<String> ids, List<float[]> vectors, List<float[]> queries) {
    }

    private static Data synthetic(Settings o) {
        int n = o.n();
        int dim = o.dim();
        int clusters = o.clusters();
        double spread = o.spread();
        int queries = o.queries();
        long seed = o.seed();
        Random random = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        List<String> ids = new ArrayList<>(n);
        List<float[]> vectors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("v" + i + "#0");
            vectors.add(point(random, centres, spread));
        }
        List<float[]> qs = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) {
            qs.add(point(random, centres, spread));
        }
        return new Data(String.format(Locale.ROOT, "synthetic n=%d dim=%d clusters=%d spread=%s seed=%d queries=%d",
                n, dim, clusters, spread, seed, queries), ids, vectors, qs);
    }

    private static float[] point(Random random, float[][] centres, double spread) {
        float[] c = centres[random.nextInt(centres.length)];
        float[] v = new float[c.length];
        double norm = 0;
        for (int j = 0; j < c.length; j++) {
            v[j] = (float) (c[j] + spread * random.nextGaussian());
            norm += (double) v[j] * v[j];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < v.length; j++) {
            v[j] *= inv;
        }
        return v;
    }

    private static Data scifact(Settings o, PrintStream out) throws IOException {
        Path dir = o.data();
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode doc = json.readTree(line);
                ids.add(doc.get("_id").asText() + "#0");
                texts.add((doc.path("title").asText("") + " " + doc.get("text").asText()).trim());
            }
        }
        Set<String> testQueries = new LinkedHashSet<>();
        for (String line : Files.readAllLines(dir.resolve("qrels/test.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f.length >= 3 && !f[0].equals("query-id")) {
                testQueries.add(f[0]);
            }
        }
        List<String> queryTexts = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode q = json.readTree(line); // only _id and text: metadata holds gold ids
                if (testQueries.contains(q.get("_id").asText())) {
                    queryTexts.add(q.get("text").asText());
                }
            }
        }
        Embedder embedder = ProviderRegistry.discover().embedder("onnx")
                .create(ProviderConfig.of("embedder", "onnx", Map.of("model", o.model())));
        long start = System.nanoTime();
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += 64) {
            vectors.addAll(embedder.embedDocuments(texts.subList(i, Math.min(texts.size(), i + 64))));
        }
        List<float[]> queries = new ArrayList<>();
        for (String q : queryTexts) {
            queries.add(embedder.embedQuery(q));
        }
        out.printf(Locale.ROOT, "# embedded scifact (%d docs, %d queries) with onnx:%s in %.1f s%n", texts.size(),
                queries.size(), o.model(), (System.nanoTime() - start) / 1e9);
        return new Data("scifact docs=" + ids.size() + " dim=" + embedder.dimension() + " model=onnx:" + o.model()
                + " queries=" + queries.size(), ids, vectors, queries);
    }

    /** One row of the table. */
    record Row(String store, double buildSeconds, double qps, double recall, double heapMb, double rssMb,
                       String note) {
    }

    private static String runDataset(Data data, Settings o, PrintStream out) {
        int dim = data.vectors().get(0).length;
        int threads = o.threads();
        out.println("# dataset: " + data.label());
        List<EmbeddedChunk> chunks = new ArrayList<>(data.ids().size());
        for (int i = 0; i < data.ids().size(); i++) {
            String docId = data.ids().get(i).substring(0, data.ids().get(i).length() - 2);
            chunks.add(new EmbeddedChunk(new Chunk(data.ids().get(i), docId, 0, "chunk " + i, "h" + i, Map.of()),
                    data.vectors().get(i)));
        }
        List<Row> rows = new ArrayList<>();

        // Exact reference first: the memory store is exact cosine, so its top 10 is the truth.
        long t0 = System.nanoTime();
        MemoryVectorStore memory = MemoryVectorStore.builder().dimension(dim).build();
        upsertInBatches(memory, chunks);
        double build = seconds(t0);
        Memory alive = Memory.now();
        List<List<String>> truth = new ArrayList<>();
        double qps = timeQueries(memory, data.queries(), truth);
        memory.close();
        memory = null;
        Memory held = alive.minus(Memory.now());
        rows.add(new Row("ragkit-memory", build, qps, 1.0, held.heapMb, Double.NaN, "exact; the reference"));

        double hnswQps = Double.NaN;
        double hnswRecall = Double.NaN;
        if (!o.sweepOnly()) {
            t0 = System.nanoTime();
            FaissVectorStore flat = FaissVectorStore.builder().dimension(dim).index("Flat").threads(threads).build();
            upsertInBatches(flat, chunks);
            build = seconds(t0);
            alive = Memory.now();
            List<List<String>> got = new ArrayList<>();
            qps = timeQueries(flat, data.queries(), got);
            flat.close();
            held = alive.minus(Memory.now());
            rows.add(new Row("ragkit-faiss-flat", build, qps, recall(got, truth), held.heapMb, held.rssMb, "exact"));

            t0 = System.nanoTime();
            FaissVectorStore hnsw = FaissVectorStore.builder().dimension(dim).index("HNSW" + o.m()).threads(threads)
                    .efConstruction(o.efConstruction()).build();
            upsertInBatches(hnsw, chunks);
            build = seconds(t0);
            alive = Memory.now();
            int tuned = EF_LADDER[EF_LADDER.length - 1];
            int tuneQueries = Math.min(200, data.queries().size());
            for (int ef : EF_LADDER) {
                hnsw.efSearch(ef);
                List<List<String>> probe = new ArrayList<>();
                for (float[] q : data.queries().subList(0, tuneQueries)) {
                    probe.add(ids(hnsw.search(SearchRequest.dense(q, K))));
                }
                if (recall(probe, truth.subList(0, tuneQueries)) >= TARGET_RECALL) {
                    tuned = ef;
                    break;
                }
            }
            hnsw.efSearch(tuned);
            got = new ArrayList<>();
            qps = timeQueries(hnsw, data.queries(), got);
            hnswRecall = recall(got, truth);
            hnswQps = qps;
            hnsw.close();
            held = alive.minus(Memory.now());
            rows.add(new Row("ragkit-faiss-hnsw" + o.m(), build, qps, hnswRecall, held.heapMb, held.rssMb,
                    "efSearch=" + tuned + " (smallest reaching recall@10>=0.95 on the first " + tuneQueries + " queries)"));
        }

        if (o.store().equals("redisearch")) {
            rows.addAll(redisearchRows(chunks, data.queries(), truth, o, out));
        }
        if (o.store().equals("elastic")) {
            rows.addAll(ClusterStoreRows.measureElastic(chunks, data.queries(), truth, o));
        }
        if (o.store().equals("opensearch")) {
            rows.addAll(ClusterStoreRows.measureOpenSearch(chunks, data.queries(), truth, o));
        }
        if (o.store().equals("lucene")) {
            rows.addAll(LuceneStoreRows.measure(chunks, data.queries(), truth, o, out));
        }
        if (o.store().equals("faiss-builds")) {
            rows.addAll(FaissBuildRows.measure(chunks, data.queries(), truth, o, out));
        }
        if (o.sweepOnly()) {
            printRows(rows, out);
            return "sweep only: no faiss_vs_langchain4j_qps_ratio";
        }

        t0 = System.nanoTime();
        InMemoryEmbeddingStore<String> lc4j = new InMemoryEmbeddingStore<>();
        List<Embedding> embeddings = new ArrayList<>(chunks.size());
        for (float[] v : data.vectors()) {
            embeddings.add(Embedding.from(v.clone())); // its own copy, as the other stores hold
        }
        lc4j.addAll(data.ids(), embeddings, data.ids());
        embeddings = null;
        build = seconds(t0);
        alive = Memory.now();
        List<List<String>> got = new ArrayList<>();
        warm(() -> lc4j.search(request(data.queries().get(0))));
        t0 = System.nanoTime();
        for (float[] q : data.queries()) {
            List<String> ids = new ArrayList<>(K);
            for (EmbeddingMatch<String> m : lc4j.search(request(q)).matches()) {
                ids.add(m.embeddingId());
            }
            got.add(ids);
        }
        double lcQps = data.queries().size() / seconds(t0);
        lc4j.removeAll();
        held = alive.minus(Memory.now());
        rows.add(new Row("langchain4j-inmemory", build, lcQps, recall(got, truth), held.heapMb, Double.NaN, "exact"));

        printRows(rows, out);
        return String.format(Locale.ROOT, "faiss_vs_langchain4j_qps_ratio=%.1f recall@10=%.4f", hnswQps / lcQps, hnswRecall);
    }

    private static void printRows(List<Row> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%-24s %9s %10s %10s %9s %9s  %s%n", "store", "build_s", "qps", "recall@10",
                "heap_mb", "native_mb", "note");
        for (Row r : rows) {
            // RSS of a heap-only store measures the garbage collector, not the store: shown as "-".
            out.printf(Locale.ROOT, "%-24s %9s %10.1f %10s %9s %9s  %s%n", r.store(), shown("%.1f", r.buildSeconds()),
                    r.qps(), shown("%.4f", r.recall()), shown("%.0f", r.heapMb()), shown("%.0f", r.rssMb()), r.note());
        }
    }

    /**
     * RediSearch HNSW (same M and EF_CONSTRUCTION as FAISS) at several EF_RUNTIME values, and, at the
     * smallest one reaching recall@10 >= 0.95, the same KNN query sent with bare jedis (raw reply, nothing
     * decoded): the store's overhead over it. The index is dropped afterwards.
     */
    private static List<Row> redisearchRows(List<EmbeddedChunk> chunks, List<float[]> queries, List<List<String>> truth,
                                            Settings o, PrintStream out) {
        int dim = chunks.get(0).dimension();
        String index = "bench-store-" + Long.toHexString(System.nanoTime());
        List<Row> rows = new ArrayList<>();
        try (RedisClient bare = RedisClient.create(URI.create(o.redisUrl()))) {
            long t0 = System.nanoTime();
            try (RediSearchVectorStore store = RediSearchVectorStore.builder().url(o.redisUrl()).index(index)
                    .dimension(dim).m(o.m()).efConstruction(o.efConstruction()).efRuntime(10).build()) {
                for (int i = 0; i < chunks.size(); i += 1_000) {
                    store.upsert(chunks.subList(i, Math.min(chunks.size(), i + 1_000)));
                }
                double build = seconds(t0);
                // One untimed pass first, so that the first EF_RUNTIME row does not pay the JIT's warm-up.
                timeQueries(store, queries, new ArrayList<>());
                int tuned = -1;
                for (int ef : new int[] {10, 20, 40, 80, 160, 320}) {
                    store.efRuntime(ef);
                    List<List<String>> got = new ArrayList<>();
                    double qps = timeQueries(store, queries, got);
                    double recall = recall(got, truth);
                    rows.add(new Row("ragkit-redisearch-hnsw" + o.m(), rows.isEmpty() ? build : Double.NaN, qps, recall,
                            Double.NaN, Double.NaN, "ef_runtime=" + ef + " (server: one Redis thread)"));
                    if (recall >= TARGET_RECALL && tuned < 0) {
                        tuned = ef;
                        // Store and bare client in turn, three rounds each, best of each: on a shared machine
                        // one round of either can lose a time slice that has nothing to do with it.
                        double storeQps = 0;
                        double bareQps = 0;
                        for (int round = 0; round < 3; round++) {
                            storeQps = Math.max(storeQps, timeQueries(store, queries, new ArrayList<>()));
                            bareQps = Math.max(bareQps, bareQps(bare, index, queries, ef));
                        }
                        rows.add(new Row("ragkit-redisearch (best)", Double.NaN, storeQps, recall, Double.NaN,
                                Double.NaN, "ef_runtime=" + ef + ", best of 3 rounds alternating with the bare client"));
                        rows.add(new Row("jedis-ft-search (bare)", Double.NaN, bareQps, Double.NaN, Double.NaN,
                                Double.NaN, String.format(Locale.ROOT, "ef_runtime=%d, same query, raw reply, best of 3;"
                                        + " store overhead %.1f %%", ef, 100 * (bareQps / storeQps - 1))));
                    }
                }
            } finally {
                bare.sendCommand(() -> "FT.DROPINDEX".getBytes(StandardCharsets.US_ASCII),
                        index.getBytes(StandardCharsets.UTF_8), "DD".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return rows;
    }

    /** Queries per second of the store's KNN query sent through jedis directly, reply left undecoded. */
    private static double bareQps(RedisClient client, String index, List<float[]> queries, int ef) {
        ProtocolCommand search = () -> "FT.SEARCH".getBytes(StandardCharsets.US_ASCII);
        byte[] query = ("*=>[KNN " + K + " @vec $BLOB EF_RUNTIME " + ef + " AS __dist]").getBytes(StandardCharsets.UTF_8);
        java.util.function.Function<float[], Object> send = q -> {
            java.nio.ByteBuffer blob = java.nio.ByteBuffer.allocate(q.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float f : q) {
                blob.putFloat(f);
            }
            List<byte[]> args = new ArrayList<>();
            args.add(index.getBytes(StandardCharsets.UTF_8));
            args.add(query);
            for (String a : List.of("PARAMS", "2", "BLOB")) {
                args.add(a.getBytes(StandardCharsets.US_ASCII));
            }
            args.add(blob.array());
            for (String a : List.of("SORTBY", "__dist", "ASC", "RETURN", "2", "_chunk", "__dist", "LIMIT", "0",
                    Integer.toString(K), "DIALECT", "2")) {
                args.add(a.getBytes(StandardCharsets.US_ASCII));
            }
            return client.sendCommand(search, args.toArray(new byte[0][]));
        };
        warm(() -> send.apply(queries.get(0)));
        long t0 = System.nanoTime();
        for (float[] q : queries) {
            send.apply(q);
        }
        return queries.size() / seconds(t0);
    }

    /** A figure, or "-" where it was not measured (NaN). */
    private static String shown(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static EmbeddingSearchRequest request(float[] q) {
        return EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(q)).maxResults(K).build();
    }

    private static void upsertInBatches(VectorStore store, List<EmbeddedChunk> chunks) {
        for (int i = 0; i < chunks.size(); i += 10_000) {
            store.upsert(chunks.subList(i, Math.min(chunks.size(), i + 10_000)));
        }
    }

    /** Runs every query once (after a short warm-up), one per call, collecting ids; returns queries per second. */
    static double timeQueries(VectorStore store, List<float[]> queries, List<List<String>> results) {
        warm(() -> store.search(SearchRequest.dense(queries.get(0), K)));
        long t0 = System.nanoTime();
        for (float[] q : queries) {
            results.add(ids(store.search(SearchRequest.dense(q, K))));
        }
        return queries.size() / seconds(t0);
    }

    static void warm(Runnable query) {
        for (int i = 0; i < 20; i++) {
            query.run();
        }
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    static double recall(List<List<String>> got, List<List<String>> truth) {
        double sum = 0;
        for (int i = 0; i < truth.size(); i++) {
            Set<String> expected = new HashSet<>(truth.get(i));
            sum += got.get(i).stream().filter(expected::contains).count() / (double) Math.max(1, expected.size());
        }
        return sum / truth.size();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * CPU seconds the whole process has used so far (all threads: the caller's, native code on it, Lucene's merge
     * threads, GC and JIT), or NaN where the JVM does not say. On a shared machine a build's CPU time is steadier
     * than its wall time, which the other processes' load stretches.
     */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    /** Heap used after a GC and the process's resident set, in MB. */
    private record Memory(double heapMb, double rssMb) {
        static Memory now() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            double rss = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                rss = Double.NaN;
            }
            return new Memory(heap, rss);
        }

        Memory minus(Memory earlier) {
            return new Memory(heapMb - earlier.heapMb, rssMb - earlier.rssMb);
        }
    }

}
