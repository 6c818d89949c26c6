package dev.ragkit.guard;

import dev.ragkit.core.spi.Embedder;
import dev.ragkit.core.spi.GuardVerdict;
import dev.ragkit.guard.internal.EncoderScorer;
import dev.ragkit.guard.internal.LinearModel;
import dev.ragkit.guard.internal.TextClassifier;
import dev.ragkit.guard.internal.ToxicityRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Scores toxic language (insults, obscenity, threats, hate) in French and English: a logistic
 * regression over hashed character n-grams of the canonical text (so "1d10t" and "c.o.n.n.a.r.d"
 * read as words) plus lexicon features, trained by {@code TrainGuards} on the development splits.
 * French slurs and a group of people called vermin or ranked below others score at least
 * {@link #SLUR_FLOOR} whatever the model says: the translated training comments hold too few of them.
 *
 * <p>{@link #withEncoder} adds a sentence encoder's view: a logistic-regression head over the query
 * vector of the pipeline's own embedder, trained by {@code TrainEncoderHeads} (rag-tools) on every
 * development file including the native French tweets and HateCheck cases, blended with the n-gram
 * score, with a threshold per language.
 *
 * <p>Immutable and thread-safe; {@link #standard()} loads the bundled model once.
 */
public final class ToxicityDetector {
    /** The bundled model resource. */
    public static final String MODEL = "/dev/ragkit/guard/toxicity.model";

    /**
     * The least score of a text with a French slur or a dehumanising generalisation (rules
     * "slur-fr", "dehumanize-fr"): well above the bundled thresholds (0.18 to 0.28) and the 0.45 suggested
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

    /** The task name of the toxicity encoder heads ({@code /dev/ragkit/guard/toxicity-<model>.head}). */
    public static final String TASK = "toxicity";

    private final TextClassifier classifier;
    private final double threshold;
    /** True when the host chose the threshold: it then holds for every language, with or without a head. */
    private final boolean customThreshold;
    /** The encoder head and its embedder, or null: n-gram model only. */
    private final EncoderScorer encoder;
    /** Why there is no encoder head (null when there is one, or when none was asked for). */
    private final String fallback;

    private ToxicityDetector(TextClassifier classifier, double threshold, boolean customThreshold,
                             EncoderScorer encoder, String fallback) {
        this.classifier = classifier;
        this.threshold = threshold;
        this.customThreshold = customThreshold;
        this.encoder = encoder;
        this.fallback = fallback;
    }

    /** The detector with the bundled model and the threshold chosen at training time. */
    public static ToxicityDetector standard() {
        ToxicityDetector d = standard;
        if (d == null) {
            LinearModel model = LinearModel.fromResource(MODEL);
            d = new ToxicityDetector(new TextClassifier(ToxicityRules.RULES, model).withoutRuleFactor(WITHOUT_LEXICON_WORD),
                    model.threshold(), false, null, null);
            standard = d;
        }
        return d;
    }

    /**
     * This detector with the bundled encoder head trained for {@code embedder} (its {@link Embedder#id()}
     * must match a shipped head, e.g. {@code onnx:all-minilm-l6-v2-q}): the score becomes the blend of
     * the n-gram score and the head's probability (see {@link EncoderHead#combined}), with the head's
     * per-language thresholds. Without a head for that embedder the detector stays on the n-gram
     * model and {@link #describe()} says why.
     */
    public ToxicityDetector withEncoder(Embedder embedder) {
        Objects.requireNonNull(embedder, "embedder");
        EncoderHead head = EncoderScorer.bundledHead(TASK, embedder.id());
        if (head == null) {
            return new ToxicityDetector(classifier, customThreshold ? threshold : classifier.threshold(),
                    customThreshold, null, "no encoder head for embedder '" + embedder.id() + "' (heads ship for "
                            + EncoderScorer.bundledEmbedders(TASK) + ")");
        }
        return new ToxicityDetector(classifier, customThreshold ? threshold : head.threshold("all"),
                customThreshold, EncoderScorer.of(head, embedder), null);
    }

    /**
     * This detector with {@code head} (e.g. one trained by {@code TrainEncoderHeads} for another
     * embedder) over {@code embedder}.
     *
     * @throws IllegalArgumentException if the head is for another task, embedder id or dimension
     */
    public ToxicityDetector withEncoder(Embedder embedder, EncoderHead head) {
        if (!head.task().equals(TASK)) {
            throw new IllegalArgumentException("the encoder head " + head.id() + " scores " + head.task() + ", not " + TASK);
        }
        return new ToxicityDetector(classifier, customThreshold ? threshold : head.threshold("all"),
                customThreshold, EncoderScorer.of(head, embedder), null);
    }

    /** The same models with another threshold in (0, 1), for every language. */
    public ToxicityDetector withThreshold(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold was " + threshold + " but it must be within (0, 1)");
        }
        return new ToxicityDetector(classifier, threshold, true, encoder, fallback);
    }

    /** The encoder head in use, if any. */
    public Optional<EncoderHead> encoderHead() {
        return encoder == null ? Optional.empty() : Optional.of(encoder.head());
    }

    /** What decides: the n-gram model alone (and why, when a head was asked for) or the blend with a head. */
    public String describe() {
        if (encoder != null && encoder.head().blend() == 0) {
            return "n-gram model only: the encoder head " + encoder.head().id() + " has blend weight 0 (measured no"
                    + " better than the n-gram model), so no encoder pass is made";
        }
        if (encoder != null) {
            return "n-gram model blended with encoder head " + encoder.head().id();
        }
        return fallback == null ? "n-gram model only" : "n-gram model only: " + fallback;
    }

    /** The score at and above which a text counts as toxic (the general threshold). */
    public double threshold() {
        return threshold;
    }

    /**
     * The threshold for a text judged to be in {@code language} ({@link GuardLanguage#of}): the host's
     * when it set one; else the encoder head's for that language when a head is in use; else the n-gram
     * model's own for that language ({@link #ngramThreshold(String)}).
     */
    public double threshold(String language) {
        if (customThreshold) {
            return threshold;
        }
        return encoder == null ? ngramThreshold(language) : encoder.head().threshold(language);
    }

    /**
     * The toxicity score of {@code text} and its signals: lexicon rules ({@code rule:insult-fr}),
     * {@code model-only}, {@code lang:<xx>} (the language judged) and, without a head, {@code ngram-only}.
     */
    public GuardScore score(String text) {
        Objects.requireNonNull(text, "text");
        return score(text, GuardLanguage.of(text));
    }

    private GuardScore score(String text, String language) {
        GuardScore ngram = classifier.score(text);
        List<String> signals = new ArrayList<>(ngram.signals());
        signals.add("lang:" + language);
        if (encoder == null) {
            signals.add("ngram-only");
            return new GuardScore(ngram.score(), signals);
        }
        if (encoder.head().blend() == 0) {
            // Training measured the head no better than the n-gram model for this encoder: no encoder pass.
            signals.add("ngram-only");
            return new GuardScore(ngram.score(), signals);
        }
        OptionalDouble p = encoder.probability(text);
        if (p.isEmpty()) {
            signals.add("encoder-unavailable");
            return new GuardScore(ngram.score(), signals);
        }
        signals.add(String.format(java.util.Locale.ROOT, "head:%.2f", p.getAsDouble()));
        return new GuardScore(encoder.head().combined(p.getAsDouble(), ngram.score()), signals);
    }

    /**
     * The n-gram model's score alone, with the language judged (no encoder pass): for retrieved chunks,
     * which must not each pay an encoder pass per question.
     */
    public GuardScore ngramScore(String text) {
        Objects.requireNonNull(text, "text");
        return ngramScore(text, GuardLanguage.of(text));
    }

    private GuardScore ngramScore(String text, String language) {
        GuardScore ngram = classifier.score(text);
        List<String> signals = new ArrayList<>(ngram.signals());
        signals.add("lang:" + language);
        return new GuardScore(ngram.score(), signals);
    }

    /**
     * The verdict on {@code text}, its language judged once: a retrieved chunk by the n-gram model alone
     * at {@link #ngramThreshold(String)}, anything else by {@link #score} at {@link #threshold(String)}.
     */
    GuardVerdict verdict(String text, boolean retrievedChunk) {
        Objects.requireNonNull(text, "text");
        String language = GuardLanguage.of(text);
        return retrievedChunk
                ? ngramScore(text, language).verdict(TASK, ngramThreshold(language))
                : score(text, language).verdict(TASK, threshold(language));
    }

    /** The general threshold the n-gram model was trained with (for languages without their own). */
    public double ngramThreshold() {
        return classifier.threshold();
    }

    /**
     * The n-gram model's threshold for a text judged to be in {@code language}: chosen for that
     * language at training time by the same cross-validation rule as the general one (where the
     * language had enough rows of each class), else the general {@link #ngramThreshold()}. It decides
     * {@link #ngramScore} (retrieved chunks) and, without an encoder head, {@link #score}; a threshold
     * set by the host ({@link #withThreshold}) overrides it.
     */
    public double ngramThreshold(String language) {
        if (customThreshold) {
            return threshold;
        }
        return classifier.threshold(language);
    }

    /** True when {@link #score} reaches {@link #threshold(String)} for the text's language. */
    public boolean isToxic(String text) {
        String language = GuardLanguage.of(text);
        return score(text, language).score() >= threshold(language);
    }
}
