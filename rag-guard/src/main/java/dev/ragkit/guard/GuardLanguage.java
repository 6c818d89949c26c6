package dev.ragkit.guard;

import dev.ragkit.guard.internal.FrenchGloss;
import dev.ragkit.guard.internal.TextNormalizer;
import java.util.Objects;

/**
 * The language a guard judges a text in, for per-language thresholds: {@link #FRENCH} when the text
 * reads as French (the same test that makes the injection models read French through their English
 * gloss), else {@link #ENGLISH}, which stands for every other language: the development data holds
 * English, French and a few German rows only.
 */
public final class GuardLanguage {
    /** French. */
    public static final String FRENCH = "fr";
    /** English, and any language not detected as French. */
    public static final String ENGLISH = "en";

    private GuardLanguage() {
    }

    /** {@code fr} or {@code en} for {@code text}. */
    public static String of(String text) {
        Objects.requireNonNull(text, "text");
        return FrenchGloss.isFrench(TextNormalizer.canonical(text)) ? FRENCH : ENGLISH;
    }
}
