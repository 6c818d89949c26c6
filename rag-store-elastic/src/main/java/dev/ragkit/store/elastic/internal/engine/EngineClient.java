package dev.ragkit.store.elastic.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The calls the shared store logic makes on a cluster, with requests and answers as neutral JSON trees
 * (Jackson). Each provider implements it on its vendor's client, handing the trees to the client's raw-JSON
 * path; everything else (mapping, filters, batching, retries, scans, versions) is written once, above it.
 *
 * <p>Implementations make one attempt per call and report failures as {@link EngineException} with the
 * HTTP status and the server's error type; {@link Calls} retries and turns them into Ragkit's errors.
 * Thread-safe.
 */
public interface EngineClient extends AutoCloseable {
    /** Whether an index or alias of this name exists. */
    boolean exists(String indexOrAlias);

    /** Creates an index from a body holding {@code settings} and {@code mappings}. */
    void createIndex(String index, ObjectNode body);

    /**
     * The mappings of an index or of the indices behind an alias: an object keyed by concrete index name,
     * each holding {@code {"mappings": {...}}}.
     */
    JsonNode mapping(String indexOrAlias);

    /** Updates an index's mapping ({@code _meta} and new fields); {@code index} may be an alias of one index. */
    void putMapping(String index, ObjectNode mapping);

    /** Runs the operations in one bulk request; one result per operation, in order. */
    List<BulkItem> bulk(List<BulkOperation> operations);

    /**
     * Runs a search. {@code index} is null when the body holds a point in time ({@code pit}), which names
     * the index itself.
     */
    SearchResult search(String index, ObjectNode body);

    /** The documents with these ids that exist, without the fields in {@code sourceExcludes}. */
    List<Document> multiGet(String index, List<String> ids, List<String> sourceExcludes);

    /** How many documents match the query (all when null). */
    long count(String index, ObjectNode query);

    /** Makes every completed write visible to searches. */
    void refresh(String index);

    /** Opens a point in time on the index, kept alive for {@code keepAlive} (e.g. {@code 2m}); its id. */
    String openPointInTime(String index, String keepAlive);

    /** Closes a point in time; an unknown or expired one is ignored. */
    void closePointInTime(String id);

    /**
     * The statistics BM25 uses for the terms the field's analyzer makes of {@code text}: the number of
     * documents holding the field, and for each term its document frequency and its count in the text.
     */
    TermStatistics termStatistics(String index, String field, String text);

    /** The concrete indices an alias points at; empty when the alias does not exist. */
    Set<String> aliasTargets(String alias);

    /** Runs {@code _aliases} with these actions, atomically. */
    void updateAliases(ArrayNode actions);

    /** Deletes an index; a missing one is ignored. */
    void deleteIndex(String index);

    /** One document by id, read in real time (no refresh needed), with its sequence number; empty when absent. */
    Optional<Document> getDocument(String index, String id);

    /**
     * Writes one document, made visible to {@link #getDocument} at once. With {@code ifSeqNo} and
     * {@code ifPrimaryTerm} set, only over that version of it; with {@code createOnly}, only when absent.
     *
     * @return false when that condition failed (someone else wrote it first)
     */
    boolean putDocument(String index, String id, ObjectNode source, Long ifSeqNo, Long ifPrimaryTerm,
                        boolean createOnly);

    /** The node URLs, for messages. */
    String describe();

    @Override
    void close();

    /** One operation of a bulk request. */
    sealed interface BulkOperation permits IndexOperation, DeleteOperation {
        String id();
    }

    /** Writes (creates or replaces) a document. */
    record IndexOperation(String index, String id, ObjectNode source) implements BulkOperation {
    }

    /** Deletes a document; a missing one answers 404, which is not a failure. */
    record DeleteOperation(String index, String id) implements BulkOperation {
    }

    /**
     * The result of one bulk operation.
     *
     * @param status the HTTP status of the item (200/201 written, 404 deleted-but-absent, 429 rejected...)
     * @param errorType the server's error type when it failed, else null
     * @param errorReason the server's reason when it failed, else null
     */
    record BulkItem(String id, int status, String errorType, String errorReason) {
        public boolean failed() {
            return errorType != null;
        }
    }

    /** One document as stored. */
    record Document(String id, ObjectNode source, long seqNo, long primaryTerm) {
    }

    /** One search hit; {@code sort} holds the hit's sort values when the search was sorted. */
    record Hit(String id, double score, ObjectNode source, List<JsonNode> sort) {
    }

    /** A search's hits, and the point-in-time id to use next (servers may renew it). */
    record SearchResult(List<Hit> hits, String pitId) {
    }

    /** See {@link EngineClient#termStatistics}. */
    record TermStatistics(long docCount, List<TermStat> terms) {
    }

    /** One analysed term of a query text. */
    record TermStat(String term, long docFreq, int freqInText) {
    }
}
