package dev.ragkit.guard;

import dev.ragkit.guard.internal.LinearModel;
import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.ToxicityRules;
import java.util.List;
import java.util.Objects;

/**
 * Scores toxic language (insults, obscenity, threats, hate) in French and English: a logistic
 * regression over hashed character n-grams of the canonical text (so "1d10t" and "c.o.n.n.a.r.d"
 * read as words) plus lexicon features, trained by {@code TrainGuards} on the development splits.
 * French slurs and a group of people called vermin or ranked below others score at least
 * {@link #SLUR_FLOOR} whatever the model says: the translated training comments hold too few of them.
 *
 * <p>Immutable and thread-safe; {@link #standard()} loads the bundled model once.
 */
public final class ToxicityDetector {
    /** The bundled model resource. */
    public static final String MODEL = "/dev/ragkit/guard/toxicity.model";

    /**
     * The least score of a text with a French slur or a dehumanising generalisation (rules
     * "slur-fr", "dehumanize-fr"): well above the bundled threshold (0.41) and the 0.45 suggested
     * for French questions, so raising the threshold within reason keeps blocking them.
     */
    public static final double SLUR_FLOOR = 0.9;

    /**
     * The factor on the model's probability when no lexicon word is present (see
     * {@link TextClassifier#withoutRuleFactor}). The model learnt from Jigsaw comments, half of them
     * toxic, and little ordinary French: alone, it flagged one in eight of PIAF's real French
     * questions ("Qui meurt ?", "Où est l'Ouganda ?"). 69% of the toxic French rows and 75% of the
     * English ones contain a lexicon word, against 3% and 0.5% of the others, so a text without one
     * must convince the model twice as much. Out-of-fold F1 on the training part: French 0.807
     * without the factor, 0.819 with it; English 0.864 and 0.868.
     */
    public static final double WITHOUT_LEXICON_WORD = 0.5;

    private static volatile ToxicityDetector standard;

    private final TextClassifier classifier;
    private final double threshold;

    private ToxicityDetector(LinearModel model, double threshold) {
        this.classifier = new TextClassifier(ToxicityRules.RULES, model).withoutRuleFactor(WITHOUT_LEXICON_WORD);
        this.threshold = threshold;
    }

    /** The detector with the bundled model and the threshold chosen at training time. */
    public static ToxicityDetector standard() {
        ToxicityDetector d = standard;
        if (d == null) {
            LinearModel model = LinearModel.fromResource(MODEL);
            d = new ToxicityDetector(model, model.threshold());
            standard = d;
        }
        return d;
    }

    /** The bundled model with another threshold in (0, 1). */
    public ToxicityDetector withThreshold(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold was " + threshold + " but it must be within (0, 1)");
        }
        return new ToxicityDetector(LinearModel.fromResource(MODEL), threshold);
    }

    /** The score at and above which a text counts as toxic. */
    public double threshold() {
        return threshold;
    }

    /** The toxicity score of {@code text}. */
    public GuardScore score(String text) {
        Objects.requireNonNull(text, "text");
        return classifier.score(text);
    }

    /** True when {@link #score} reaches {@link #threshold()}. */
    public boolean isToxic(String text) {
        return score(text).score() >= threshold;
    }
}
