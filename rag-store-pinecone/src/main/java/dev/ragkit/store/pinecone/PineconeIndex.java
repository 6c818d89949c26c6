package dev.ragkit.store.pinecone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ragkit.core.RagBackendException;
import dev.ragkit.core.RagConfigurationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One Pinecone index: found or created through the control plane, then read and written on its own host
 * (the data plane). Shared by the stores of its namespaces and by the versioned index; thread-safe.
 */
final class PineconeIndex {
    /** The namespace where Ragkit keeps its own records (index info, a versioned index's catalog). */
    static final String META_NAMESPACE = "ragkit-meta";
    /** Most ids one fetch or delete sends (fetch puts them in the URL). */
    static final int IDS_PER_CALL = 100;
    /** Pinecone's largest page of a {@code list} call. */
    static final int MAX_LIST_PAGE = 100;

    private final PineconeHttp http;
    private final String name;
    private final int dimension;
    private final URI dataHost;

    private PineconeIndex(PineconeHttp http, String name, int dimension, URI dataHost) {
        this.http = http;
        this.name = name;
        this.dimension = dimension;
        this.dataHost = dataHost;
    }

    /** What to do when the index does not exist yet. */
    record Creation(boolean create, String cloud, String region, String environment, String podType,
                    Duration readyTimeout, Duration pollInterval) {
    }

    /**
     * Opens index {@code name}, creating it (cosine, {@code dimension}) when absent and allowed, waiting
     * until it is ready; refuses an existing index of another dimension, metric or vector type.
     */
    static PineconeIndex open(PineconeHttp http, URI controlPlane, String name, int dimension, Creation creation,
                              URI hostOverride) {
        PineconeHttp.Call describe = new PineconeHttp.Call("describing index '" + name + "'", name);
        URI indexUri = controlPlane.resolve("/indexes/" + encode(name));
        Optional<JsonNode> found = http.sendAllowingNotFound(describe, "GET", indexUri, null);
        if (found.isEmpty()) {
            if (!creation.create()) {
                throw new RagConfigurationException("Pinecone index '" + name + "' does not exist in the API key's "
                        + "project and rag.store.pinecone.create is false: create it (dimension " + dimension
                        + ", metric cosine) or set create=true");
            }
            create(http, controlPlane, name, dimension, creation);
            found = Optional.of(awaitReady(http, indexUri, name, creation));
        } else if (!found.get().path("status").path("ready").asBoolean(false)) {
            found = Optional.of(awaitReady(http, indexUri, name, creation));
        }
        JsonNode model = found.get();
        requireCompatible(model, name, dimension);
        URI host = hostOverride != null ? hostOverride : hostUri(model.path("host").asText(""), name);
        return new PineconeIndex(http, name, dimension, host);
    }

    /** The index when it exists (with its own dimension, after the same checks), null when it does not. */
    static PineconeIndex openIfExists(PineconeVectorStore.Settings settings) {
        PineconeHttp.Call describe = new PineconeHttp.Call("describing index '" + settings.index() + "'",
                settings.index());
        Optional<JsonNode> found = settings.http().sendAllowingNotFound(describe, "GET",
                settings.controlPlane().resolve("/indexes/" + encode(settings.index())), null);
        if (found.isEmpty()) {
            return null;
        }
        return settings.openIndex(found.get().path("dimension").asInt(-1));
    }

    private static void create(PineconeHttp http, URI controlPlane, String name, int dimension, Creation creation) {
        ObjectNode body = http.json().createObjectNode();
        body.put("name", name);
        body.put("dimension", dimension);
        body.put("metric", "cosine");
        body.put("vector_type", "dense");
        ObjectNode spec = body.putObject("spec");
        if (creation.environment() != null) {
            ObjectNode pod = spec.putObject("pod");
            pod.put("environment", creation.environment());
            pod.put("pod_type", creation.podType());
        } else {
            ObjectNode serverless = spec.putObject("serverless");
            serverless.put("cloud", creation.cloud());
            serverless.put("region", creation.region());
        }
        PineconeHttp.Call call = new PineconeHttp.Call("creating index '" + name + "'", name);
        try {
            http.send(call, "POST", controlPlane.resolve("/indexes"), body);
        } catch (RagBackendException e) {
            // Another process created it between our describe and create: open theirs (and check it below).
            if (!e.detail().contains("409")) {
                throw e;
            }
        }
    }

