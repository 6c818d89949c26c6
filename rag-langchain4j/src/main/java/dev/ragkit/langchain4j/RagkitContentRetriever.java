package dev.ragkit.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.ragkit.core.InvalidInputException;
import dev.ragkit.core.model.Filter;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.retrieval.Retriever;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Ragkit {@link Retriever} (dense, keyword or hybrid, with its embedder cache, metrics and traces) as a
 * LangChain4j {@link ContentRetriever}, for {@code AiServices.builder(...).contentRetriever(...)} or
 * LangChain4j's {@code DefaultRetrievalAugmentor}. Each {@link Content} carries the chunk's text and metadata
 * (see {@link MetadataMapping}), its score on LangChain4j's scale ({@link ContentMetadata#SCORE}) and its
 * id ({@link ContentMetadata#EMBEDDING_ID}, see {@link EmbeddingIds}).
 */
public final class RagkitContentRetriever implements ContentRetriever {
    private final Retriever retriever;
    private final Function<Query, Filter> filter;

    private RagkitContentRetriever(Retriever retriever, Function<Query, Filter> filter) {
        this.retriever = Objects.requireNonNull(retriever, "retriever");
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    /** Retrieves with the retriever's own settings and no filter. */
    public static RagkitContentRetriever of(Retriever retriever) {
        return new RagkitContentRetriever(retriever, q -> null);
    }

    /**
     * Retrieves with a filter chosen per query (for instance from the user or tenant in the query's
     * metadata); a null filter means none.
     */
    public static RagkitContentRetriever withFilter(Retriever retriever, Function<Query, Filter> filter) {
        return new RagkitContentRetriever(retriever, filter);
    }

    @Override
    public List<Content> retrieve(Query query) {
        if (query == null || query.text() == null || query.text().isBlank()) {
            throw new InvalidInputException("the query to retrieve for was empty");
        }
        List<SearchHit> hits = retriever.retrieve(query.text(), filter.apply(query), retriever.topK());
        return toContents(hits);
    }

    static List<Content> toContents(List<SearchHit> hits) {
        List<Content> contents = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            TextSegment segment = TextSegment.from(hit.chunk().text(), MetadataMapping.toLangChain4j(hit.chunk().metadata()));
            contents.add(Content.from(segment, Map.of(
                    ContentMetadata.SCORE, RagkitEmbeddingStore.toLangChain4jScore(hit.score()),
                    ContentMetadata.EMBEDDING_ID, EmbeddingIds.toEmbeddingId(hit.chunk()))));
        }
        return contents;
    }
}
