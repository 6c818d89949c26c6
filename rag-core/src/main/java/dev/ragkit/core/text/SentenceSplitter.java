package dev.ragkit.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds sentence boundaries in French and English prose: after {@code . ! ? …} (French puts a space
 * before {@code ! ? ; :}), followed by a closing quote or bracket, whitespace, and a capital, digit or
 * opening quote. Common abbreviations ({@code M.}, {@code Mme.}, {@code Dr.}, {@code e.g.},
 * {@code p. ex.}, initials) and decimals ({@code 3.14}) do not end a sentence.
 */
public final class SentenceSplitter {
    private static final Set<String> ABBREVIATIONS = Set.of(
            "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "st", "ste", "mr", "mrs", "ms", "prof",
            "etc", "cf", "ex", "p", "pp", "vol", "no", "n°", "fig", "env", "av", "apr", "j.-c", "e.g", "i.e",
            "vs", "inc", "ltd", "jr", "sr", "art", "al", "ed", "eds", "chap", "sect", "min", "max", "approx");

    private SentenceSplitter() {
    }

    /** The sentences of {@code text}, trimmed, none blank; whitespace inside a sentence is kept. */
    public static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?' && c != '…') {
                continue;
            }
            int end = i + 1;
            while (end < n && isTerminalOrClosing(text.charAt(end))) {
                end++;
            }
            if (end < n && !Character.isWhitespace(text.charAt(end))) {
                continue;   // 3.14, e.g., www.example.com
            }
            int next = end;
            while (next < n && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next < n && !startsSentence(text.charAt(next))) {
                continue;
            }
            if (c == '.' && isAbbreviation(text, start, i)) {
                continue;
            }
            add(sentences, text.substring(start, end));
            start = next;
            i = Math.max(i, next - 1);
        }
        add(sentences, text.substring(Math.min(start, n)));
        return sentences;
    }

    private static boolean isTerminalOrClosing(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…' || c == '"' || c == '\'' || c == ')' || c == ']'
                || c == '»' || c == '”' || c == '’';
    }

    private static boolean startsSentence(char c) {
        return Character.isUpperCase(c) || Character.isDigit(c) || c == '«' || c == '"' || c == '“' || c == '('
                || c == '[' || c == '-' || c == '—' || c == '*' || c == '#' || Character.isTitleCase(c);
    }

    /** Whether the word ending just before {@code dot} is an abbreviation or an initial. */
    private static boolean isAbbreviation(String text, int sentenceStart, int dot) {
        int wordStart = dot;
        while (wordStart > sentenceStart && !Character.isWhitespace(text.charAt(wordStart - 1))
                && text.charAt(wordStart - 1) != '(') {
            wordStart--;
        }
        String word = text.substring(wordStart, dot).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            return false;
        }
        if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
            return true;   // an initial: J. Dupont
        }
        return ABBREVIATIONS.contains(word);
    }

    private static void add(List<String> sentences, String sentence) {
        String trimmed = sentence.strip();
        if (!trimmed.isEmpty()) {
            sentences.add(trimmed);
        }
    }
}
