package dev.ragkit.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * The {@code bench store --store elastic} rows: Ragkit's Elasticsearch store (float {@code hnsw}, the same
 * M and ef_construction as FAISS, one shard) at several {@code num_candidates}, and, at the smallest one
 * reaching recall@10 >= 0.95, the same kNN request sent with Elasticsearch's low-level {@link RestClient}
 * (the transport under the store's client; reply read as bytes, nothing decoded): the store's overhead over
 * it. The index is deleted afterwards.
 */
final class ElasticStoreRows {
    private static final int K = 10;
    private static final int[] CANDIDATES = {10, 20, 40, 80, 160, 320};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticStoreRows() {
    }

    static List<StoreBenchmark.Row> measure(List<EmbeddedChunk> chunks, List<float[]> queries, List<List<String>> truth,
                                            StoreBenchmark.Settings o) {
        int dim = chunks.get(0).dimension();
        String index = "bench-store-" + Long.toHexString(System.nanoTime());
        // Float HNSW like FAISS's (the store's default int8_hnsw would trade recall for memory); no refresh per
        // bulk while building: one refresh at the end, as a bulk load would.
        IndexOptions options = IndexOptions.defaults().withHnsw(o.m(), o.efConstruction()).withVectorIndexType("hnsw")
                .withRefreshAfterWrite(false);
        ClusterConnection connection = ClusterConnection.of(o.elasticUrl());
        URI url = URI.create(o.elasticUrl());
        List<StoreBenchmark.Row> rows = new ArrayList<>();
        try (RestClient bare = RestClient.builder(new HttpHost(url.getHost(), url.getPort(), url.getScheme())).build()) {
            try {
                long t0 = System.nanoTime();
                try (ElasticVectorStore writer = ElasticVectorStore.builder().connection(connection).index(index)
                        .dimension(dim).options(options).build()) {
                    for (int i = 0; i < chunks.size(); i += 10_000) {
                        writer.upsert(chunks.subList(i, Math.min(chunks.size(), i + 10_000)));
                    }
                }
                bare.performRequest(new Request("POST", "/" + index + "/_refresh"));
                double build = StoreBenchmark.seconds(t0);
                String segments = segments(bare, index);
                int tuned = -1;
                for (int candidates : CANDIDATES) {
                    try (ElasticVectorStore store = ElasticVectorStore.builder().connection(connection).index(index)
                            .dimension(dim).options(options.withNumCandidates(candidates)).createIndex(false).build()) {
                        if (rows.isEmpty()) {
                            // One untimed pass first, so that the first row does not pay the JIT's and the node's warm-up.
                            StoreBenchmark.timeQueries(store, queries, new ArrayList<>());
                        }
                        List<List<String>> got = new ArrayList<>();
                        double qps = StoreBenchmark.timeQueries(store, queries, got);
                        double recall = StoreBenchmark.recall(got, truth);
                        rows.add(new StoreBenchmark.Row("ragkit-elastic-hnsw" + o.m(), rows.isEmpty() ? build : Double.NaN,
                                qps, recall, Double.NaN, Double.NaN, "num_candidates=" + candidates + " (server: "
                                + segments + " segments)"));
                        if (recall >= 0.95 && tuned < 0) {
                            tuned = candidates;
                            // Store and bare client in turn, three rounds each, best of each (a shared machine).
                            double storeQps = 0;
                            double bareQps = 0;
                            for (int round = 0; round < 3; round++) {
                                storeQps = Math.max(storeQps, StoreBenchmark.timeQueries(store, queries, new ArrayList<>()));
                                bareQps = Math.max(bareQps, bareQps(bare, index, queries, candidates));
                            }
                            rows.add(new StoreBenchmark.Row("ragkit-elastic (best)", Double.NaN, storeQps, recall,
                                    Double.NaN, Double.NaN, "num_candidates=" + candidates
                                    + ", best of 3 rounds alternating with the bare client"));
                            rows.add(new StoreBenchmark.Row("es-restclient (bare)", Double.NaN, bareQps, Double.NaN,
                                    Double.NaN, Double.NaN, String.format(Locale.ROOT, "num_candidates=%d, same request,"
                                            + " raw reply, best of 3; store overhead %.1f %%", candidates,
                                    100 * (bareQps / storeQps - 1))));
                        }
                    }
                }
            } finally {
                bare.performRequest(new Request("DELETE", "/" + index));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bench store --store elastic: request to " + o.elasticUrl() + " failed", e);
        }
        return rows;
    }

    private static String segments(RestClient client, String index) throws IOException {
        Request request = new Request("GET", "/_cat/segments/" + index);
        request.addParameter("h", "segment");
        try (InputStream body = client.performRequest(request).getEntity().getContent()) {
            return Long.toString(new String(body.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).count());
        }
    }

    /** Queries per second of the store's kNN request (same body) sent with the low-level client, reply unread. */
    private static double bareQps(RestClient client, String index, List<float[]> queries, int candidates)
            throws IOException {
        List<String> bodies = new ArrayList<>(queries.size());
        for (float[] q : queries) {
            bodies.add(body(q, candidates));
        }
        for (int i = 0; i < 20; i++) {
            send(client, index, bodies.get(0));
        }
        long t0 = System.nanoTime();
        for (float[] q : queries) {
            // Serialising the vector is part of the call, as it is for the store.
            send(client, index, body(q, candidates));
        }
        return queries.size() / StoreBenchmark.seconds(t0);
    }

    private static void send(RestClient client, String index, String body) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.setJsonEntity(body);
        Response response = client.performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            in.readAllBytes();
        }
    }

    /** The body the store sends for a dense top-10 without filter: k = num_candidates, ties by chunk id. */
    private static String body(float[] q, int candidates) {
        ObjectNode knn = JSON.createObjectNode();
        knn.put("field", "vector");
        ArrayNode vector = knn.putArray("query_vector");
        for (float f : q) {
            vector.add(f);
        }
        knn.put("k", candidates);
        knn.put("num_candidates", candidates);
        ObjectNode body = JSON.createObjectNode();
        body.put("size", K);
        body.set("query", JSON.createObjectNode().set("knn", knn));
        body.put("track_scores", true);
        ArrayNode sort = body.putArray("sort");
        sort.addObject().putObject("_score").put("order", "desc");
        sort.addObject().putObject("chunk_id").put("order", "asc");
        body.putObject("_source").putArray("excludes").add("vector");
        return body.toString();
    }
}
