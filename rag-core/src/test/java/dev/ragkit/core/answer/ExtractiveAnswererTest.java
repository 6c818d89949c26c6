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

    @Test
    void quotedSourcesAreNumberedWithoutGapsAndQuotedInThatOrder() {
        List<SearchHit> sources = List.of(
                hit("a", "Tombstones are compacted when they exceed a quarter of the index.", 0.9),
                hit("b", "Nothing relevant is said here about anything at all.", 0.8),
                hit("c", "The journal is replayed on open. Compaction rewrites the snapshot of the index.", 0.7),
                hit("d", "The index journal records every write before it is applied.", 0.6));
        ExtractiveAnswerer.Result result = ExtractiveAnswerer.defaults()
                .answer("When is the index journal compacted into a snapshot?", sources, "no language model configured");
        List<String> lines = result.text().lines().skip(1).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> l.substring(l.lastIndexOf('['))).containsExactly("[1]", "[2]", "[3]");
        assertThat(result.citations()).extracting(c -> c.number()).containsExactly(1, 2, 3);
        assertThat(result.citations()).extracting(c -> c.documentId()).containsExactly("a", "c", "d");
    }

    @Test
    void aQuestionAboutAQuantityQuotesTheSentenceThatStatesIt() {
        String chunk = "La sonde W-200 se fixe sur un rail DIN. Elle s'alimente en 24 V continu et consomme 2 W."
                + " Son boîtier gris résiste à la poussière.";
        for (String question : List.of("Quelle tension faut-il pour alimenter la sonde W-200 ?",
                "Quelle est la tension de la sonde W-200 ?", "What voltage does the W-200 probe need?")) {
            ExtractiveAnswerer.Result result = new ExtractiveAnswerer(dev.ragkit.core.text.TextAnalyzer.frenchEnglish(), 1)
                    .answer(question, List.of(hit("w200", chunk, 0.9)), "no language model configured");
            assertThat(result.text()).as(question).contains("24 V continu");
        }
    }
}