    private static JsonNode awaitReady(PineconeHttp http, URI indexUri, String name, Creation creation) {
        PineconeHttp.Call call = new PineconeHttp.Call("waiting for index '" + name + "' to be ready", name);
        long deadline = System.nanoTime() + creation.readyTimeout().toNanos();
        while (true) {
            JsonNode model = http.send(call, "GET", indexUri, null);
            JsonNode status = model.path("status");
            if (status.path("ready").asBoolean(false)) {
                return model;
            }
            if ("InitializationFailed".equals(status.path("state").asText())) {
                throw RagBackendException.permanent(PineconeHttp.BACKEND, "index '" + name + "' failed to initialise "
                        + "(state InitializationFailed): see the Pinecone console", null);
            }
            if (System.nanoTime() > deadline) {
                throw RagBackendException.retriable(PineconeHttp.BACKEND, "index '" + name + "' was not ready after "
                        + creation.readyTimeout() + " (state " + status.path("state").asText("?")
                        + "); raise rag.store.pinecone.ready-timeout or try again later", null);
            }
            try {
                Thread.sleep(creation.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RagBackendException.permanent(PineconeHttp.BACKEND, call.what() + " was interrupted", e);
            }
        }
    }

    private static void requireCompatible(JsonNode model, String name, int dimension) {
        String vectorType = model.path("vector_type").asText("dense");
        if (!"dense".equals(vectorType)) {
            throw new RagConfigurationException("Pinecone index '" + name + "' holds " + vectorType
                    + " vectors but Ragkit stores dense embeddings: use another rag.store.pinecone.index");
        }
        int actual = model.path("dimension").asInt(-1);
        if (actual != dimension) {
            throw new RagConfigurationException("Pinecone index '" + name + "' has dimension " + actual
                    + " but the store is for vectors of dimension " + dimension + " (the embedder's): use another "
                    + "rag.store.pinecone.index, or the embedder that filled this one");
        }
        String metric = model.path("metric").asText("");
        if (!"cosine".equals(metric)) {
            throw new RagConfigurationException("Pinecone index '" + name + "' uses metric '" + metric
                    + "' but Ragkit's scores are cosine similarities: use an index created with metric cosine");
        }
    }

    private static URI hostUri(String host, String name) {
        if (host.isBlank()) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "Pinecone described index '" + name
                    + "' without a host; set rag.store.pinecone.host to the index's host", null);
        }
        return URI.create(host.contains("://") ? host : "https://" + host);
    }

    String name() {
        return name;
    }

    int dimension() {
        return dimension;
    }

    PineconeHttp http() {
        return http;
    }

    private PineconeHttp.Call call(String what, String namespace) {
        return new PineconeHttp.Call(what + " in index '" + name + "' namespace '" + namespace + "'", name);
    }

    private URI data(String pathAndQuery) {
        return dataHost.resolve(pathAndQuery);
    }

    /** Upserts records in one request; returns Pinecone's upserted count. */
    int upsert(String namespace, ArrayNode records) {
        ObjectNode body = http.json().createObjectNode();
        body.set("vectors", records);
        body.put("namespace", namespace);
        JsonNode answer = http.send(call("upserting " + records.size() + " records", namespace), "POST",
                data("/vectors/upsert"), body);
        return answer.path("upsertedCount").asInt(-1);
    }

    /** The stored records among {@code ids} by id (order as Pinecone answered), with their values when asked. */
    List<JsonNode> fetch(String namespace, Collection<String> ids) {
        List<JsonNode> found = new ArrayList<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_CALL) {
            StringBuilder query = new StringBuilder("/vectors/fetch?namespace=").append(encode(namespace));
            for (String id : all.subList(from, Math.min(all.size(), from + IDS_PER_CALL))) {
                query.append("&ids=").append(encode(id));
            }
            JsonNode answer = http.send(call("fetching records", namespace), "GET", data(query.toString()), null);
            answer.path("vectors").forEach(found::add);
        }
        return found;
    }

    /** One page of record ids and the token of the next page (null when this is the last one). */
    record IdPage(List<String> ids, String next) {
    }

    IdPage list(String namespace, String token, int limit) {
        StringBuilder query = new StringBuilder("/vectors/list?namespace=").append(encode(namespace))
                .append("&limit=").append(Math.min(limit, MAX_LIST_PAGE));
        if (token != null) {
            query.append("&paginationToken=").append(encode(token));
        }
        JsonNode answer = http.send(call("listing record ids", namespace), "GET", data(query.toString()), null);
        List<String> ids = new ArrayList<>();
        answer.path("vectors").forEach(v -> ids.add(v.path("id").asText()));
        String next = answer.path("pagination").path("next").asText(null);
        return new IdPage(ids, next == null || next.isEmpty() ? null : next);
    }

    void delete(String namespace, Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_CALL) {
            ObjectNode body = http.json().createObjectNode();
            ArrayNode array = body.putArray("ids");
            all.subList(from, Math.min(all.size(), from + IDS_PER_CALL)).forEach(array::add);
            body.put("namespace", namespace);
            http.send(call("deleting records", namespace), "POST", data("/vectors/delete"), body);
        }
    }

    /** Removes a whole namespace and its records. */
    void deleteNamespace(String namespace) {
        ObjectNode body = http.json().createObjectNode();
        body.put("deleteAll", true);
        body.put("namespace", namespace);
        http.send(call("deleting every record", namespace), "POST", data("/vectors/delete"), body);
    }

    /** The best {@code topK} matches with their metadata (no values), among records matching {@code filter} (null: all). */
    JsonNode query(String namespace, float[] vector, int topK, ObjectNode filter) {
        ObjectNode body = http.json().createObjectNode();
        body.put("namespace", namespace);
        body.put("topK", topK);
        ArrayNode values = body.putArray("vector");
        for (float v : vector) {
            values.add(v);
        }
        if (filter != null) {
            body.set("filter", filter);
        }
        body.put("includeValues", false);
        body.put("includeMetadata", true);
        return http.send(call("querying", namespace), "POST", data("/query"), body);
    }

    /** Records in a namespace, from {@code describe_index_stats} (0 for a namespace never written). */
    long count(String namespace) {
        JsonNode stats = http.send(call("counting records", namespace), "POST", data("/describe_index_stats"),
                http.json().createObjectNode());
        return stats.path("namespaces").path(namespace).path("vectorCount").asLong(0);
    }

    /** The namespaces that exist, from {@code describe_index_stats}. */
    List<String> namespaces() {
        JsonNode stats = http.send(call("listing namespaces", ""), "POST", data("/describe_index_stats"),
                http.json().createObjectNode());
        List<String> names = new ArrayList<>();
        stats.path("namespaces").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Ragkit's own record {@code id} in {@link #META_NAMESPACE}: a JSON document kept as one metadata string
     * (one record is replaced atomically, which the versioned index's alias relies on).
     */
    Optional<JsonNode> readMeta(String id) {
        List<JsonNode> found = fetch(META_NAMESPACE, List.of(id));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String document = found.get(0).path("metadata").path("ragkit_document").asText(null);
        if (document == null) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "record '" + id + "' in namespace '"
                    + META_NAMESPACE + "' of index '" + name + "' was not written by Ragkit; that namespace is "
                    + "reserved for Ragkit's own records", null);
        }
        try {
            return Optional.of(http.json().readTree(document));
        } catch (java.io.IOException e) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "record '" + id + "' in namespace '"
                    + META_NAMESPACE + "' of index '" + name + "' holds damaged JSON: " + e.getMessage(), e);
        }
    }

    void writeMeta(String id, JsonNode document) {
        ObjectNode record = http.json().createObjectNode();
        record.put("id", id);
        // Pinecone refuses an all-zero dense vector; this one is never searched (nothing queries this namespace).
        ArrayNode values = record.putArray("values");
        for (int i = 0; i < dimension; i++) {
            values.add(i == 0 ? 1.0f : 0.0f);
        }
        String text = document.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length > RecordCodec.MAX_METADATA_BYTES - 64) {
            throw RagBackendException.permanent(PineconeHttp.BACKEND, "Ragkit's record '" + id + "' would exceed "
                    + "Pinecone's 40 KB metadata limit; drop old versions or properties", null);
        }
        record.putObject("metadata").put("ragkit_document", text);
        ArrayNode records = http.json().createArrayNode().add(record);
        upsert(META_NAMESPACE, records);
    }

    void deleteMeta(String id) {
        delete(META_NAMESPACE, List.of(id));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
