package dev.ragkit.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.ScanPage;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.StoreCapability;
import dev.ragkit.core.spi.VectorStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A Ragkit {@link VectorStore} seen by LangChain4j as an {@code EmbeddingStore<TextSegment>}.
 *
 * <ul>
 *   <li>Ids: see {@link EmbeddingIds}; the id LangChain4j adds under is the id search returns and remove takes.
 *       Ids this store generates are random UUIDs, as LangChain4j's own stores make them.</li>
 *   <li>Metadata: see {@link MetadataMapping}; filters: see {@link FilterTranslation} (exact, or an error).</li>
 *   <li>Scores: LangChain4j's relevance score is {@code (cosine + 1) / 2}, Ragkit's is the cosine clamped to
 *       [0, 1]; this store converts both ways. Ragkit reports every negative cosine as 0, so hits of opposite
 *       meaning come back with score 0.5 and a {@code minScore} below 0.5 keeps all of them.</li>
 *   <li>Ragkit keeps text with every vector, so the add methods without a {@link TextSegment} fail with an
 *       {@link InvalidInputException}, as does an empty segment text.</li>
 * </ul>
 *
 * <p>Thread-safe when the wrapped store is. Closing the wrapped store is the host's business.
 */
public final class RagkitEmbeddingStore implements EmbeddingStore<TextSegment> {
    private static final int SCAN_PAGE = 1_000;
    private static final String TEXT_REQUIRED = "a Ragkit store keeps the text with every vector;"
            + " add embeddings together with their TextSegment";

    private final VectorStore store;
    private final boolean embeddingsInMatches;

    private RagkitEmbeddingStore(VectorStore store, boolean embeddingsInMatches) {
        this.store = Objects.requireNonNull(store, "store");
        this.embeddingsInMatches = embeddingsInMatches;
        if (embeddingsInMatches && !store.capabilities().contains(StoreCapability.READ_VECTORS)) {
            throw new InvalidInputException("store '" + store.name() + "' cannot read vectors back (no READ_VECTORS"
                    + " capability), so matches cannot carry their embeddings; leave embeddingsInMatches off");
        }
    }

    /** The store, with matches that carry no embedding (what retrieval needs; one store call per search). */
    public static RagkitEmbeddingStore of(VectorStore store) {
        return new RagkitEmbeddingStore(store, false);
    }

    /**
     * The store, with matches that carry their embeddings, read back with one extra store call per search.
     * Needs a store with {@link StoreCapability#READ_VECTORS}.
     */
    public static RagkitEmbeddingStore withEmbeddingsInMatches(VectorStore store) {
        return new RagkitEmbeddingStore(store, true);
    }

    /** The wrapped Ragkit store. */
    public VectorStore store() {
        return store;
    }

    @Override
    public String add(Embedding embedding) {
        throw textRequired();
    }

