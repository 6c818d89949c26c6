package dev.ragkit.guard.internal;

import dev.ragkit.core.text.Diacritics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's uncased WordPiece tokenizer, as the Hugging Face tokenizer of bge-small-en-v1.5 runs it
 * (BertNormalizer with lowercasing and accent stripping, BertPreTokenizer, WordPiece with {@code ##}
 * continuations), written out here so the guards need no native tokenizer library. A test checks
 * that it gives the same ids as the Hugging Face implementation on every development text.
 * Known differences: special-token strings written in the text (a literal {@code [CLS]}) are
 * tokenized as ordinary text, and characters newer than the JVM's Unicode tables (emoji added after
 * Unicode 13 on Java 17) are dropped as unassigned instead of making their word [UNK].
 *
 * <p>Immutable and thread-safe.
 */
public final class WordPieceTokenizer {
    private static final int MAX_CHARS_PER_WORD = 100;

    private final Map<String, Integer> ids;
    private final int unknown;

    private WordPieceTokenizer(Map<String, Integer> ids) {
        this.ids = Map.copyOf(ids);
        this.unknown = Objects.requireNonNull(ids.get("[UNK]"), "the vocabulary has no [UNK] token");
    }

    /** A tokenizer over a vocabulary with one token per line, the line number (from 0) being its id. */
    public static WordPieceTokenizer read(InputStream vocabulary) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(vocabulary, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                ids.putIfAbsent(line, ids.size());
            }
        }
        return new WordPieceTokenizer(ids);
    }

    /** Loads the vocabulary from a class-path resource. */
    public static WordPieceTokenizer fromResource(String resource) {
        return BundledResource.read(resource, WordPieceTokenizer::read);
    }

    /** How many tokens the vocabulary has. */
    public int vocabularySize() {
        return ids.size();
    }

    /** The token ids of {@code text}, without [CLS] and [SEP]. */
    public int[] encode(String text) {
        String normalized = normalize(text);
        IntList out = new IntList(normalized.length() / 3 + 4);
        int start = -1;
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c == ' ') {
                if (start >= 0) {
                    wordPieces(normalized.substring(start, i), out);
                    start = -1;
                }
            } else if (isPunctuation(c)) {
                if (start >= 0) {
                    wordPieces(normalized.substring(start, i), out);
                    start = -1;
                }
                wordPieces(normalized.substring(i, next), out);
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        if (start >= 0) {
            wordPieces(normalized.substring(start), out);
        }
        return out.toArray();
    }

    /** Greedy longest-match-first split of one word; a word with no split is one [UNK]. */
    private void wordPieces(String word, IntList out) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            out.add(unknown);
            return;
        }
        int mark = out.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (end > start) {
                String piece = start == 0 ? word.substring(0, end) : "##" + word.substring(start, end);
                found = ids.get(piece);
                if (found != null) {
                    break;
                }
                end -= Character.isLowSurrogate(word.charAt(end - 1)) ? 2 : 1;
            }
            if (found == null) {
                out.truncate(mark);
                out.add(unknown);
                return;
            }
            out.add(found);
            start = end;
        }
    }

    /**
     * BertNormalizer, in its order: drops NUL, U+FFFD and control characters, turns whitespace into
     * spaces, puts spaces around CJK ideographs, strips accents (NFD, then no combining marks), lowercases.
     */
    static String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                continue;
            }
            if (isWhitespace(c)) {
                cleaned.append(' ');
            } else if (isCjk(c)) {
                cleaned.append(' ').appendCodePoint(c).append(' ');
            } else {
                cleaned.appendCodePoint(c);
            }
        }
        // BERT's accent stripping: NFD, then non-spacing marks (Mn) dropped.
        return lowercase(Diacritics.strip(cleaned.toString(), Diacritics.Decomposition.CANONICAL,
                Diacritics.Marks.NON_SPACING));
    }

    /**
     * Lowercases each character on its own, as the reference does: unlike
     * {@link String#toLowerCase}, a final capital sigma becomes σ, not the word-final ς.
     */
    private static String lowercase(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            if (c < 0x80) {
                out.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            } else if (c == 0x3A3) {
                out.append('\u03C3');
            } else {
                // Full mappings (İ gives i + combining dot), which Character.toLowerCase(int) lacks.
                out.append(new String(Character.toChars(c)).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }

    /** Unicode White_Space minus the control characters, which {@link #isControl} drops first. */
    private static boolean isWhitespace(int c) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** A growable int array, to avoid boxing every token id. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        void truncate(int newSize) {
            size = newSize;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
