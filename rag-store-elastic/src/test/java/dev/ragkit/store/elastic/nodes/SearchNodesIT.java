package dev.ragkit.store.elastic.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, on the real nodes: each answers with the version the build unpacked, OpenSearch has the
 * k-NN plugin with the lucene engine working, and a stopped node comes back on the same port with its data.
 */
@UsesSearchNodes({SearchNodeKind.ELASTICSEARCH, SearchNodeKind.OPENSEARCH})
class SearchNodesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void elasticsearchAnswersWithTheUnpackedVersion() throws Exception {
        SearchNode node = SearchNodes.elasticsearch();
        // This distribution has no GET / handler (405), so the version comes from the nodes API.
        String nodes = call(node, "GET", "/_nodes/_local/_none", null);
        assertThat(nodes).contains("\"version\":\"" + expectedVersion(node));
        assertThat(call(node, "GET", "/_cluster/health", null)).doesNotContain("\"status\":\"red\"");
    }

    @Test
    void opensearchRunsLuceneKnnAndKeepsItsDataOverARestart() throws Exception {
        SearchNode node = SearchNodes.opensearch();
        assertThat(call(node, "GET", "/", null)).contains("\"number\" : \"" + expectedVersion(node));
        assertThat(call(node, "GET", "/_cat/plugins?h=component", null)).contains("opensearch-knn");

        call(node, "PUT", "/harness-knn", """
                {"settings":{"index.knn":true,"number_of_replicas":0},
                 "mappings":{"properties":{"v":{"type":"knn_vector","dimension":2,
                   "method":{"name":"hnsw","engine":"lucene","space_type":"cosinesimil"}}}}}""");
        call(node, "PUT", "/harness-knn/_doc/a?refresh=true", "{\"v\":[1,0]}");
        call(node, "PUT", "/harness-knn/_doc/b?refresh=true", "{\"v\":[0,1]}");
        String knn = "{\"size\":1,\"query\":{\"knn\":{\"v\":{\"vector\":[0.1,0.9],\"k\":1}}}}";
        assertThat(call(node, "POST", "/harness-knn/_search", knn)).contains("\"_id\":\"b\"");

        if (node.isManaged()) {
            String url = node.url();
            node.stop();
            node.start();
            assertThat(node.url()).isEqualTo(url);
            assertThat(call(node, "GET", "/harness-knn/_count", null)).contains("\"count\":2");
        }
        call(node, "DELETE", "/harness-knn", null);
    }

    @Test
    void aJvmStartedByATestUsesTheSameNode() throws Exception {
        SearchNode node = SearchNodes.opensearch();
        // As the versioned-index kit starts its crash child: class path only, no system properties.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ChildJvm.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished: %s", output).isTrue();
        assertThat(output).as("the child's node").isEqualTo(node.url() + " managed=false");
    }

    /** Prints the URL of the OpenSearch node it is given, and whether it would have started it itself. */
    static final class ChildJvm {
        public static void main(String[] args) {
            SearchNode node = SearchNodes.opensearch();
            System.out.println(node.url() + " managed=" + node.isManaged());
        }
    }

    /** The version the build unpacked (a prefix of the answer); none for an external node, which may run any version. */
    private static String expectedVersion(SearchNode node) {
        SearchNodeKind kind = node.kind();
        if (!node.isManaged()) {
            return "";
        }
        String version = System.getProperty("ragkit.search." + kind.id() + ".version");
        assertThat(version).as("ragkit.search.%s.version (set by the module's Failsafe configuration)", kind.id()).isNotBlank();
        return version;
    }

    private static String call(SearchNode node, String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri().resolve(path)).timeout(Duration.ofSeconds(30));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s on %s: %s", method, path, node, response.body()).isBetween(200, 299);
        return response.body();
    }
}