    @Override
    public void add(String id, Embedding embedding) {
        throw textRequired();
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        throw textRequired();
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = generateIds(1).get(0);
        addAll(List.of(id), List.of(embedding), Collections.singletonList(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings, List<TextSegment> segments) {
        List<String> ids = generateIds(embeddings == null ? 0 : embeddings.size());
        addAll(ids, embeddings, segments);
        return ids;
    }

    @Override
    public List<String> generateIds(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        if (ids == null || embeddings == null || segments == null) {
            throw new InvalidInputException("addAll needs ids, embeddings and segments; one of them was null");
        }
        if (ids.size() != embeddings.size() || ids.size() != segments.size()) {
            throw new InvalidInputException("addAll was given " + ids.size() + " ids, " + embeddings.size()
                    + " embeddings and " + segments.size() + " segments; the three lists must be the same size");
        }
        List<EmbeddedChunk> chunks = new ArrayList<>(ids.size());
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments.get(i);
            Embedding embedding = embeddings.get(i);
            String id = ids.get(i);
            if (segment == null) {
                throw new InvalidInputException("segment " + i + " (id '" + id + "') was null: " + TEXT_REQUIRED);
            }
            if (embedding == null) {
                throw new InvalidInputException("embedding " + i + " (id '" + id + "') was null");
            }
            EmbeddingIds.ChunkAddress address = EmbeddingIds.toChunk(id);
            String previous = seen.put(address.chunkId(), id);
            if (previous != null) {
                throw new InvalidInputException("ids '" + previous + "' and '" + id + "' both name chunk '"
                        + address.chunkId() + "' in one addAll");
            }
            Chunk chunk = Chunk.of(address.documentId(), address.index(), segment.text(),
                    MetadataMapping.toRagkit(segment.metadata()));
            chunks.add(new EmbeddedChunk(chunk, embedding.vector()));
        }
        if (!chunks.isEmpty()) {
            store.upsert(chunks);
        }
    }

    @Override
    public void remove(String id) {
        removeAll(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new InvalidInputException("removeAll needs at least one id");
        }
        List<String> chunkIds = new ArrayList<>(ids.size());
        for (String id : ids) {
            chunkIds.add(EmbeddingIds.toChunk(id).chunkId());
        }
        store.delete(chunkIds);
    }

    @Override
    public void removeAll(dev.langchain4j.store.embedding.filter.Filter filter) {
        if (filter == null) {
            throw new InvalidInputException("removeAll(filter) needs a filter; removeAll() removes everything");
        }
        removeMatching(FilterTranslation.toRagkit(filter));
    }

    @Override
    public void removeAll() {
        removeMatching(null);
    }

    /** Collects every matching id first, then deletes, so deletions never disturb the scan's cursor. */
    private void removeMatching(Filter filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            ScanPage page = store.scan(filter, cursor, SCAN_PAGE);
            page.chunks().forEach(c -> ids.add(c.id()));
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        for (int from = 0; from < ids.size(); from += SCAN_PAGE) {
            store.delete(ids.subList(from, Math.min(ids.size(), from + SCAN_PAGE)));
        }
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.queryEmbedding() == null) {
            throw new InvalidInputException("the search request has no query embedding");
        }
        // Translate first: an untranslatable filter fails before the store is asked anything.
        Filter filter = FilterTranslation.toRagkit(request.filter());
        SearchRequest search = SearchRequest.dense(request.queryEmbedding().vector(), request.maxResults())
                .withMinScore(toRagkitScore(request.minScore()));
        if (filter != null) {
            search = search.withFilter(filter);
        }
        List<SearchHit> hits = store.search(search);
        Map<String, float[]> vectors = embeddingsInMatches ? vectorsOf(hits) : Map.of();
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            Chunk chunk = hit.chunk();
            float[] vector = vectors.get(chunk.id());
            matches.add(new EmbeddingMatch<>(toLangChain4jScore(hit.score()), EmbeddingIds.toEmbeddingId(chunk),
                    vector == null ? null : Embedding.from(vector),
                    TextSegment.from(chunk.text(), MetadataMapping.toLangChain4j(chunk.metadata()))));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    private Map<String, float[]> vectorsOf(List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return Map.of();
        }
        Map<String, float[]> out = new HashMap<>();
        for (EmbeddedChunk e : store.getEmbedded(hits.stream().map(SearchHit::id).toList())) {
            out.put(e.id(), e.vector());
        }
        return out;
    }

    /** LangChain4j relevance {@code (cos + 1) / 2} as Ragkit's score (the cosine clamped to [0, 1]). */
    static double toRagkitScore(double relevance) {
        return Math.max(0.0, Math.min(1.0, 2 * relevance - 1));
    }

    static double toLangChain4jScore(double ragkitScore) {
        return (ragkitScore + 1) / 2;
    }

    private static InvalidInputException textRequired() {
        return new InvalidInputException(TEXT_REQUIRED);
    }
}
