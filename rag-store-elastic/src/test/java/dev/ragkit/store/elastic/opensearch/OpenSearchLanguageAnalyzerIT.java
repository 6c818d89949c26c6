package dev.ragkit.store.elastic.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.EmbeddedChunk;
import dev.ragkit.core.model.SearchHit;
import dev.ragkit.core.model.SearchRequest;
import dev.ragkit.core.spi.VectorStore;
import dev.ragkit.store.elastic.IndexOptions;
import dev.ragkit.store.elastic.internal.opensearch.OpenSearchEngine;
import dev.ragkit.store.elastic.nodes.SearchNodeKind;
import dev.ragkit.store.elastic.nodes.UsesSearchNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code french} and {@code english} analyzers on the real OpenSearch node: its integ-test-zip carries the
 * {@code analysis-common} module that provides them (Elasticsearch's does not, see the README). Keyword search
 * finds inflected forms through the server's stemming, and the {@code standard} analyzer on the same chunks does
 * not, so the stemming, not the store's own folding, is what matched.
 */
@UsesSearchNodes(SearchNodeKind.OPENSEARCH)
class OpenSearchLanguageAnalyzerIT {
    @TempDir
    Path directory;

    private String index(String language) {
        return OpenSearchTestIndices.indexFor("os-lang-" + language, directory);
    }

    @AfterEach
    void deleteIndices() {
        for (String language : IndexOptions.LANGUAGES) {
            OpenSearchTestIndices.deleteIndices(index(language));
        }
    }

    private VectorStore store(String language, List<Chunk> chunks) {
        VectorStore store = OpenSearchVectorStore.builder().connection(OpenSearchTestIndices.connection())
                .index(index(language)).dimension(3)
                .options(OpenSearchEngine.defaultOptions().withLanguage(language)).build();
        float[][] vectors = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
        List<EmbeddedChunk> embedded = new java.util.ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            embedded.add(new EmbeddedChunk(chunks.get(i), vectors[i % vectors.length]));
        }
        store.upsert(embedded);
        return store;
    }

    private static List<String> keywordIds(VectorStore store, String text) {
        return store.search(SearchRequest.keyword(text, 10)).stream().map(SearchHit::id).sorted().toList();
    }

    private static final List<Chunk> FRENCH = List.of(
            Chunk.of("ecurie", 0, "Les chevaux de l'écurie galopent dans le pré.", Map.of()),
            Chunk.of("ecurie", 1, "Un cheval blanc mange du foin.", Map.of()),
            Chunk.of("ferme", 0, "La ferme élève des vaches laitières.", Map.of()));

    private static final List<Chunk> ENGLISH = List.of(
            Chunk.of("stable", 0, "The horses were running across the field.", Map.of()),
            Chunk.of("stable", 1, "A horse runs faster than a dog.", Map.of()),
            Chunk.of("farm", 0, "The farm keeps dairy cows.", Map.of()));

    @Test
    void frenchStemmingMatchesThePluralAndTheSingular() {
        try (VectorStore store = store(IndexOptions.FRENCH, FRENCH)) {
            String chevaux = FRENCH.get(0).id();
            String cheval = FRENCH.get(1).id();
            // "chevaux" and "cheval" both stem to "cheval": either form finds both chunks.
            assertThat(keywordIds(store, "cheval")).containsExactlyInAnyOrder(chevaux, cheval);
            assertThat(keywordIds(store, "chevaux")).containsExactlyInAnyOrder(chevaux, cheval);
            // Stop words ("les", "de", "la") and elision ("l'") do not match: only the content word does.
            assertThat(keywordIds(store, "les écuries")).containsExactly(chevaux);
            assertThat(keywordIds(store, "la de les")).isEmpty();
        }
        try (VectorStore store = store(IndexOptions.STANDARD, FRENCH)) {
            assertThat(keywordIds(store, "cheval")).containsExactly(FRENCH.get(1).id());
            assertThat(keywordIds(store, "chevaux")).containsExactly(FRENCH.get(0).id());
        }
    }

    @Test
    void englishStemmingMatchesInflectedForms() {
        try (VectorStore store = store(IndexOptions.ENGLISH, ENGLISH)) {
            String running = ENGLISH.get(0).id();
            String runs = ENGLISH.get(1).id();
            assertThat(keywordIds(store, "horse")).containsExactlyInAnyOrder(running, runs);
            assertThat(keywordIds(store, "run")).containsExactlyInAnyOrder(running, runs);
            assertThat(keywordIds(store, "the a to")).isEmpty();
        }
        try (VectorStore store = store(IndexOptions.STANDARD, ENGLISH)) {
            assertThat(keywordIds(store, "horse")).containsExactly(ENGLISH.get(1).id());
            assertThat(keywordIds(store, "run")).isEmpty();
        }
    }
}
