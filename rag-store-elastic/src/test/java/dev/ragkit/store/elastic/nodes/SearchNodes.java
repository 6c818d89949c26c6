package dev.ragkit.store.elastic.nodes;

import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The search nodes of this test JVM: each is started once, on first use (or earlier, in parallel, for the
 * classes marked {@link UsesSearchNodes}), and stopped when the JUnit launcher session ends or, failing that,
 * when the JVM exits. A node that does not start fails every test that asks for it with the same error,
 * which carries the tail of the node's log.
 *
 * <p>{@code ELASTIC_URL} / {@code OPENSEARCH_URL}, when set, point the tests at an external node instead. A JVM
 * that a test starts itself (the versioned-index kit's crash child) uses the node of the test JVM, found through
 * {@code target/search-nodes/run/<id>/node.properties} relative to its working directory, as an external node.
 */
public final class SearchNodes {

    private static final Map<SearchNodeKind, CompletableFuture<SearchNode>> NODES = new EnumMap<>(SearchNodeKind.class);
    /** The processes this JVM launched, for the stop at the end (filled before each start returns). */
    private static final Map<SearchNodeKind, NodeProcess> STARTED = Collections.synchronizedMap(new EnumMap<>(SearchNodeKind.class));
    private static boolean hookInstalled;

    private SearchNodes() {
    }

    /** The Elasticsearch node, started if needed. */
    public static SearchNode elasticsearch() {
        return get(SearchNodeKind.ELASTICSEARCH);
    }

    /** The OpenSearch node (with the k-NN plugin), started if needed. */
    public static SearchNode opensearch() {
        return get(SearchNodeKind.OPENSEARCH);
    }

    /** The node of the given kind, started if needed; waits for a start already under way. */
    public static SearchNode get(SearchNodeKind kind) {
        try {
            return startAsync(kind).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw new IllegalStateException(kind.displayName() + " node unavailable: " + cause.getMessage(), cause);
            }
            throw e;
        }
    }

    /** Starts the given nodes in parallel without waiting for them. */
    static void prestart(Collection<SearchNodeKind> kinds) {
        kinds.forEach(SearchNodes::startAsync);
    }

    private static synchronized CompletableFuture<SearchNode> startAsync(SearchNodeKind kind) {
        return NODES.computeIfAbsent(kind, k -> {
            String external = System.getenv(k.urlVariable());
            if (external != null && !external.isBlank()) {
                URI url = URI.create(external.replaceFirst("/+$", ""));
                return CompletableFuture.completedFuture(new SearchNode(k, url, null));
            }
            Optional<URI> parents = NodeProcess.runningElsewhere(k);
            if (parents.isPresent()) {
                return CompletableFuture.completedFuture(new SearchNode(k, parents.get(), null));
            }
            installShutdownHook();
            return CompletableFuture.supplyAsync(() -> {
                NodeProcess process = NodeProcess.prepare(k);
                SearchNode node = new SearchNode(k, process.url(), process);
                // Registered before the start, so that a start that hangs or fails is cleaned up too.
                STARTED.put(k, process);
                process.start();
                return node;
            });
        });
    }

    /** Stops every node this JVM started. Idempotent; the nodes are not restarted afterwards. */
    static void stopAll() {
        synchronized (STARTED) {
            STARTED.values().parallelStream().forEach(NodeProcess::stop);
        }
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(SearchNodes::stopAll, "search-nodes-stop"));
            hookInstalled = true;
        }
    }
}
