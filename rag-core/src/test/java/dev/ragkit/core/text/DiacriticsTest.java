package dev.ragkit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shared accent folding gives what the copies it replaced gave: {@code TextAnalyzer.fold}
 * (NFKD, non-spacing marks), rag-guard's {@code TextNormalizer} and rag-eval's {@code AnswerMetrics}
 * (NFD, then every {@code \p{M}} removed by a regular expression), rag-guard's
 * {@code WordPieceTokenizer} (NFD, non-spacing marks by code point). The old code is kept here as the
 * reference.
 */
class DiacriticsTest {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /** rag-guard's TextNormalizer and rag-eval's AnswerMetrics before: NFD, then \p{M}+ removed. */
    private static String oldRegexStrip(String text) {
        return MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
    }

    /** TextAnalyzer.fold before: NFKD, non-spacing marks dropped char by char, ligatures, lowercase. */
    private static String oldAnalyzerFold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            switch (c) {
                case 'œ', 'Œ' -> out.append("oe");
                case 'æ', 'Æ' -> out.append("ae");
                case 'ß' -> out.append("ss");
                default -> out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** rag-guard's WordPieceTokenizer before (BERT's accent stripping): NFD, non-spacing marks by code point. */
    private static String oldWordPieceStrip(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    @Test
    void examples() {
        assertThat(Diacritics.strip("État, où, naïve, Ångström")).isEqualTo("Etat, ou, naive, Angstrom");
        assertThat(Diacritics.strip("ﬁn Ａ")).as("canonical keeps compatibility forms").isEqualTo("ﬁn Ａ");
        assertThat(Diacritics.strip("ﬁn Ａ é", Diacritics.Decomposition.COMPATIBILITY, Diacritics.Marks.NON_SPACING))
                .isEqualTo("fin A e");
        // U+0903 DEVANAGARI SIGN VISARGA is a spacing mark (Mc): only ALL drops it.
        assertThat(Diacritics.strip("a\u0903", Diacritics.Decomposition.CANONICAL, Diacritics.Marks.NON_SPACING))
                .isEqualTo("a\u0903");
        assertThat(Diacritics.strip("a\u0903")).isEqualTo("a");
        assertThat(TextAnalyzer.fold("Œuvre Ærø Straße ÉTÉ")).as("ø has no decomposition").isEqualTo("oeuvre aerø strasse ete");
    }

    @Test
    void everyCodePointFoldsAsBefore() {
        List<String> analyzerDifferences = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = "a" + new String(Character.toChars(cp)) + "b";
            assertThat(Diacritics.strip(s)).as("U+%04X, NFD and \\p{M}", cp).isEqualTo(oldRegexStrip(s));
            assertThat(Diacritics.strip(s, Diacritics.Decomposition.CANONICAL, Diacritics.Marks.NON_SPACING))
                    .as("U+%04X, NFD and Mn", cp).isEqualTo(oldWordPieceStrip(s));
            if (!TextAnalyzer.fold(s).equals(oldAnalyzerFold(s))) {
                analyzerDifferences.add(String.format("U+%04X", cp));
                // The one change: a non-spacing mark outside the BMP (alone, or in the decomposition of
                // a letter such as U+1109A KAITHI LETTER DDDHA) was kept as two surrogate halves, which
                // then split the word; it is now dropped like every other accent.
                assertThat(Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD).codePoints()
                        .anyMatch(c -> Character.isSupplementaryCodePoint(c)
                                && Character.getType(c) == Character.NON_SPACING_MARK))
                        .as("U+%04X differs but its decomposition has no supplementary non-spacing mark", cp).isTrue();
            }
        }
        System.out.println("TextAnalyzer.fold differs from before for " + analyzerDifferences.size()
                + " code points, all with a supplementary non-spacing mark, e.g. " + analyzerDifferences.stream().limit(5).toList());
    }

    @Test
    void randomMixedTextFoldsAsBefore() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "aeiouAEIOU éèêëÉÈÊËàâäÀÂÄçÇîïÎÏôöÔÖùûüÙÛÜÿœŒæÆßﬁﬂＡｂ１²½ İıΣσςΟΔΟΣ ǅǈ Åå ñÑ ãõ "
                + "\u0301\u0300\u0308\u0327\u0903\u20DD\u0BCD\u093F ąęłńśźż ЁёЙй ΆΈάέΐ ハバパ ㈱ ℌℍ ﬀ ǰ ẞ";
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertThat(Diacritics.strip(s)).as("seed %d: '%s'", seed, s).isEqualTo(oldRegexStrip(s));
            assertThat(TextAnalyzer.fold(s)).as("seed %d: '%s'", seed, s).isEqualTo(oldAnalyzerFold(s));
            assertThat(Diacritics.strip(s, Diacritics.Decomposition.CANONICAL, Diacritics.Marks.NON_SPACING))
                    .as("seed %d: '%s'", seed, s).isEqualTo(oldWordPieceStrip(s));
        }
    }
}
