package dev.ragkit.guard;

import dev.ragkit.guard.internal.FrenchGloss;
import dev.ragkit.guard.internal.GermanGloss;
import dev.ragkit.guard.internal.TextNormalizer;
import java.util.Objects;

/**
 * The language a guard judges a text in, for per-language thresholds: {@link #FRENCH} when the text
 * reads as French (the same test that makes the injection models read French through their English
 * gloss), {@link #GERMAN} when most of its words are in sentences that read as German (the test
 * that makes the injection models read a sentence through their German gloss), else
 * {@link #ENGLISH}, which stands for every other language. A language without its own threshold in
 * an encoder head gets the head's general one.
 */
public final class GuardLanguage {
    /** French. */
    public static final String FRENCH = "fr";
    /** English, and any language not detected as French. */
    public static final String ENGLISH = "en";
    /** German. */
    public static final String GERMAN = "de";

    private GuardLanguage() {
    }

    /** {@code fr}, {@code de} or {@code en} for {@code text}. */
    public static String of(String text) {
        Objects.requireNonNull(text, "text");
        String canonical = TextNormalizer.canonical(text);
        if (FrenchGloss.isFrench(canonical)) {
            return FRENCH;
        }
        return GermanGloss.isMostlyGerman(canonical) ? GERMAN : ENGLISH;
    }
}
