package dev.ragkit.store.elastic.nodes;

import java.net.URI;
import java.util.Objects;

/**
 * A search node the integration tests talk to: one the build started ({@link #isManaged()}) or an external
 * one named by {@code ELASTIC_URL} / {@code OPENSEARCH_URL}. Obtain it from {@link SearchNodes}.
 */
public final class SearchNode {

    private final SearchNodeKind kind;
    private final URI url;
    private final NodeProcess process; // null for an external node

    SearchNode(SearchNodeKind kind, URI url, NodeProcess process) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.url = Objects.requireNonNull(url, "url");
        this.process = process;
    }

    /** Which server this is. */
    public SearchNodeKind kind() {
        return kind;
    }

    /** Base URL of the node's HTTP API, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String url() {
        return url.toString();
    }

    /** {@link #url()} as a URI. */
    public URI uri() {
        return url;
    }

    /** True when the build started this node (so tests may stop and restart it). */
    public boolean isManaged() {
        return process != null;
    }

    /**
     * Stops the node (fault tests: a node that goes away in the middle of a request). Its data stays; {@link #start()}
     * brings it back on the same port.
     *
     * @throws IllegalStateException for an external node, which the tests must not stop
     */
    public void stop() {
        managed("stop").stop();
    }

    /** Starts the node again after {@link #stop()}, on the same port and data, and waits for its health. */
    public void start() {
        managed("start").start();
    }

    private NodeProcess managed(String action) {
        if (process == null) {
            throw new IllegalStateException("cannot " + action + " the external " + kind.displayName() + " node at "
                    + url + " (" + kind.urlVariable() + "): only a node the build started can be stopped and restarted");
        }
        return process;
    }

    @Override
    public String toString() {
        return kind.displayName() + (isManaged() ? " (started by the build) at " : " (external) at ") + url;
    }
}
