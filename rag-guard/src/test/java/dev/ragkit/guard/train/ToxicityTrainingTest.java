package dev.ragkit.guard.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ragkit.guard.train.TrainGuards.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToxicityTrainingTest {
    private static List<Integer> all(int n) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        return rows;
    }

    @Test
    void thresholdBalancesClassesAndTiesGoHigh() {
        // Two toxic rows at 0.9 and 0.6, two labelled negatives at 0.3: any threshold in (0.3, 0.6] is perfect;
        // the highest, 0.60, is taken.
        List<Example> y = List.of(new Example("mlma", "a", true), new Example("mlma", "b", true),
                new Example("mlma", "c", false), new Example("mlma", "d", false));
        double[] scores = {0.9, 0.6, 0.3, 0.3};
        assertThat(ToxicityTraining.threshold(scores, y, all(4))).isEqualTo(0.60, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void thresholdFlagsAtMostOnePercentOfRealQuestions() {
        // A toxic row at 0.5 would be caught at 0.5, but then 2 of 100 questions (scored 0.55) are flagged:
        // the threshold must stay above them, even though F1 on the labelled rows drops.
        List<Example> y = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        y.add(new Example("mlma", "t1", true));
        s.add(0.95);
        y.add(new Example("mlma", "t2", true));
        s.add(0.5);
        for (int i = 0; i < 100; i++) {
            y.add(new Example(ToxicityTraining.QUESTIONS, "q" + i, false));
            s.add(i < 2 ? 0.55 : 0.1);
        }
        double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
        double th = ToxicityTraining.threshold(scores, y, all(y.size()));
        assertThat(th).isGreaterThan(0.55);
        int[] c = ToxicityTraining.counts(scores, y, all(y.size()), th);
        assertThat(c[1]).isZero(); // no question flagged
        assertThat(c[0]).isEqualTo(1);
    }

    @Test
    void ftrNotRacistRowsCountAsOneFtrSourceWhenLeftOut() {
        assertThat(ToxicityTraining.UNITS.get("ftr").test(ToxicityTraining.FTR_NEGATIVE)).isTrue();
        assertThat(ToxicityTraining.UNITS.get("ftr").test(ToxicityTraining.FTR)).isTrue();
        assertThat(ToxicityTraining.UNITS.get("all native French (mlma+ftr+hatecheck)").test(ToxicityTraining.MLMA)).isTrue();
        assertThat(ToxicityTraining.UNITS.get("jigsaw (en+fr)").test(ToxicityTraining.JIGSAW_FR)).isTrue();
        assertThat(ToxicityTraining.UNITS.get("mlma").test(ToxicityTraining.HATECHECK)).isFalse();
        assertThat(ToxicityTraining.ordinary(ToxicityTraining.QUESTIONS)).isTrue();
        assertThat(ToxicityTraining.ordinary(ToxicityTraining.MLMA)).isFalse();
    }

    @Test
    void ftrNotRacistRowsAreNegativesOnlyWithoutALexiconWord() {
        // FTR's 0 means "not racist": a death wish or an insult there is no "not toxic" label.
        assertThat(ToxicityTraining.lexiconHit("crève charogne, personne te regrettera")).isTrue();
        assertThat(ToxicityTraining.lexiconHit("quel connard celui-là")).isTrue();
        assertThat(ToxicityTraining.lexiconHit("Je pars en vacances demain avec ma famille")).isFalse();
    }

    @Test
    void eachLanguageWithEnoughRowsOfEachClassGetsItsOwnThreshold() {
        // French: 120 toxic rows at 0.3, 120 negatives at 0.1. English: 100 toxic at 0.8, 150 negatives
        // at 0.5. German: 20 toxic at 0.9, 20 negatives at 0.2 (too few, and no German threshold is made).
        List<Example> y = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        List<String> lang = new ArrayList<>();
        add(y, s, lang, "fr", 120, 0.3, 120, 0.1);
        add(y, s, lang, "en", 100, 0.8, 150, 0.5);
        add(y, s, lang, "de", 20, 0.9, 20, 0.2);
        double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
        String[] languages = lang.toArray(String[]::new);
        var th = ToxicityTraining.thresholds(scores, y, all(y.size()), languages);
        assertThat(th).containsOnlyKeys("all", "fr", "en");
        assertThat(th.get("fr")).isEqualTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(th.get("en")).isEqualTo(0.80, org.assertj.core.data.Offset.offset(1e-9));
        // One threshold for all must flag the English negatives at 0.5 to catch the French toxic rows at 0.3.
        assertThat(th.get("all")).isEqualTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ToxicityTraining.counts(scores, y, all(y.size()), th.get("all"))[1]).isEqualTo(150);
        int[] c = ToxicityTraining.counts(scores, y, all(y.size()), th, languages);
        assertThat(c[0]).as("every toxic row caught at its language's threshold").isEqualTo(240);
        assertThat(c[1]).as("no negative flagged: German falls back to the general 0.30, above its 0.2").isZero();
    }

    private static void add(List<Example> y, List<Double> s, List<String> lang, String l, int pos, double posScore,
            int neg, double negScore) {
        for (int i = 0; i < pos + neg; i++) {
            y.add(new Example("mlma", l + i, i < pos));
            s.add(i < pos ? posScore : negScore);
            lang.add(l);
        }
    }

    @Test
    void conversationalTweetsAreTheFittedFtrNegatives() {
        assertThat(ToxicityTraining.conversational(new Example(ToxicityTraining.FTR, "t", false))).isTrue();
        assertThat(ToxicityTraining.conversational(new Example(ToxicityTraining.FTR, "t", true))).isFalse();
        assertThat(ToxicityTraining.conversational(new Example(ToxicityTraining.FTR_NEGATIVE, "t", false))).isFalse();
        assertThat(ToxicityTraining.conversational(new Example(ToxicityTraining.MLMA, "t", false))).isFalse();
    }
}
