package dev.ragkit.guard.internal;

import dev.ragkit.guard.GuardScore;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A binary text classifier: a {@link LinearModel} over hashed n-grams of the canonical text plus
 * named rule features, optionally averaged with a {@link SemanticScorer} (the n-grams see wording,
 * the token vectors see meaning; each alone ranks differently wrong), and "strong" rules that set a
 * floor on the score. Long texts are also scored in windows so one bad sentence inside a long chunk
 * is not diluted; base64 payloads are decoded and scored too. The final score is the maximum. With
 * a {@link FrenchGloss}, the models read French text through its English gloss (the rules' floors
 * still apply to the French words).
 *
 * <p>Immutable and thread-safe.
 */
public final class TextClassifier {
    /** Hash size used for every bundled model. */
    public static final int BITS = 18;
    private static final int WINDOW = 800;
    private static final FeatureHasher HASHER = new FeatureHasher(BITS);

    /** A named pattern over the canonical text; a strong rule alone puts the score at {@code floor}. */
    public record Rule(String name, Pattern pattern, double floor, List<String> triggers) {
        public Rule {
            triggers = List.copyOf(triggers);
        }

        /**
         * A rule adding a feature. {@code triggers}: substrings one of which any match contains; the
         * regex only runs when one is present, which keeps a check on a long text cheap.
         */
        public static Rule weak(String name, String regex, String... triggers) {
            return new Rule(name, Pattern.compile(regex), 0, List.of(triggers));
        }

        /** A rule adding a feature and putting the score at {@code floor} or above. */
        public static Rule strong(String name, String regex, double floor, String... triggers) {
            return new Rule(name, Pattern.compile(regex), floor, List.of(triggers));
        }

        /** True when the rule matches somewhere in the canonical text. */
        public boolean matches(String canonical) {
            if (!triggers.isEmpty()) {
                boolean any = false;
                for (String t : triggers) {
                    if (canonical.contains(t)) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return pattern.matcher(canonical).find();
        }
    }

    private final List<Rule> rules;
    private final LinearModel model;
    private final SemanticScorer semantic;
    private final FrenchGloss gloss;
    private final GermanGloss german;
    private final double withoutRule;

    /** A classifier applying {@code rules} (as features and floors) and {@code model}. */
    public TextClassifier(List<Rule> rules, LinearModel model) {
        this(rules, model, null);
    }

    /**
     * A classifier whose model probability is the mean of {@code model}'s and {@code semantic}'s
     * ({@code null}: the n-gram model alone).
     */
    public TextClassifier(List<Rule> rules, LinearModel model, SemanticScorer semantic) {
        this(rules, model, semantic, null);
    }

    /**
     * As {@link #TextClassifier(List, LinearModel, SemanticScorer)}, the models reading French text
     * through {@code gloss} ({@code null}: as it is). Train with the same gloss ({@link #modelView}).
     */
    public TextClassifier(List<Rule> rules, LinearModel model, SemanticScorer semantic, FrenchGloss gloss) {
        this(rules, model, semantic, gloss, null, 1);
    }

    /**
     * As {@link #TextClassifier(List, LinearModel, SemanticScorer, FrenchGloss)}, the models also
     * reading the German sentences of a text that is not French through {@code german} ({@code null}:
     * as they are). Train with the same glosses ({@link #modelView(String, FrenchGloss, GermanGloss)}).
     */
    public TextClassifier(List<Rule> rules, LinearModel model, SemanticScorer semantic, FrenchGloss gloss,
            GermanGloss german) {
        this(rules, model, semantic, gloss, german, 1);
    }

    private TextClassifier(List<Rule> rules, LinearModel model, SemanticScorer semantic, FrenchGloss gloss,
            GermanGloss german, double withoutRule) {
        this.rules = List.copyOf(rules);
        this.model = model;
        this.semantic = semantic;
        this.gloss = gloss;
        this.german = german;
        this.withoutRule = withoutRule;
    }

    /**
     * This classifier, with the model probability of a text no rule fires on multiplied by
     * {@code factor} in (0, 1]: the rules are then the evidence the model needs to be believed at
     * full strength (1: off, the default). Train with the same factor, so the threshold is chosen
     * on the final scores.
     */
    public TextClassifier withoutRuleFactor(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("factor was " + factor + " but it must be within (0, 1]");
        }
        return new TextClassifier(rules, model, semantic, gloss, german, factor);
    }

