package dev.ragkit.store.elastic.internal.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.internal.engine.EngineClient;
import dev.ragkit.store.elastic.internal.engine.EngineException;
import dev.ragkit.store.elastic.internal.engine.Json;
import dev.ragkit.store.elastic.internal.engine.Tls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * {@link EngineClient} on the official OpenSearch Java client (opensearch-java 3.x): the shared store logic's
 * request trees go as they are through the client's generic (raw JSON) API, over its Apache HttpClient 5
 * transport, which spreads calls over the configured nodes. One attempt per call; an HTTP error or a transport
 * failure becomes an {@link EngineException} with the status and the server's error type.
 */
final class OpenSearchEngineClient implements EngineClient {
    private static final String JSON = "application/json";
    private static final String NDJSON = "application/x-ndjson";

    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient client;
    private final String describe;

    OpenSearchEngineClient(ClusterConnection connection) {
        HttpHost[] hosts = connection.urls().stream().map(OpenSearchEngineClient::host).toArray(HttpHost[]::new);
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(hosts);
        List<Header> headers = new ArrayList<>();
        connection.apiKeyValue().ifPresent(key -> headers.add(new BasicHeader("Authorization", "ApiKey " + key)));
        builder.setDefaultHeaders(headers.toArray(Header[]::new));
        builder.setRequestConfigCallback(config -> config
                .setResponseTimeout(Timeout.ofMilliseconds(connection.socketTimeout().toMillis())));
        builder.setHttpClientConfigCallback(http -> {
            if (connection.basicAuth()) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                for (HttpHost host : hosts) {
                    credentials.setCredentials(new AuthScope(host),
                            new UsernamePasswordCredentials(connection.username(), connection.password().toCharArray()));
                }
                http.setDefaultCredentialsProvider(credentials);
            }
            // Our own connection manager: the only place httpclient5 takes both the timeouts and a TLS strategy.
            PoolingAsyncClientConnectionManagerBuilder manager = PoolingAsyncClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_PER_ROUTE)
                    .setMaxConnTotal(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_TOTAL)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofMilliseconds(connection.connectTimeout().toMillis()))
                            .setSocketTimeout(Timeout.ofMilliseconds(connection.socketTimeout().toMillis()))
                            .build());
            if (connection.caFile() != null) {
                manager.setTlsStrategy(ClientTlsStrategyBuilder.create()
                        .setSslContext(Tls.trusting(connection.caFile())).build());
            }
            return http.setConnectionManager(manager.build());
        });
        this.transport = builder.build();
        this.client = new OpenSearchClient(transport).generic();
        this.describe = connection.describeUrls();
    }

    private static HttpHost host(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 9200;
        return new HttpHost(url.getScheme(), url.getHost(), port);
    }

    @Override
    public String describe() {
        return describe;
    }

    // ---- one call ----

    /** An answer: its status and its JSON body (a missing node when it had none). */
    private record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Sends one request; any status comes back as an answer, a transport failure as an {@link EngineException}. */
    private Answer send(String method, String endpoint, Map<String, String> query, byte[] body, String contentType) {
        Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(endpoint);
        if (query != null && !query.isEmpty()) {
            request.query(query);
        }
        if (body != null) {
            request.body(Body.from(body, contentType));
        }
        try (Response response = client.execute(request.build())) {
            JsonNode json = MissingNode.getInstance();
            Optional<Body> answer = response.getBody();
            if (answer.isPresent()) {
                try (Body b = answer.get(); InputStream in = b.body()) {
                    byte[] bytes = in.readAllBytes();
                    if (bytes.length > 0) {
                        json = Json.MAPPER.readTree(bytes);
                    }
                }
            }
            return new Answer(response.getStatus(), json);
        } catch (IOException e) {
            // The transport throws some error statuses (a 401 to a HEAD, say) instead of returning them, wrapped.
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ResponseException answer) {
                    return new Answer(answer.status(), bodyOf(answer));
                }
            }
            throw transportFailure(e);
        }
    }

    /** The body the transport put after the first line of its message, as JSON when it is JSON. */
    private static JsonNode bodyOf(ResponseException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        String body = newline < 0 ? "" : message.substring(newline + 1).trim();
        if (body.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return TextNode.valueOf(body);
        }
    }

    /** Sends one request and fails with the server's error unless the status is 2xx. */
    private JsonNode call(String method, String endpoint, Map<String, String> query, JsonNode body) {
        Answer answer = send(method, endpoint, query, body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8),
                JSON);
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        return answer.body();
    }

    private static EngineException statusFailure(Answer answer) {
        JsonNode error = answer.body().path("error");
        String type = error.isObject() ? error.path("type").asText(null) : null;
        String reason = error.isObject() ? error.path("reason").asText(null) : error.isTextual() ? error.asText() : null;
        if (reason == null) {
            reason = answer.body().isMissingNode() ? "no body"
                    : answer.body().isTextual() ? answer.body().asText() : Json.write(answer.body());
        }
        return EngineException.status(answer.status(), type, reason, null);
    }

    private static EngineException transportFailure(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof SSLException)) {
            root = root.getCause();
        }
        String reason = root.getClass().getSimpleName() + (root.getMessage() != null ? " " + root.getMessage() : "");
        if (root instanceof SSLException) {
            return EngineException.transport(EngineException.Transport.TLS, reason, e);
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException
                || root instanceof NoRouteToHostException || root instanceof ConnectTimeoutException) {
            return EngineException.transport(EngineException.Transport.UNREACHABLE, reason, e);
        }
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            return EngineException.transport(EngineException.Transport.TIMEOUT, reason, e);
        }
        if (root instanceof ConnectionClosedException || root instanceof NoHttpResponseException) {
            return EngineException.transport(EngineException.Transport.RESET, reason, e);
        }
        // Other I/O failures (connection reset by peer, broken pipe) are resets too: the call may pass again.
        return EngineException.transport(EngineException.Transport.RESET, reason, e);
    }

    /** A path segment: index names are plain, but chunk ids may hold anything. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- the engine's calls ----

    @Override
    public boolean exists(String indexOrAlias) {
        Answer answer = send("HEAD", "/" + segment(indexOrAlias), null, null, null);
        if (answer.status() == 404) {
            return false;
        }
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        return true;
    }

    @Override
    public void createIndex(String index, ObjectNode body) {
        call("PUT", "/" + segment(index), null, body);
    }

    @Override
    public JsonNode mapping(String indexOrAlias) {
        return call("GET", "/" + segment(indexOrAlias) + "/_mapping", null, null);
    }

    @Override
    public void putMapping(String index, ObjectNode mapping) {
        call("PUT", "/" + segment(index) + "/_mapping", null, mapping);
    }

    @Override
    public List<BulkItem> bulk(List<BulkOperation> operations) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(operations.size() * 256);
        for (BulkOperation op : operations) {
            if (op instanceof IndexOperation write) {
                line(lines, Json.object("index", Json.object().put("_index", write.index()).put("_id", write.id())));
                line(lines, write.source());
            } else {
                DeleteOperation delete = (DeleteOperation) op;
                line(lines, Json.object("delete", Json.object().put("_index", delete.index()).put("_id", delete.id())));
            }
        }
        Answer answer = send("POST", "/_bulk", null, lines.toByteArray(), NDJSON);
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        List<BulkItem> items = new ArrayList<>(operations.size());
        for (JsonNode item : answer.body().path("items")) {
            JsonNode result = item.elements().next();
            JsonNode error = result.path("error");
            items.add(new BulkItem(result.path("_id").asText(), result.path("status").asInt(),
                    error.isMissingNode() ? null : error.path("type").asText("error"),
                    error.isMissingNode() ? null : error.path("reason").asText(null)));
        }
        return items;
    }

    private static void line(ByteArrayOutputStream out, JsonNode node) {
        try {
            Json.MAPPER.writeValue(out, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    @Override
    public SearchResult search(String index, ObjectNode body) {
        JsonNode answer = call("POST", index == null ? "/_search" : "/" + segment(index) + "/_search", null, body);
        List<Hit> hits = new ArrayList<>();
        for (JsonNode hit : answer.path("hits").path("hits")) {
            JsonNode score = hit.path("_score");
            List<JsonNode> sort = new ArrayList<>();
            hit.path("sort").forEach(sort::add);
            JsonNode source = hit.path("_source");
            hits.add(new Hit(hit.path("_id").asText(), score.isNumber() ? score.asDouble() : Double.NaN,
                    source.isObject() ? (ObjectNode) source : null, sort));
        }
        return new SearchResult(hits, answer.path("pit_id").asText(null));
    }

    @Override
    public List<Document> multiGet(String index, List<String> ids, List<String> sourceExcludes) {
        ArrayNode idArray = Json.array();
        ids.forEach(idArray::add);
        Map<String, String> query = sourceExcludes.isEmpty() ? null : Map.of("_source_excludes", String.join(",", sourceExcludes));
        JsonNode answer = call("POST", "/" + segment(index) + "/_mget", query, Json.object("ids", idArray));
        List<Document> docs = new ArrayList<>();
        for (JsonNode doc : answer.path("docs")) {
            JsonNode error = doc.path("error");
            if (!error.isMissingNode()) {
                String type = error.path("type").asText(null);
                throw EngineException.status("index_not_found_exception".equals(type) ? 404 : 500, type,
                        error.path("reason").asText(null), null);
            }
            if (doc.path("found").asBoolean(false)) {
                docs.add(new Document(doc.path("_id").asText(), (ObjectNode) doc.path("_source"),
                        doc.path("_seq_no").asLong(-1), doc.path("_primary_term").asLong(-1)));
            }
        }
        return docs;
    }

    @Override
    public long count(String index, ObjectNode query) {
        JsonNode answer = call("POST", "/" + segment(index) + "/_count", null,
                query == null ? null : Json.object("query", query));
        return answer.path("count").asLong();
    }

    @Override
    public void refresh(String index) {
        call("POST", "/" + segment(index) + "/_refresh", null, null);
    }

    @Override
    public String openPointInTime(String index, String keepAlive) {
        JsonNode answer = call("POST", "/" + segment(index) + "/_search/point_in_time", Map.of("keep_alive", keepAlive),
                null);
        return answer.path("pit_id").asText();
    }

    @Override
    public void closePointInTime(String id) {
        Answer answer = send("DELETE", "/_search/point_in_time", null,
                Json.write(Json.object("pit_id", Json.array().add(id))).getBytes(StandardCharsets.UTF_8), JSON);
        if (!answer.ok() && answer.status() != 404) {
            throw statusFailure(answer);
        }
    }

    @Override
    public TermStatistics termStatistics(String index, String field, String text) {
        ObjectNode body = Json.object();
        body.set("doc", Json.object().put(field, text));
        body.set("fields", Json.array().add(field));
        body.put("term_statistics", true).put("field_statistics", true).put("positions", false).put("offsets", false)
                .put("payloads", false);
        JsonNode vector = call("POST", "/" + segment(index) + "/_termvectors", null, body).path("term_vectors").path(field);
        if (vector.isMissingNode() || vector.path("field_statistics").isMissingNode()) {
            return new TermStatistics(0, List.of());
        }
        List<TermStat> terms = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vector.path("terms").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> term = it.next();
            terms.add(new TermStat(term.getKey(), term.getValue().path("doc_freq").asLong(0),
                    term.getValue().path("term_freq").asInt()));
        }
        return new TermStatistics(vector.path("field_statistics").path("doc_count").asLong(), terms);
    }

    @Override
    public Set<String> aliasTargets(String alias) {
        Answer answer = send("GET", "/_alias/" + segment(alias), null, null, null);
        if (answer.status() == 404) {
            return Set.of();
        }
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        Set<String> targets = new LinkedHashSet<>();
        for (Iterator<String> it = answer.body().fieldNames(); it.hasNext(); ) {
            String index = it.next();
            if (answer.body().path(index).path("aliases").has(alias)) {
                targets.add(index);
            }
        }
        return targets;
    }

    @Override
    public void updateAliases(ArrayNode actions) {
        call("POST", "/_aliases", null, Json.object("actions", actions));
    }

    @Override
    public void deleteIndex(String index) {
        Answer answer = send("DELETE", "/" + segment(index), null, null, null);
        if (!answer.ok() && !(answer.status() == 404
                && "index_not_found_exception".equals(answer.body().path("error").path("type").asText()))) {
            throw statusFailure(answer);
        }
    }

    @Override
    public Optional<Document> getDocument(String index, String id) {
        Answer answer = send("GET", "/" + segment(index) + "/_doc/" + segment(id), null, null, null);
        if (answer.status() == 404 && answer.body().path("found").isBoolean()) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        JsonNode doc = answer.body();
        return Optional.of(new Document(doc.path("_id").asText(), (ObjectNode) doc.path("_source"),
                doc.path("_seq_no").asLong(-1), doc.path("_primary_term").asLong(-1)));
    }

    @Override
    public boolean putDocument(String index, String id, ObjectNode source, Long ifSeqNo, Long ifPrimaryTerm,
                               boolean createOnly) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("refresh", "false");
        if (createOnly) {
            query.put("op_type", "create");
        }
        if (ifSeqNo != null) {
            query.put("if_seq_no", Long.toString(ifSeqNo));
            query.put("if_primary_term", Long.toString(ifPrimaryTerm));
        }
        Answer answer = send("PUT", "/" + segment(index) + "/_doc/" + segment(id), query,
                Json.write(source).getBytes(StandardCharsets.UTF_8), JSON);
        if (answer.status() == 409) {
            return false;
        }
        if (!answer.ok()) {
            throw statusFailure(answer);
        }
        return true;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            // Closing frees sockets and threads; nothing is pending that a failure could lose.
        }
    }
}
