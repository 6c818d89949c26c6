package dev.ragkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.text.RecursiveSplitter;
import dev.ragkit.core.text.TextAnalyzer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FusionWeightStudyTest {
    private static final String[] TOPICS = {"volcan", "baleine", "cathédrale", "tramway", "fromage", "glacier",
            "violon", "pyramide", "satellite", "orchidée"};

    /** A constant (useless) dense model that declares {@code languages}. */
    private static Embedder constant(Set<String> languages) {
        ConstantEmbedder delegate = new ConstantEmbedder();
        return new Embedder() {
            @Override
            public String id() {
                return "constant-" + languages;
            }

            @Override
            public int dimension() {
                return delegate.dimension();
            }

            @Override
            public Set<String> languages() {
                return languages;
            }

            @Override
            public List<float[]> embedDocuments(List<String> texts) {
                return delegate.embedDocuments(texts);
            }

            @Override
            public float[] embedQuery(String query) {
                return delegate.embedQuery(query);
            }
        };
    }

    private static List<CorpusDocument> corpus() {
        List<CorpusDocument> docs = new ArrayList<>();
        for (int i = 0; i < TOPICS.length; i++) {
            docs.add(new CorpusDocument("piaf-a%03d-p%02d".formatted(i / 2, i % 2), "Article " + i,
                    "Ce passage parle du " + TOPICS[i] + " et de son histoire."));
        }
        return docs;
    }

    private static List<QaExample> questions() {
        List<QaExample> qs = new ArrayList<>();
        for (int i = 0; i < TOPICS.length; i++) {
            qs.add(new QaExample("q" + i, "Quelle est l'histoire du " + TOPICS[i] + " ?", List.of("histoire"),
                    List.of(0), "piaf-a%03d-p%02d".formatted(i / 2, i % 2), "Article " + i));
        }
        return qs;
    }

    @Test
    void aUselessDenseListIsWeightedDownForQueriesInALanguageTheEmbedderLacks() {
        FusionWeightStudy.Result r = FusionWeightStudy.run(corpus(), questions(), constant(Set.of("en")),
                RecursiveSplitter.of(1000, 150), TextAnalyzer.french(), 1, 3, null);
        assertThat(r.detected()).containsEntry("fr", TOPICS.length);
        assertThat(r.curve().get(0.0)).isEqualTo(1.0);
        assertThat(r.curve().get(1.0)).isLessThan(1.0);
        assertThat(r.crossValidatedRecall()).isEqualTo(1.0);
        assertThat(r.foldSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TOPICS.length);
        assertThat(r.foldWeights()).allSatisfy(w -> assertThat(w).isLessThan(1.0));
    }

    @Test
    void queriesInACoveredLanguageKeepWeightOneWhateverTheGridPoint() {
        FusionWeightStudy.Result r = FusionWeightStudy.run(corpus(), questions(), constant(Set.of("en", "fr")),
                RecursiveSplitter.of(1000, 150), TextAnalyzer.french(), 1, 3, null);
        assertThat(new HashSet<>(r.curve().values())).hasSize(1);
    }

    @Test
    void foldsGroupQuestionsByArticle() {
        assertThat(FusionWeightStudy.article("piaf-a012-p03")).isEqualTo("piaf-a012");
        assertThat(FusionWeightStudy.foldOf("piaf-a012", 5)).isEqualTo(FusionWeightStudy.foldOf("piaf-a012", 5))
                .isBetween(0, 4);
    }
}
