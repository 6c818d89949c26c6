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
    private static final int LONGEST_ABBREVIATION =
            ABBREVIATIONS.stream().mapToInt(String::length).max().orElseThrow();

    private SentenceSplitter() {
    }

    /** Receives one sentence as its bounds in the text it was found in. */
    @FunctionalInterface
    public interface SentenceBounds {
        /** The sentence is {@code text.substring(start, end)}: trimmed, never blank. */
        void accept(int start, int end);
    }

    /** The sentences of {@code text}, trimmed, none blank; whitespace inside a sentence is kept. */
    public static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        forEachSentence(text, (start, end) -> sentences.add(text.substring(start, end)));
        return sentences;
    }

    /**
     * Calls {@code action} with the bounds of each sentence of {@code text}, in order, as
     * {@link #split(String)} would return them, without collecting them: a huge text costs no more
     * than its own memory. Linear in the length of the text.
     */
    public static void forEachSentence(String text, SentenceBounds action) {
        int start = 0;
        int n = text.length();
        // The end of the last run of terminal and closing characters scanned: every terminal inside a
        // run ends at the same place, so a run ("!!!!", a line of dots) is scanned once, not once
        // per character, which made such runs quadratic.
        int runEnd = -1;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c != '.' && c != '!' && c != '?' && c != '…') {
                continue;
            }
            int end;
            if (i < runEnd) {
                end = runEnd;
            } else {
                end = i + 1;
                while (end < n && isTerminalOrClosing(text.charAt(end))) {
                    end++;
                }
                runEnd = end;
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
            emit(text, start, end, action);
            start = next;
            i = Math.max(i, next - 1);
        }
        emit(text, Math.min(start, n), n, action);
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
            if (dot - wordStart > LONGEST_ABBREVIATION) {
                return false;   // stop early: a long token would make this walk quadratic over a text
            }
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

    /** Reports {@code text[start, end)} without its surrounding whitespace, unless nothing is left. */
    private static void emit(String text, int start, int end, SentenceBounds action) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            action.accept(start, end);
        }
    }
}
