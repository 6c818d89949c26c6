package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ragkit.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MixedCorpusStudyTest {
    private static final BeirDataset FRENCH = new BeirDataset("fr", "test", List.of(
            new CorpusDocument("f1", "Château", "Les constructions du château ont commencé en 1575 sous le roi."),
            new CorpusDocument("f2", "Musique", "La chanteuse a enregistré son premier disque à Paris."),
            new CorpusDocument("f3", "Jardin", "Le jardin du château est ouvert aux visiteurs le dimanche.")),
            Map.of("q1", new EvalQuery("q1", "Quand les constructions ont-elles commencé ?"),
                    "q2", new EvalQuery("q2", "Où la chanteuse a-t-elle enregistré son disque ?")),
            Qrels.of(Map.of("q1", Map.of("f1", 1), "q2", Map.of("f2", 1))));
    private static final BeirDataset ENGLISH = new BeirDataset("en", "test", List.of(
            new CorpusDocument("e1", "Databases", "Relational databases are running on the new servers."),
            new CorpusDocument("e2", "Cats", "The cat is sleeping on the sofa in the afternoon."),
            new CorpusDocument("e3", "Constructions", "Constructions of de novo proteins by the lab.")),
            Map.of("q1", new EvalQuery("q1", "Which relational databases are running?"),
                    "q2", new EvalQuery("q2", "Where is the cat sleeping?")),
            Qrels.of(Map.of("q1", Map.of("e1", 1), "q2", Map.of("e2", 1))));

    @Test
    void scoresEachDatasetAloneAndMixedWithEachAnalyzer() {
        List<MixedCorpusStudy.Row> rows = MixedCorpusStudy.run(List.of(FRENCH, ENGLISH), List.of("auto", "english"),
                List.of(1, 5));
        assertThat(rows).extracting(MixedCorpusStudy.Row::analyzer).containsExactly("auto", "auto", "english", "english");
        assertThat(rows).extracting(MixedCorpusStudy.Row::dataset).containsExactly("fr", "en", "fr", "en");
        for (MixedCorpusStudy.Row row : rows.subList(0, 2)) {
            // auto reads each corpus in its language: every query finds its document first, alone and mixed
            assertThat(row.alone().mean(RetrievalMetric.RECALL, 1)).as(row.dataset()).isEqualTo(1.0);
            assertThat(row.mixed().mean(RetrievalMetric.RECALL, 1)).as(row.dataset()).isEqualTo(1.0);
        }
        assertThat(rows.get(2).alone().queries()).isEqualTo(2);
    }

    @Test
    void refusesDatasetsThatShareADocumentId() {
        BeirDataset twin = new BeirDataset("twin", "test", List.of(new CorpusDocument("f1", "", "x")),
                Map.of("q", new EvalQuery("q", "x")), Qrels.of(Map.of("q", Map.of("f1", 1))));
        assertThatThrownBy(() -> MixedCorpusStudy.run(List.of(FRENCH, twin), List.of("auto"), List.of(5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("document id 'f1' of twin is also in another dataset given; a mixed index needs distinct ids");
    }
}
