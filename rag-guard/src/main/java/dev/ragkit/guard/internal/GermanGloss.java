package dev.ragkit.guard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A word-for-word German to English gloss of canonical text, sentence by sentence, for the
 * injection models: about a third of the deepset development rows are German, and an English
 * model learns "vergiss alle vorherigen anweisungen" only from the few German rows that say it,
 * while "forget all previous instructions" it has seen in every wording. The gloss reads it as
 * the latter. Only sentences that {@link #isGerman look German} are glossed, so an English
 * question with a German instruction appended gets its instruction glossed and the question kept.
 *
 * <p>The lexicon is a bundled, hand-written list ({@value #LEXICON}) of general vocabulary:
 * instruction-override verbs, roles, limits, revealing and answering, and function words; it
 * quotes no development row. The longest listed phrase wins, unlisted words are kept (many are
 * cognates or names). The injection models read it only when {@link InjectionRules#GERMAN_GLOSS} is
 * on (off: measured, no gain that holds); {@code GuardLanguage} uses its German test. Immutable and
 * thread-safe.
 */
public final class GermanGloss {
    /** The bundled lexicon. */
    public static final String LEXICON = "/dev/ragkit/guard/german-gloss.tsv";

    /**
     * Frequent German words that are not English or French words (canonical: umlauts folded).
     * Left out as ambiguous: die, was, also, will, bin, hat, man, so, in, an, war, den, dem, mit,
     * fur, uber, du (French), es (Spanish).
     */
    private static final Set<String> GERMAN_MARKERS = Set.of("der", "das", "und", "ist", "nicht", "ich", "wir",
            "ein", "eine", "einen", "einem", "einer", "auf", "von", "zu", "wie", "sind", "bitte", "auch", "noch",
            "nur", "sich", "nach", "bei", "wird", "werden", "kann", "konnen", "welche", "welcher", "welches",
            "warum", "gibt", "mir", "mich", "dich", "dir", "alle", "alles", "jetzt", "oder", "aber", "wenn", "dass",
            "diese", "dieser", "dieses", "sehr", "mein", "meine", "dein", "deine", "haben", "bist", "ihr", "ihre",
            "keine", "kein", "sie", "aus", "im", "zum", "zur", "vom", "habe", "ob", "weil", "mehr", "unter",
            "wer", "wo", "gegen", "nun", "sollte", "musst", "kannst", "uns", "euch", "nichts", "wurde",
            "wurden", "gerne", "welchen");

    private static volatile GermanGloss bundled;

    private final Map<String, String> phrases;
    /** For each first word, the most words a listed phrase starting with it has. */
    private final Map<String, Integer> longest;
    /** True: {@link #view} keeps the German text and appends the gloss of its German sentences. */
    private final boolean appending;

    private GermanGloss(Map<String, String> phrases) {
        this(phrases, false);
    }

    private GermanGloss(Map<String, String> phrases, boolean appending) {
        this.appending = appending;
        this.phrases = Map.copyOf(phrases);
        this.longest = GlossLexicon.longestPhrases(phrases);
    }

    /** The gloss with the bundled lexicon, loaded once. */
    public static GermanGloss bundled() {
        GermanGloss g = bundled;
        if (g == null) {
            g = BundledResource.read(LEXICON, in -> new GermanGloss(GlossLexicon.read(in, GermanGloss::words)));
            bundled = g;
        }
        return g;
    }

    /**
     * This gloss, its {@link #view} keeping the text as it is and appending, on a new line, the gloss
     * of its German sentences: the models then see both the German words and their English reading.
     */
    public GermanGloss appending() {
        return new GermanGloss(phrases, true);
    }

    /** True when {@code canonical} reads as German (see {@link #GERMAN_MARKERS}). */
    public static boolean isGerman(String canonical) {
        return isGerman(words(canonical));
    }

    /**
     * True when the words of the text's German sentences outnumber those of its other sentences:
     * the language a guard reports for it.
     */
    public static boolean isMostlyGerman(String canonical) {
        int german = 0;
        int other = 0;
        for (String sentence : Sentences.split(canonical)) {
            List<String> words = words(sentence);
            if (isGerman(words)) {
                german += words.size();
            } else {
                other += words.size();
            }
        }
        return german > other;
    }

    private static boolean isGerman(List<String> words) {
        int markers = 0;
        for (String w : words) {
            if (GERMAN_MARKERS.contains(w)) {
                markers++;
            }
        }
        return markers >= 2 ? markers * 5 >= words.size() : markers == 1 && words.size() <= 5;
    }

    /**
     * The text the models should read: each German sentence replaced by its gloss (words separated
     * by single spaces, the sentence's final punctuation kept), every other sentence unchanged.
     */
    public String view(String canonical) {
        List<String> sentences = Sentences.split(canonical);
        boolean any = false;
        for (String s : sentences) {
            if (isGerman(words(s))) {
                any = true;
                break;
            }
        }
        if (!any) {
            return canonical;
        }
        StringBuilder out = new StringBuilder(canonical.length() + 16);
        for (String s : sentences) {
            List<String> words = words(s);
            if (appending && !isGerman(words)) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(isGerman(words) ? gloss(words) + trailingPunctuation(s) : s.strip());
        }
        return appending ? canonical + "\n" + out : out.toString();
    }

    /** The gloss of {@code canonical}'s words, whatever its language. */
    public String gloss(String canonical) {
        return gloss(words(canonical));
    }

    private String gloss(List<String> words) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < words.size()) {
            String first = words.get(i);
            int most = Math.min(longest.getOrDefault(first, 0), words.size() - i);
            String english = null;
            int span = 1;
            for (int n = most; n >= 1 && english == null; n--) {
                english = phrases.get(String.join(" ", words.subList(i, i + n)));
                span = n;
            }
            if (english == null) {
                english = first;
                span = 1;
            }
            if (!english.isEmpty()) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(english);
            }
            i += span;
        }
        return out.toString();
    }

    private static String trailingPunctuation(String sentence) {
        String s = sentence.strip();
        int end = s.length();
        while (end > 0 && "?!.:".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(end);
    }

    /** Words: runs of letters and digits, 'ß' read as "ss" (the canonical form keeps it). */
    static List<String> words(String canonical) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                w.append(c);
            } else if (c == 'ß') {
                w.append("ss");
            } else if (w.length() > 0) {
                words.add(w.toString());
                w.setLength(0);
            }
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        return words;
    }
}
