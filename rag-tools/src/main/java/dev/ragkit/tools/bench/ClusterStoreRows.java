package dev.ragkit.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.ElasticVectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.opensearch.OpenSearchVectorStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * The {@code bench store --store elastic} and {@code --store opensearch} rows: Ragkit's store on the node (float
 * {@code hnsw}, the same M and ef_construction as FAISS, one shard) at several {@code num_candidates} (OpenSearch:
 * {@code ef_search}), and, at the smallest one reaching recall@10 >= 0.95, the same kNN request sent with the
 * vendor's bare client (Elasticsearch: the low-level {@link RestClient}, the transport under the store's client;
 * OpenSearch: opensearch-java's generic client, the one the store uses; reply read as bytes, nothing decoded):
 * the store's overhead over it. The index is deleted afterwards.
 */
final class ClusterStoreRows {
    private static final int K = 10;
    private static final int[] CANDIDATES = {10, 20, 40, 80, 160, 320};
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterStoreRows() {
    }

    /** One server under test: the store on it, and its vendor's bare client. */
    private interface Server extends Closeable {
        /** Row names start with {@code ragkit-<name>}. */
        String name();

        /** The name of the bare client's row. */
        String bareName();

        VectorStore open(String index, int dimension, IndexOptions options, boolean create);

        /** The kNN part of the store's request body for a top-k without filter. */
        ObjectNode knnQuery(float[] q, int candidates);

        /** Sends a request with the bare client and returns the answer's bytes. */
        byte[] send(String method, String endpoint, String body) throws IOException;
    }

    static List<StoreBenchmark.Row> measureElastic(List<EmbeddedChunk> chunks, List<float[]> queries,
                                                   List<List<String>> truth, StoreBenchmark.Settings o) {
        try (Server server = new Elastic(o.elasticUrl())) {
            return measure(server, chunks, queries, truth, o);
        } catch (IOException e) {
            throw new UncheckedIOException("bench store --store elastic: request to " + o.elasticUrl() + " failed", e);
        }
    }

    static List<StoreBenchmark.Row> measureOpenSearch(List<EmbeddedChunk> chunks, List<float[]> queries,
                                                      List<List<String>> truth, StoreBenchmark.Settings o) {
        try (Server server = new OpenSearch(o.opensearchUrl())) {
            return measure(server, chunks, queries, truth, o);
        } catch (IOException e) {
            throw new UncheckedIOException("bench store --store opensearch: request to " + o.opensearchUrl()
                    + " failed", e);
        }
    }