    /** The text the models read for a canonical text: its gloss when French and {@code gloss} is set. */
    public static String modelView(String canonical, FrenchGloss gloss) {
        return gloss == null ? canonical : gloss.view(canonical);
    }

    /**
     * The text the models read: the French gloss of a French text, else, with {@code german}, the
     * text with its German sentences glossed; else the canonical text.
     */
    public static String modelView(String canonical, FrenchGloss gloss, GermanGloss german) {
        String view = modelView(canonical, gloss);
        return german == null || !view.equals(canonical) ? view : german.view(canonical);
    }

    /** The threshold stored with the model. */
    public double threshold() {
        return model == null ? 0.5 : model.threshold();
    }

    /** The model's threshold for a text judged to be in {@code language}: its own, else {@link #threshold()}. */
    public double threshold(String language) {
        return model == null ? 0.5 : model.threshold(language);
    }

    /**
     * The feature vector of one canonical text: n-grams, its length class and the names of the rules
     * that fire.
     */
    public static FeatureHasher.Sparse features(String canonical, List<Rule> rules, List<String> hits) {
        List<String> extras = new ArrayList<>();
        extras.add(lengthClass(canonical));
        for (Rule r : rules) {
            if (r.matches(canonical)) {
                extras.add("rule:" + r.name());
                if (hits != null) {
                    hits.add("rule:" + r.name());
                }
            }
        }
        return HASHER.vectorize(canonical, extras);
    }

    /**
     * A feature naming the text's length class. The labelled sets disagree by length: a short "act
     * as a debater" request is an injection in the deepset rows, while the jackhhao set's long
     * role-play system prompts are benign. With the class as a feature the model can put a different
     * prior on each (5-fold CV on deepset, mean of three seeds: F1 0.897 without, 0.910 with; finer
     * classes did the same).
     */
    static String lengthClass(String canonical) {
        int n = canonical.length();
        return n < 80 ? "length:under-80" : n < 250 ? "length:under-250" : n < 800 ? "length:under-800" : "length:long";
    }

    /** Scores a raw text. */
    public GuardScore score(String text) {
        List<String> signals = new ArrayList<>();
        double best = scoreCanonical(TextNormalizer.canonical(text), signals);
        for (String payload : TextNormalizer.base64Payloads(text)) {
            List<String> inner = new ArrayList<>();
            double s = scoreCanonical(TextNormalizer.canonical(payload), inner);
            if (s > best) {
                best = s;
            }
            if (s >= threshold()) {
                signals.add("base64-payload");
                signals.addAll(inner);
            }
        }
        return new GuardScore(Math.min(1, Math.max(0, best)), signals.stream().distinct().toList());
    }

    private double scoreCanonical(String canonical, List<String> signals) {
        String view = modelView(canonical, gloss, german);
        List<String> hits = new ArrayList<>();
        double p = blend(model.probability(features(view, rules, hits)), view);
        if (!view.equals(canonical)) {
            signals.add(FrenchGloss.isFrench(canonical) ? "gloss:fr" : "gloss:de");
            // The French and German rules' floors need the original words.
            for (Rule r : rules) {
                String hit = "rule:" + r.name();
                if (r.floor() > 0 && !hits.contains(hit) && r.matches(canonical)) {
                    hits.add(hit);
                }
            }
        }
        if (view.length() > 2 * WINDOW) {
            // Texts longer than two windows: a short injected passage must not be averaged away.
            // Windows carry n-grams and their length class only; the rules already ran on the whole text.
            for (int start = 0; start < view.length(); start += WINDOW) {
                int end = Math.min(view.length(), start + WINDOW);
                String window = view.substring(start, end);
                p = Math.max(p, blend(model.probability(HASHER.vectorize(window, List.of(lengthClass(window)))), window));
                if (end == view.length()) {
                    break;
                }
            }
        }
        if (hits.isEmpty() && withoutRule < 1) {
            p *= withoutRule;
            signals.add("model-only");
        }
        for (Rule r : rules) {
            if (r.floor() > 0 && hits.contains("rule:" + r.name())) {
                p = Math.max(p, r.floor());
            }
        }
        signals.addAll(hits);
        return p;
    }

    private double blend(double ngramProbability, String canonical) {
        return semantic == null ? ngramProbability : (ngramProbability + semantic.probability(canonical)) / 2;
    }
}
