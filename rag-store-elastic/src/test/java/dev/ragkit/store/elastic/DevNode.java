package dev.ragkit.store.elastic;

/**
 * The Elasticsearch node the ITs run against, until the build's node harness lands: its URL comes from the
 * system property {@code ragkit.test.elastic.url}. Deleted once the harness starts the node itself.
 */
final class DevNode {
    private DevNode() {
    }

    static String url() {
        String url = System.getProperty("ragkit.test.elastic.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("no Elasticsearch node: set -Dragkit.test.elastic.url=http://127.0.0.1:PORT");
        }
        return url;
    }
}
