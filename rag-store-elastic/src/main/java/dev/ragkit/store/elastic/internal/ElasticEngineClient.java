package dev.ragkit.store.elastic.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.TermvectorsResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.termvectors.Term;
import co.elastic.clients.elasticsearch.core.termvectors.TermVector;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.store.elastic.ClusterConnection;
import dev.ragkit.store.elastic.internal.engine.EngineClient;
import dev.ragkit.store.elastic.internal.engine.EngineException;
import dev.ragkit.store.elastic.internal.engine.Json;
import dev.ragkit.store.elastic.internal.engine.SearchResponses;
import dev.ragkit.store.elastic.internal.engine.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.apache.http.ConnectionClosedException;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.NoHttpResponseException;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.apache.http.entity.ByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * {@link EngineClient} on the official Elasticsearch Java client (8.x): request trees go through the
 * client's {@code withJson} path (count, index creation, mapping updates, aliases) or its typed
 * builders with the trees as documents (bulk, get, term vectors); searches, the mapping and alias reads use
 * the low-level REST client that the Java client runs on. One attempt per call; failures become
 * {@link EngineException}s.
 */
final class ElasticEngineClient implements EngineClient {
    private final RestClient rest;
    private final ElasticsearchClient client;
    private final String describe;

    ElasticEngineClient(ClusterConnection connection) {
        HttpHost[] hosts = connection.urls().stream().map(ElasticEngineClient::host).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);
        List<Header> headers = new ArrayList<>();
        connection.apiKeyValue().ifPresent(key -> headers.add(new BasicHeader("Authorization", "ApiKey " + key)));
        builder.setDefaultHeaders(headers.toArray(Header[]::new));
        builder.setRequestConfigCallback(config -> config
                .setConnectTimeout((int) connection.connectTimeout().toMillis())
                .setSocketTimeout((int) connection.socketTimeout().toMillis()));
        builder.setHttpClientConfigCallback(http -> {
            if (connection.basicAuth()) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY,
                        new UsernamePasswordCredentials(connection.username(), connection.password()));
                http.setDefaultCredentialsProvider(credentials);
            }
            if (connection.caFile() != null) {
                http.setSSLContext(Tls.trusting(connection.caFile()));
            }
            return http;
        });
        this.rest = builder.build();
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(Json.MAPPER)));
        this.describe = connection.describeUrls();
    }

    private static HttpHost host(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 9200;
        return new HttpHost(url.getHost(), port, url.getScheme());
    }

    @Override
    public String describe() {
        return describe;
    }

    /** A call of the client, which may throw its exceptions. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (ElasticsearchException e) {
            ErrorCause error = e.error();
            return fail(EngineException.status(e.status(), error == null ? null : error.type(),
                    error == null ? e.getMessage() : error.reason(), e));
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            return fail(statusFailure(status, e.getResponse().getEntity() == null ? null : read(e), e));
        } catch (TransportException e) {
            if (e.getCause() instanceof IOException io && !(e.getCause() instanceof TransportException)) {
                return fail(transportFailure(io));
            }
            return fail(EngineException.status(e.statusCode(), null, e.getMessage(), e));
        } catch (IOException e) {
            return fail(transportFailure(e));
        }
    }

    private static <T> T fail(EngineException e) {
        throw e;
    }

    private static JsonNode read(ResponseException e) {
        try (InputStream in = e.getResponse().getEntity().getContent()) {
            return Json.MAPPER.readTree(in);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static EngineException statusFailure(int status, JsonNode body, Throwable cause) {
        JsonNode error = body == null ? null : body.path("error");
        String type = error != null && error.isObject() ? error.path("type").asText(null) : null;
        String reason = error == null ? null : error.isObject() ? error.path("reason").asText(null) : error.asText(null);
        return EngineException.status(status, type, reason != null ? reason : cause.getMessage(), cause);
    }

    private static EngineException transportFailure(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof SSLException)) {
            root = root.getCause();
        }
        String reason = root.getClass().getSimpleName() + (root.getMessage() != null ? " " + root.getMessage() : "");
        if (root instanceof SSLException || e instanceof SSLException) {
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

    private static StringReader json(JsonNode node) {
        return new StringReader(Json.write(node));
    }

    private JsonNode raw(String method, String endpoint) throws IOException {
        org.elasticsearch.client.Response response = rest.performRequest(new Request(method, endpoint));
        try (InputStream in = response.getEntity().getContent()) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Override
    public boolean exists(String indexOrAlias) {
        return call(() -> client.indices().exists(e -> e.index(indexOrAlias)).value());
    }

    @Override
    public void createIndex(String index, ObjectNode body) {
        call(() -> client.indices().create(c -> c.index(index).withJson(json(body))));
    }

    @Override
    public JsonNode mapping(String indexOrAlias) {
        return call(() -> raw("GET", "/" + indexOrAlias + "/_mapping"));
    }

    @Override
    public void putMapping(String index, ObjectNode mapping) {
        call(() -> client.indices().putMapping(p -> p.index(index).withJson(json(mapping))));
    }

    @Override
    public List<BulkItem> bulk(List<BulkOperation> operations) {
        List<co.elastic.clients.elasticsearch.core.bulk.BulkOperation> ops = new ArrayList<>(operations.size());
        for (EngineClient.BulkOperation op : operations) {
            if (op instanceof IndexOperation write) {
                ops.add(co.elastic.clients.elasticsearch.core.bulk.BulkOperation.of(o -> o.index(i -> i
                        .index(write.index()).id(write.id()).document(write.source()))));
            } else {
                DeleteOperation delete = (DeleteOperation) op;
                ops.add(co.elastic.clients.elasticsearch.core.bulk.BulkOperation.of(o -> o.delete(d -> d
                        .index(delete.index()).id(delete.id()))));
            }
        }
        BulkResponse response = call(() -> client.bulk(b -> b.operations(ops)));
        List<BulkItem> items = new ArrayList<>(response.items().size());
        for (BulkResponseItem item : response.items()) {
            ErrorCause error = item.error();
            items.add(new BulkItem(item.id(), item.status(), error == null ? null : error.type(),
                    error == null ? null : error.reason()));
        }
        return items;
    }

    /**
     * Searches through the low-level client: the body is written once, straight from the tree, and the answer is
     * stream-read for the hits' ids, scores, sources and sort values. The typed client would parse the body back
     * into its request classes (the query vector number by number), write it again, then decode the whole answer
     * into its response classes: about a sixth of a kNN query's time at 100,000 x 384 (see the README).
     */
    @Override
    public SearchResult search(String index, ObjectNode body) {
        return call(() -> {
            Request request = new Request("POST", index == null ? "/_search" : "/" + segment(index) + "/_search");
            request.setEntity(new ByteArrayEntity(Json.MAPPER.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
            org.elasticsearch.client.Response response = rest.performRequest(request);
            try (InputStream in = response.getEntity().getContent()) {
                return SearchResponses.read(in);
            }
        });
    }

    /** An index or alias name as one URL path segment. */
    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public List<Document> multiGet(String index, List<String> ids, List<String> sourceExcludes) {
        MgetResponse<ObjectNode> response = call(() -> client.mget(m -> {
            m.index(index).ids(ids);
            if (!sourceExcludes.isEmpty()) {
                m.sourceExcludes(sourceExcludes);
            }
            return m;
        }, ObjectNode.class));
        List<Document> docs = new ArrayList<>();
        for (MultiGetResponseItem<ObjectNode> item : response.docs()) {
            if (item.isFailure()) {
                ErrorCause error = item.failure().error();
                throw EngineException.status(error.type().equals("index_not_found_exception") ? 404 : 500,
                        error.type(), error.reason(), null);
            }
            var result = item.result();
            if (result.found()) {
                docs.add(new Document(result.id(), result.source(), seq(result.seqNo()), seq(result.primaryTerm())));
            }
        }
        return docs;
    }

    private static long seq(Long value) {
        return value == null ? -1 : value;
    }

    @Override
    public long count(String index, ObjectNode query) {
        return call(() -> client.count(c -> {
            c.index(index);
            if (query != null) {
                c.withJson(json(Json.object("query", query)));
            }
            return c;
        }).count());
    }

    @Override
    public void refresh(String index) {
        call(() -> client.indices().refresh(r -> r.index(index)));
    }

    @Override
    public String openPointInTime(String index, String keepAlive) {
        return call(() -> client.openPointInTime(p -> p.index(index).keepAlive(t -> t.time(keepAlive))).id());
    }

    @Override
    public void closePointInTime(String id) {
        call(() -> client.closePointInTime(c -> c.id(id)));
    }

    @Override
    public TermStatistics termStatistics(String index, String field, String text) {
        ObjectNode doc = Json.object().put(field, text);
        TermvectorsResponse response = call(() -> client.termvectors(t -> t.index(index).doc(doc).fields(field)
                .termStatistics(true).fieldStatistics(true).positions(false).offsets(false).payloads(false)));
        TermVector vector = response.termVectors().get(field);
        if (vector == null || vector.fieldStatistics() == null) {
            return new TermStatistics(0, List.of());
        }
        List<TermStat> terms = new ArrayList<>();
        for (Map.Entry<String, Term> e : vector.terms().entrySet()) {
            Integer docFreq = e.getValue().docFreq();
            terms.add(new TermStat(e.getKey(), docFreq == null ? 0 : docFreq, e.getValue().termFreq()));
        }
        return new TermStatistics(vector.fieldStatistics().docCount(), terms);
    }

    @Override
    public Set<String> aliasTargets(String alias) {
        JsonNode answer = call(() -> {
            try {
                return raw("GET", "/_alias/" + alias);
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                    return Json.object();
                }
                throw e;
            }
        });
        Set<String> targets = new LinkedHashSet<>();
        for (Iterator<String> it = answer.fieldNames(); it.hasNext(); ) {
            String index = it.next();
            if (answer.path(index).path("aliases").has(alias)) {
                targets.add(index);
            }
        }
        return targets;
    }

    @Override
    public void updateAliases(ArrayNode actions) {
        call(() -> client.indices().updateAliases(u -> u.withJson(json(Json.object("actions", actions)))));
    }

    @Override
    public void deleteIndex(String index) {
        try {
            call(() -> client.indices().delete(d -> d.index(index)));
        } catch (EngineException e) {
            if (!e.indexMissing()) {
                throw e;
            }
        }
    }

    @Override
    public Optional<Document> getDocument(String index, String id) {
        GetResponse<ObjectNode> response = call(() -> client.get(g -> g.index(index).id(id), ObjectNode.class));
        if (!response.found()) {
            return Optional.empty();
        }
        return Optional.of(new Document(response.id(), response.source(), seq(response.seqNo()),
                seq(response.primaryTerm())));
    }

    @Override
    public boolean putDocument(String index, String id, ObjectNode source, Long ifSeqNo, Long ifPrimaryTerm,
                               boolean createOnly) {
        try {
            call(() -> client.index(i -> {
                i.index(index).id(id).document(source).refresh(Refresh.False);
                if (createOnly) {
                    i.opType(OpType.Create);
                }
                if (ifSeqNo != null) {
                    i.ifSeqNo(ifSeqNo).ifPrimaryTerm(ifPrimaryTerm);
                }
                return i;
            }));
            return true;
        } catch (EngineException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException e) {
            // Closing frees sockets and threads; nothing is pending that a failure could lose.
        }
    }
}
