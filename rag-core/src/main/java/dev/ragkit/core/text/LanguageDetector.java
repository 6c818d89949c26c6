package dev.ragkit.core.text;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Guesses the language of a short text such as a search query: English, French, German, Spanish or
 * Italian, as ISO 639-1 codes. It counts function words (articles, pronouns, question words,
 * prepositions), French elisions ({@code l'}, {@code qu'}) and letters that belong to one of these
 * languages ({@code ç}, {@code ß}, {@code ñ}); names, numbers and technical terms carry no evidence. A
 * question of four words usually has two function words, which is enough. Stateless and thread-safe.
 *
 * <p>The word lists are general knowledge of each language's grammar, written for this class.
 */
public final class LanguageDetector {
    /** The languages this detector can return. */
    public static final Set<String> LANGUAGES = Set.of("en", "fr", "de", "es", "it");

    private static final Map<String, List<String>> FUNCTION_WORDS = Map.of(
            "en", List.of("the", "of", "and", "to", "in", "is", "was", "what", "which", "who", "whom", "whose",
                    "how", "why", "where", "when", "does", "did", "do", "are", "were", "with", "for", "from", "by",
                    "that", "this", "these", "those", "it", "its", "be", "been", "has", "have", "had", "not", "or",
                    "an", "as", "at", "can", "should", "would", "will", "there", "their", "they", "his", "her",
                    "she", "he", "my", "your", "our", "than", "into", "about", "after", "before", "many", "much"),
            "fr", List.of("le", "la", "les", "des", "du", "un", "une", "est", "et", "que", "qui", "quoi", "quel",
                    "quelle", "quels", "quelles", "comment", "pourquoi", "où", "dans", "pour", "avec", "sur",
                    "sont", "ce", "cette", "ces", "je", "nous", "vous", "il", "elle", "ils", "elles", "pas", "au",
                    "aux", "par", "ont", "été", "était", "fut", "sa", "son", "ses", "leur", "leurs", "lors",
                    "quand", "combien", "entre", "depuis", "aussi", "mais", "ne", "se", "à", "de", "en", "ou",
                    "lequel", "laquelle", "lesquels", "dont", "avait", "peut", "selon", "chez", "vers",
                    // frequent verbs and adverbs of French questions ("Que signifie ...", "Que fait ..."), French only
                    "signifie", "fait", "font", "faut", "doit", "veut", "dit", "sous", "après", "avant", "moins",
                    "tout", "tous", "toute", "toutes", "même", "très", "comme", "cet", "ceux", "celle", "celui",
                    "citez", "quelqu", "y"),
            "de", List.of("der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "mit", "von", "zu",
                    "den", "dem", "des", "auf", "für", "ich", "sie", "wir", "ihr", "es", "wie", "was", "wer",
                    "warum", "wo", "wann", "welche", "welcher", "welches", "sind", "war", "wurde", "auch", "im",
                    "bei", "nach", "aus", "oder", "aber", "wieviel", "wieviele"),
            "es", List.of("el", "los", "las", "del", "y", "es", "que", "qué", "cuál", "cuáles", "cómo", "por",
                    "para", "con", "una", "un", "son", "fue", "está", "su", "sus", "quién", "dónde", "cuándo",
                    "cuánto", "cuántos", "pero", "se", "lo", "al", "la", "de", "en", "muy", "también"),
            "it", List.of("il", "lo", "gli", "della", "delle", "dei", "degli", "dello", "è", "che", "chi", "cosa",
                    "come", "perché", "dove", "quando", "per", "con", "una", "uno", "sono", "era", "non", "nel",
                    "nella", "anche", "ma", "di", "da", "la", "le", "un", "quale", "quali", "quanto", "quanti"));
    /** Word to (language to weight): a word shared by n languages gives each 1/n. */
    private static final Map<String, Map<String, Double>> WEIGHTS = weights();
    /** French elided words, written before an apostrophe: {@code l'}, {@code d'}, {@code qu'}, {@code j'}. */
    private static final Set<String> FRENCH_ELISIONS = Set.of("l", "d", "qu", "j", "n", "c", "s", "m", "t", "jusqu",
            "lorsqu", "puisqu", "quoiqu");

    private LanguageDetector() {
    }

    /**
     * The language of {@code text}, or empty when the evidence is too thin or split (a name alone,
     * a formula, as many English as French words).
     */
    public static Optional<String> detect(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> score = new HashMap<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int n = lower.length();
        int i = 0;
        while (i < n) {
            char c = lower.charAt(i);
            if (!Character.isLetter(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && Character.isLetter(lower.charAt(i))) {
                letterCue(lower.charAt(i), score);
                i++;
            }
            String word = lower.substring(start, i);
            boolean elided = i + 1 < n && (lower.charAt(i) == '\'' || lower.charAt(i) == '\u2019')
                    && Character.isLetter(lower.charAt(i + 1));
            if (elided && FRENCH_ELISIONS.contains(word)) {
                score.merge("fr", 1.0, Double::sum);
                continue;
            }
            // French inversion: "respecte-t-il", "a-t-elle", "dit-on"
            if (start >= 3 && lower.startsWith("-t-", start - 3) && (word.equals("il") || word.equals("elle")
                    || word.equals("on") || word.equals("ils") || word.equals("elles"))) {
                score.merge("fr", 1.0, Double::sum);
                continue;
            }
            Map<String, Double> w = WEIGHTS.get(word);
            if (w != null) {
                w.forEach((language, weight) -> score.merge(language, weight, Double::sum));
            }
        }
        String best = null;
        double first = 0;
        double second = 0;
        for (Map.Entry<String, Double> e : score.entrySet()) {
            double v = e.getValue();
            if (v > first) {
                second = first;
                first = v;
                best = e.getKey();
            } else if (v > second) {
                second = v;
            }
        }
        // One function word is enough when nothing speaks for another language ("capitale de la
        // France"); a tie says nothing.
        if (best == null || first < 1.0 || first <= second) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /**
     * Letters used by one of the languages only; é, written in French, Spanish and Italian but far more
     * often in French, counts a quarter for French: enough to break a tie ("Que représente la place").
     */
    private static void letterCue(char c, Map<String, Double> score) {
        switch (c) {
            case 'ç', 'œ', 'è', 'ê', 'ë', 'î', 'ï', 'û', 'ù', 'â' -> score.merge("fr", 0.5, Double::sum);
            case 'é' -> score.merge("fr", 0.25, Double::sum);
            case 'ä', 'ö', 'ü', 'ß' -> score.merge("de", 0.5, Double::sum);
            case 'ñ', '¿', '¡' -> score.merge("es", 0.5, Double::sum);
            case 'ò' -> score.merge("it", 0.5, Double::sum);
            default -> {
            }
        }
    }

    private static Map<String, Map<String, Double>> weights() {
        Map<String, Map<String, Double>> byWord = new HashMap<>();
        FUNCTION_WORDS.forEach((language, words) -> words.forEach(
                word -> byWord.computeIfAbsent(word, w -> new HashMap<>()).put(language, 1.0)));
        Map<String, Map<String, Double>> out = new HashMap<>();
        byWord.forEach((word, languages) -> {
            Map<String, Double> shared = new HashMap<>();
            languages.keySet().forEach(language -> shared.put(language, 1.0 / languages.size()));
            out.put(word, Map.copyOf(shared));
        });
        return Map.copyOf(out);
    }
}
