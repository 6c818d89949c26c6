package dev.ragkit.store.elastic.opensearch;

import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.nodes.SearchNodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** The OpenSearch ITs' indices on the test node: a name per test directory, and their removal afterwards. */
final class OpenSearchTestIndices {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpenSearchTestIndices() {
    }

    /** A connection to the OpenSearch node of the build (or OPENSEARCH_URL). */
    static ClusterConnection connection() {
        return ClusterConnection.of(SearchNodes.opensearch().url());
    }

    /** An index name derived from a test's directory: the same directory names the same index. */
    static String indexFor(String prefix, Path directory) {
        return prefix + "-" + Integer.toHexString(directory.toAbsolutePath().toString().hashCode());
    }

    /** Deletes every index (and so every alias) whose name starts with {@code prefix}. */
    static void deleteIndices(String prefix) {
        String answer = send("DELETE", "/" + prefix + "*?expand_wildcards=all", null);
        if (!answer.contains("\"acknowledged\":true")) {
            throw new IllegalStateException("could not delete the test indices " + prefix + "*: " + answer);
        }
    }

    /** Sends a request to the node; the answer's body, whatever its status. */
    static String send(String method, String path, String json) {
        URI url = URI.create(SearchNodes.opensearch().url() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60));
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("the OpenSearch node at " + url + " did not answer " + method, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
