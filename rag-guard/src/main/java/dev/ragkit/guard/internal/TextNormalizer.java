package dev.ragkit.guard.internal;

import dev.ragkit.core.text.Diacritics;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Folds the usual ways of hiding words from a filter into one canonical, lowercase, accent-free
 * text: Unicode compatibility forms (NFKC: full-width and mathematical letters), zero-width and
 * control characters, Cyrillic and Greek look-alike letters, leet digits inside words, letters
 * spaced or dotted apart, and base64 payloads (decoded separately).
 *
 * <p>Stateless and thread-safe.
 */
public final class TextNormalizer {
    private static final char[] HOMOGLYPHS = new char[0x2200];

    static {
        // Letters that render like Latin ones. Upper case is mapped before lowercasing because
        // some pairs differ by case (Greek capital eta looks like H, small eta like n).
        String cyrillicUpper = "АaВbЕeЁeКkМmНhОoРpСcТtХxУyІiЈjЅsԁd";
        String greekUpper = "ΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧx";
        String lower = "аaвbеeёeкkмmнhоoрpсcтtуyхxіiїiјjѕsԁdһhԛqԝwӏlɡgɑaαaβbγyεeηnιiκkνvοoρpτtυuχxωwςc";
        for (String pairs : new String[] {cyrillicUpper, greekUpper, lower}) {
            for (int i = 0; i + 1 < pairs.length(); i += 2) {
                char from = pairs.charAt(i);
                char to = Character.toLowerCase(pairs.charAt(i + 1));
                if (from < HOMOGLYPHS.length && to < 0x80 && Character.isLetter(to)) {
                    HOMOGLYPHS[from] = to;
                }
            }
        }
    }

    /** fold() of each character below 0x250, computed once: the fast path for Latin text. */
    private static final String[] FAST = new String[0x250];

    static {
        for (char c = 0; c < FAST.length; c++) {
            FAST[c] = isInvisible(c) ? "" : slowFold(String.valueOf(c));
        }
    }

    private TextNormalizer() {
    }

