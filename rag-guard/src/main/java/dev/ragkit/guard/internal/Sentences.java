package dev.ragkit.guard.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The sentence cut the guards share: the output guard's grounding counts its answer sentences, the
 * injection scorer looks for the most suspicious one. Unlike core's {@code SentenceSplitter} (prose:
 * a capital must follow, abbreviations are kept whole) it works on lowercased canonical text and on
 * pasted prompts, where line breaks and escaped line breaks end a sentence too.
 */
public final class Sentences {
    private Sentences() {
    }

    /**
     * The text cut after '.', '?' or '!' followed by white space, at line breaks and after a literal
     * backslash-n (an escaped line break, common in pasted prompts: "...2023?\nBlame China!"). The
     * pieces, blank ones left out, keep every other character, so their tokens are the text's.
     */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int end = -1;
            if (c == '\n' || c == '\r') {
                end = i;
            } else if ((c == '.' || c == '?' || c == '!') && i + 1 < n && Character.isWhitespace(text.charAt(i + 1))) {
                end = i + 1;
            } else if (c == '\\' && i + 1 < n && text.charAt(i + 1) == 'n') {
                end = i + 2;
            }
            if (end >= 0) {
                addIfNotBlank(text.substring(start, end), out);
                // A line break is dropped; a stop or an escaped break stays with its sentence.
                start = end == i ? i + 1 : end;
                i = Math.max(i, end - 1);
            }
        }
        addIfNotBlank(text.substring(start), out);
        return out;
    }

    private static void addIfNotBlank(String piece, List<String> out) {
        if (!piece.isBlank()) {
            out.add(piece);
        }
    }
}
