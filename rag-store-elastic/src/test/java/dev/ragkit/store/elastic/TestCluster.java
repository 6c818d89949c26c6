package dev.ragkit.store.elastic;

import dev.ragkit.store.elastic.nodes.SearchNodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Administration of the test node for the ITs: unique index names per test, and cleaning them up. */
final class TestCluster {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestCluster() {
    }

    /** The build's Elasticsearch node (or the one {@code ELASTIC_URL} names), started on first use. */
    static String url() {
        return SearchNodes.elasticsearch().url();
    }

    static ClusterConnection connection() {
        return ClusterConnection.builder().url(url()).build();
    }

    /** An index name derived from a test's directory: the same directory names the same index. */
    static String indexFor(String prefix, Path directory) {
        return prefix + "-" + Integer.toHexString(directory.toAbsolutePath().toString().hashCode());
    }

    /** Sends a request to the node; the answer's body. */
    static String send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60));
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("the test node at " + url() + " did not answer " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes every index (and so alias) whose name starts with {@code prefix}. By name: the server refuses
     * wildcard deletes ({@code action.destructive_requires_name}).
     */
    static void deleteIndices(String prefix) {
        String names = send("GET", "/_cat/indices/" + prefix + "*?h=index&expand_wildcards=all", null).trim();
        if (names.isEmpty()) {
            return;
        }
        String list = String.join(",", names.split("\\s+"));
        String answer = send("DELETE", "/" + list, null);
        if (!answer.contains("\"acknowledged\":true")) {
            throw new IllegalStateException("the test node did not delete " + list + ": " + answer);
        }
    }
}