    private static List<StoreBenchmark.Row> measure(Server server, List<EmbeddedChunk> chunks, List<float[]> queries,
                                                    List<List<String>> truth, StoreBenchmark.Settings o)
            throws IOException {
        int dim = chunks.get(0).dimension();
        String index = "bench-store-" + Long.toHexString(System.nanoTime());
        // Float HNSW like FAISS's (Elasticsearch's default int8_hnsw would trade recall for memory); no refresh per
        // bulk while building: one refresh at the end, as a bulk load would.
        IndexOptions options = IndexOptions.defaults().withHnsw(o.m(), o.efConstruction()).withVectorIndexType("hnsw")
                .withRefreshAfterWrite(false);
        List<StoreBenchmark.Row> rows = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            try (VectorStore writer = server.open(index, dim, options, true)) {
                for (int i = 0; i < chunks.size(); i += 10_000) {
                    writer.upsert(chunks.subList(i, Math.min(chunks.size(), i + 10_000)));
                }
            }
            server.send("POST", "/" + index + "/_refresh", null);
            double build = StoreBenchmark.seconds(t0);
            String segments = segments(server, index);
            int tuned = -1;
            for (int candidates : CANDIDATES) {
                try (VectorStore store = server.open(index, dim, options.withNumCandidates(candidates), false)) {
                    if (rows.isEmpty()) {
                        // One untimed pass first, so that the first row does not pay the JIT's and the node's warm-up.
                        StoreBenchmark.timeQueries(store, queries, new ArrayList<>());
                    }
                    List<List<String>> got = new ArrayList<>();
                    double qps = StoreBenchmark.timeQueries(store, queries, got);
                    double recall = StoreBenchmark.recall(got, truth);
                    rows.add(new StoreBenchmark.Row("ragkit-" + server.name() + "-hnsw" + o.m(),
                            rows.isEmpty() ? build : Double.NaN, qps, recall, Double.NaN, Double.NaN,
                            "num_candidates=" + candidates + " (server: " + segments + " segments)"));
                    if (recall >= 0.95 && tuned < 0) {
                        tuned = candidates;
                        // Store and bare client in turn, three rounds each, best of each (a shared machine).
                        double storeQps = 0;
                        double bareQps = 0;
                        for (int round = 0; round < 3; round++) {
                            storeQps = Math.max(storeQps, StoreBenchmark.timeQueries(store, queries, new ArrayList<>()));
                            bareQps = Math.max(bareQps, bareQps(server, index, queries, candidates));
                        }
                        rows.add(new StoreBenchmark.Row("ragkit-" + server.name() + " (best)", Double.NaN, storeQps,
                                recall, Double.NaN, Double.NaN, "num_candidates=" + candidates
                                + ", best of 3 rounds alternating with the bare client"));
                        rows.add(new StoreBenchmark.Row(server.bareName() + " (bare)", Double.NaN, bareQps, Double.NaN,
                                Double.NaN, Double.NaN, String.format(Locale.ROOT, "num_candidates=%d, same request,"
                                        + " raw reply, best of 3; store overhead %.1f %%", candidates,
                                100 * (bareQps / storeQps - 1))));
                    }
                }
            }
        } finally {
            server.send("DELETE", "/" + index, null);
        }
        return rows;
    }

    private static String segments(Server server, String index) throws IOException {
        // One line per segment.
        return Long.toString(new String(server.send("GET", "/_cat/segments/" + index, null),
                StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count());
    }

    /** Queries per second of the store's kNN request (same body) sent with the bare client, reply unread. */
    private static double bareQps(Server server, String index, List<float[]> queries, int candidates)
            throws IOException {
        String endpoint = "/" + index + "/_search";
        String warm = body(server, queries.get(0), candidates);
        for (int i = 0; i < 20; i++) {
            server.send("POST", endpoint, warm);
        }
        long t0 = System.nanoTime();
        for (float[] q : queries) {
            // Serialising the vector is part of the call, as it is for the store.
            server.send("POST", endpoint, body(server, q, candidates));
        }
        return queries.size() / StoreBenchmark.seconds(t0);
    }

    /**
     * The body the store sends for a dense top-10 without filter: ties by chunk id, the source without the
     * fields a chunk is not rebuilt from (vector, folded text, index version).
     */
    private static String body(Server server, float[] q, int candidates) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", K);
        body.set("query", server.knnQuery(q, candidates));
        body.put("track_scores", true);
        ArrayNode sort = body.putArray("sort");
        sort.addObject().putObject("_score").put("order", "desc");
        sort.addObject().putObject("chunk_id").put("order", "asc");
        body.putObject("_source").putArray("excludes").add("vector").add("text_search").add("index_version");
        return body.toString();
    }

    private static ArrayNode vector(float[] q) {
        ArrayNode vector = JSON.createArrayNode();
        for (float f : q) {
            vector.add(f);
        }
        return vector;
    }

    /** Elasticsearch 8.x: the store on the official Java client, and the low-level RestClient under it. */
    private static final class Elastic implements Server {
        private final ClusterConnection connection;
        private final RestClient bare;

        Elastic(String url) {
            this.connection = ClusterConnection.of(url);
            URI uri = URI.create(url);
            this.bare = RestClient.builder(new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme())).build();
        }

        @Override
        public String name() {
            return "elastic";
        }

        @Override
        public String bareName() {
            return "es-restclient";
        }

        @Override
        public VectorStore open(String index, int dimension, IndexOptions options, boolean create) {
            return ElasticVectorStore.builder().connection(connection).index(index).dimension(dimension)
                    .options(options).createIndex(create).build();
        }

        @Override
        public ObjectNode knnQuery(float[] q, int candidates) {
            // k = num_candidates, as the store asks (each shard keeps all its candidates).
            ObjectNode knn = JSON.createObjectNode();
            knn.put("field", "vector");
            knn.set("query_vector", vector(q));
            knn.put("k", candidates);
            knn.put("num_candidates", candidates);
            return JSON.createObjectNode().set("knn", knn);
        }

        @Override
        public byte[] send(String method, String endpoint, String body) throws IOException {
            Request request = new Request(method, endpoint);
            if (body != null) {
                request.setJsonEntity(body);
            }
            try (InputStream in = bare.performRequest(request).getEntity().getContent()) {
                return in.readAllBytes();
            }
        }

        @Override
        public void close() throws IOException {
            bare.close();
        }
    }

    /** OpenSearch with the k-NN plugin: the store, and opensearch-java's generic client (what the store runs on). */
    private static final class OpenSearch implements Server {
        private final ClusterConnection connection;
        private final ApacheHttpClient5Transport transport;
        private final OpenSearchGenericClient bare;

        OpenSearch(String url) {
            this.connection = ClusterConnection.of(url);
            URI uri = URI.create(url);
            this.transport = ApacheHttpClient5TransportBuilder.builder(
                    new org.apache.hc.core5.http.HttpHost(uri.getScheme(), uri.getHost(), uri.getPort())).build();
            this.bare = new OpenSearchClient(transport).generic();
        }

        @Override
        public String name() {
            return "opensearch";
        }

        @Override
        public String bareName() {
            return "opensearch-java-generic";
        }

        @Override
        public VectorStore open(String index, int dimension, IndexOptions options, boolean create) {
            return OpenSearchVectorStore.builder().connection(connection).index(index).dimension(dimension)
                    .options(options).createIndex(create).build();
        }

        @Override
        public ObjectNode knnQuery(float[] q, int candidates) {
            // The lucene engine's graph search keeps ef_search candidates: the store maps num_candidates to it.
            ObjectNode field = JSON.createObjectNode();
            field.set("vector", vector(q));
            field.put("k", candidates);
            field.putObject("method_parameters").put("ef_search", candidates);
            return JSON.createObjectNode().set("knn", JSON.createObjectNode().set("vector", field));
        }

        @Override
        public byte[] send(String method, String endpoint, String body) throws IOException {
            Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(endpoint);
            if (body != null) {
                request.body(Body.from(body.getBytes(StandardCharsets.UTF_8), "application/json"));
            }
            try (Response response = bare.execute(request.build())) {
                if (response.getStatus() >= 300) {
                    throw new IOException(method + " " + endpoint + " answered " + response.getStatus() + " "
                            + response.getReason());
                }
                Optional<Body> answer = response.getBody();
                if (answer.isEmpty()) {
                    return new byte[0];
                }
                try (Body b = answer.get(); InputStream in = b.body()) {
                    return in.readAllBytes();
                }
            }
        }

        @Override
        public void close() throws IOException {
            transport.close();
        }
    }
}
