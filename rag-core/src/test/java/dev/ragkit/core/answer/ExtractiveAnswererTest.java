package dev.ragkit.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.model.Chunk;
import dev.ragkit.core.model.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {
    private static SearchHit hit(String doc, String text, double score) {
        return new SearchHit(Chunk.of(doc, 0, text, Map.of("title", doc.toUpperCase())), score);
    }

    @Test
    void quotesTheBestSentencesWithTheirSourceNumbers() {
        List<SearchHit> sources = List.of(
                hit("bm25", "BM25 is a ranking function. Its parameters k1 and b control saturation and length.", 0.9),
                hit("faiss", "FAISS searches dense vectors. It was written at Meta.", 0.5));
        ExtractiveAnswerer.Result result = ExtractiveAnswerer.defaults()
                .answer("What do the parameters k1 and b of BM25 control?", sources, "no language model configured");
        assertThat(result.text()).startsWith("Extractive answer (no language model configured)");
        assertThat(result.text()).contains("- Its parameters k1 and b control saturation and length. [1]");
        assertThat(result.citations()).extracting(c -> c.documentId()).containsExactly("bm25");
        assertThat(result.citations().get(0).title()).isEqualTo("BM25");
    }

    @Test
    void markdownHeadingsAndListMarkersAreNotQuoted() {
        String markdown = "# Ingestion\n\nRagkit ingests documents incrementally.\n- Unchanged documents embed "
                + "nothing at all. - Changed documents re-embed only changed chunks.\n1. Deleted documents lose "
                + "every chunk they had.";
        ExtractiveAnswerer.Result result = ExtractiveAnswerer.defaults()
                .answer("What happens to unchanged, changed and deleted documents?",
                        List.of(hit("ingestion", markdown, 0.8)), "no language model configured");
        assertThat(result.text()).doesNotContain("- -").doesNotContain("# Ingestion").doesNotContain("- 1.");
        assertThat(result.text()).contains("- Unchanged documents embed nothing at all. [1]");
    }

    @Test
    void frenchQuestionsGetAFrenchHeader() {
        ExtractiveAnswerer.Result result = ExtractiveAnswerer.defaults().answer(
                "Qui a constitué le jeu de données PIAF ?",
                List.of(hit("piaf", "Le jeu de données PIAF a été constitué par des bénévoles.", 0.7)),
                "aucun modèle de langage configuré");
        assertThat(result.text()).startsWith("Réponse extractive (aucun modèle de langage configuré)");
        assertThat(result.citations()).hasSize(1);
    }
}