    /** True for characters that are invisible or control codes, which attackers insert inside words. */
    static boolean isInvisible(int c) {
        if (c == '\n' || c == '\t' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.CONTROL
                || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x115F || c == 0x1160
                || c == 0x3164 || c == 0xFFA0 || c == 0x034F;
    }

    /**
     * The canonical text: NFKC, invisible characters removed, look-alikes folded, lowercased,
     * accents removed, leet words decoded and spaced-out letters joined (and cut back into words
     * when spaced without word gaps, see {@link WordSegmenter}).
     */
    public static String canonical(String text) {
        return joinSpacedLetters(decodeLeet(fold(text)));
    }

    /** NFKC, invisible characters removed, homoglyphs folded, lowercase, accents removed. */
    public static String fold(String text) {
        int n = text.length();
        boolean fast = true;
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= FAST.length && !(c < HOMOGLYPHS.length && HOMOGLYPHS[c] != 0) && !isInvisible(c)) {
                fast = false;
                break;
            }
            changed |= c >= 'A' && c <= 'Z' || c >= 0x80 || c < 0x20;
        }
        if (!fast) {
            return slowFold(text);
        }
        if (!changed) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < FAST.length) {
                sb.append(FAST[c]);
            } else if (c < HOMOGLYPHS.length && HOMOGLYPHS[c] != 0) {
                sb.append(HOMOGLYPHS[c]);
            }
            // else: invisible, dropped
        }
        return sb.toString();
    }

    private static String slowFold(String text) {
        String nfkc = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(nfkc.length());
        boolean needsAccentFold = false;
        for (int i = 0; i < nfkc.length(); ) {
            int c = nfkc.codePointAt(i);
            i += Character.charCount(c);
            if (isInvisible(c)) {
                continue;
            }
            if (c < HOMOGLYPHS.length && HOMOGLYPHS[c] != 0) {
                sb.append(HOMOGLYPHS[c]);
                continue;
            }
            int lower = Character.toLowerCase(c);
            if (lower < HOMOGLYPHS.length && HOMOGLYPHS[lower] != 0) {
                sb.append(HOMOGLYPHS[lower]);
            } else {
                if (lower >= 0x80) {
                    needsAccentFold = true;
                }
                sb.appendCodePoint(lower);
            }
        }
        String folded = sb.toString();
        if (!needsAccentFold) {
            return folded;
        }
        return Diacritics.strip(folded, Diacritics.Decomposition.CANONICAL, Diacritics.Marks.ALL);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Maps digits and symbols back to letters, but only inside words that also hold letters. */
    static String decodeLeet(String s) {
        StringBuilder out = null;
        int n = s.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && !isSeparator(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                String word = s.substring(start, i);
                String decoded = leetWord(word);
                if (decoded != null) {
                    if (out == null) {
                        out = new StringBuilder(n);
                        out.append(s, 0, start);
                    }
                    out.append(decoded);
                } else if (out != null) {
                    out.append(word);
                }
            }
            int sepStart = i;
            while (i < n && isSeparator(s.charAt(i))) {
                i++;
            }
            if (out != null) {
                out.append(s, sepStart, i);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == ';' || c == ':' || c == '"' || c == '\''
                || c == '(' || c == ')' || c == '?' || c == '.' || c == '-' || c == '/' || c == '[' || c == ']';
    }

    private static String leetWord(String word) {
        int letters = 0;
        int leet = 0;
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (Character.isLetter(c)) {
                letters++;
            } else if (leetLetter(c) != 0) {
                leet++;
            }
        }
        // "2024", "4x4" or "h2o" stay as they are: a word needs letters and at least as many
        // letters as substitutions to be read as leet.
        if (leet == 0 || letters < 2 || letters < leet) {
            return null;
        }
        StringBuilder sb = new StringBuilder(word.length());
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            char l = Character.isLetter(c) ? 0 : leetLetter(c);
            sb.append(l != 0 ? l : c);
        }
        return sb.toString();
    }

    private static char leetLetter(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1', '!', '|' -> 'i';
            case '3', '€' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7', '+' -> 't';
            case '8' -> 'b';
            case '9' -> 'g';
            default -> 0;
        };
    }

    /**
     * Joins runs of single letters written apart ("i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e");
     * a wider gap (two spaces or more, or a slash) inside such a run marks a word break.
     */
    static String joinSpacedLetters(String s) {
        int n = s.length();
        StringBuilder out = null;
        int i = 0;
        int copied = 0;
        while (i < n) {
            if (Character.isLetter(s.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
                // try to read a run: letter (sep letter)+ where each letter stands alone
                List<int[]> letters = new ArrayList<>();
                int j = i;
                while (j < n && Character.isLetter(s.charAt(j))
                        && (j + 1 >= n || !Character.isLetterOrDigit(s.charAt(j + 1)))) {
                    int gapStart = j + 1;
                    int k = gapStart;
                    while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '.' || s.charAt(k) == '-'
                            || s.charAt(k) == '_' || s.charAt(k) == '*' || s.charAt(k) == '/')) {
                        k++;
                    }
                    letters.add(new int[] {j, k - gapStart, gapHasBreak(s, gapStart, k) ? 1 : 0});
                    if (k == gapStart || k - gapStart > 4 || k >= n || !Character.isLetter(s.charAt(k))) {
                        break;
                    }
                    j = k;
                }
                if (letters.size() >= 4) {
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(s, copied, i);
                    int last = 0;
                    StringBuilder word = new StringBuilder();
                    for (int idx = 0; idx < letters.size(); idx++) {
                        int[] l = letters.get(idx);
                        word.append(s.charAt(l[0]));
                        if (idx + 1 < letters.size() && l[2] == 1) {
                            out.append(splitJoined(word)).append(' ');
                            word.setLength(0);
                        }
                        last = l[0];
                    }
                    out.append(splitJoined(word));
                    int end = last + 1;
                    copied = end;
                    i = end;
                    continue;
                }
                i = Math.max(i + 1, j);
                continue;
            }
            i++;
        }
        if (out == null) {
            return s;
        }
        out.append(s, copied, n);
        return out.toString();
    }

    /**
     * Letters spaced one apart carry no word gaps ("S a y t h a t y o u..."): runs of six or more are
     * cut back into words ({@link WordSegmenter}); shorter ones are a word or an acronym already.
     */
    private static String splitJoined(CharSequence letters) {
        return letters.length() < 6 ? letters.toString() : WordSegmenter.bundled().segment(letters.toString());
    }

    private static boolean gapHasBreak(String s, int from, int to) {
        int spaces = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '/') {
                return true;
            }
            if (c == ' ') {
                spaces++;
            }
        }
        // "i g n o r e" uses one space between letters; words are then two or more apart.
        return spaces >= 2;
    }

    /**
     * Texts hidden as base64 (or base64url) in {@code text}: runs of 16+ base64 characters that
     * decode to mostly printable UTF-8. Returned as decoded, not canonicalised.
     */
    public static List<String> base64Payloads(String text) {
        List<String> out = new ArrayList<>();
        if (text.length() < 16) {
            return out;
        }
        int n = text.length();
        int i = 0;
        while (i < n && out.size() < 8) {
            // A hand-written scan: a regex probing every position costs more than the rest of a check.
            if (!isBase64Char(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isBase64Char(text.charAt(i))) {
                i++;
            }
            int end = i;
            while (i < n && i - end < 2 && text.charAt(i) == '=') {
                i++;
            }
            if (end - start < 16) {
                continue;
            }
            String candidate = text.substring(start, i);
            if (!looksEncoded(candidate)) {
                continue;
            }
            String decoded = decode(candidate);
            if (decoded != null) {
                out.add(decoded);
            }
        }
        return out;
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '_' || c == '-';
    }

    private static boolean looksEncoded(String s) {
        // Plain words and numbers also match the alphabet; real payloads mix case and digits.
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
        }
        return upper && lower;
    }

    private static String decode(String candidate) {
        String body = candidate.replace('-', '+').replace('_', '/');
        int pad = body.indexOf('=');
        String core = pad >= 0 ? body.substring(0, pad) : body;
        int rem = core.length() % 4;
        if (rem == 1) {
            core = core.substring(0, core.length() - 1);
            rem = core.length() % 4;
        }
        core = core + "==".substring(0, (4 - rem) % 4 == 3 ? 2 : (4 - rem) % 4);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(core);
        } catch (IllegalArgumentException e) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String decoded;
        try {
            CharBuffer cb = decoder.decode(ByteBuffer.wrap(bytes));
            decoded = cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int printable = 0;
        int letters = 0;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (!Character.isISOControl(c) || c == '\n' || c == '\t' || c == '\r') {
                printable++;
            }
            if (Character.isLetter(c) || c == ' ') {
                letters++;
            }
        }
        if (decoded.length() < 8 || printable < decoded.length() * 0.95 || letters < decoded.length() * 0.6) {
            return null;
        }
        return decoded;
    }
}
