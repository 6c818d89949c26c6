package dev.ragkit.core.text;

/**
 * The Porter (1980) stemming algorithm for English, with the two later revisions Lucene's
 * PorterStemFilter also applies ({@code bli → ble}, {@code logi → log}), so BM25 figures are
 * comparable with Lucene-based baselines. Stateless.
 */
public final class PorterStemmer {
    private PorterStemmer() {
    }

    /** The stem of a lowercase token; tokens of two letters or fewer, or with non-letters, are returned as is. */
    public static String stem(String token) {
        if (token.length() <= 2) {
            return token;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 'a' || c > 'z') {
                return token;
            }
        }
        Word w = new Word(token);
        w.step1a();
        w.step1b();
        w.step1c();
        w.step2();
        w.step3();
        w.step4();
        w.step5();
        return w.toString();
    }

    /** A word being stemmed; {@code end} is its current length. */
    private static final class Word {
        private final char[] b;
        private int end;

        Word(String s) {
            b = s.toCharArray();
            end = b.length;
        }

        @Override
        public String toString() {
            return new String(b, 0, end);
        }

        private boolean consonant(int i) {
            switch (b[i]) {
                case 'a', 'e', 'i', 'o', 'u':
                    return false;
                case 'y':
                    return i == 0 || !consonant(i - 1);
                default:
                    return true;
            }
        }

        /** The measure m of b[0, len): the number of VC sequences. */
        private int measure(int len) {
            int m = 0;
            int i = 0;
            while (i < len && consonant(i)) {
                i++;
            }
            while (i < len) {
                while (i < len && !consonant(i)) {
                    i++;
                }
                if (i >= len) {
                    break;
                }
                while (i < len && consonant(i)) {
                    i++;
                }
                m++;
            }
            return m;
        }

        private boolean hasVowel(int len) {
            for (int i = 0; i < len; i++) {
                if (!consonant(i)) {
                    return true;
                }
            }
            return false;
        }

        private boolean doubleConsonant(int len) {
            return len >= 2 && b[len - 1] == b[len - 2] && consonant(len - 1);
        }

        /** consonant-vowel-consonant at the end of b[0, len), the last not w, x or y. */
        private boolean cvc(int len) {
            if (len < 3 || !consonant(len - 1) || consonant(len - 2) || !consonant(len - 3)) {
                return false;
            }
            char c = b[len - 1];
            return c != 'w' && c != 'x' && c != 'y';
        }

        private boolean endsWith(String suffix) {
            int n = suffix.length();
            if (n > end) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b[end - n + i] != suffix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void replaceEnd(int suffixLength, String replacement) {
            int start = end - suffixLength;
            for (int i = 0; i < replacement.length(); i++) {
                b[start + i] = replacement.charAt(i);
            }
            end = start + replacement.length();
        }

        /** Replaces {@code suffix} with {@code replacement} when the stem before it has measure > minMeasure. */
        private boolean rule(String suffix, String replacement, int minMeasure) {
            if (!endsWith(suffix)) {
                return false;
            }
            if (measure(end - suffix.length()) > minMeasure) {
                replaceEnd(suffix.length(), replacement);
            }
            return true;
        }

        void step1a() {
            if (endsWith("sses")) {
                replaceEnd(4, "ss");
            } else if (endsWith("ies")) {
                replaceEnd(3, "i");
            } else if (!endsWith("ss") && endsWith("s")) {
                end--;
            }
        }

        void step1b() {
            if (endsWith("eed")) {
                if (measure(end - 3) > 0) {
                    end--;
                }
                return;
            }
            int cut;
            if (endsWith("ed") && hasVowel(end - 2)) {
                cut = 2;
            } else if (endsWith("ing") && hasVowel(end - 3)) {
                cut = 3;
            } else {
                return;
            }
            end -= cut;
            if (endsWith("at") || endsWith("bl") || endsWith("iz")) {
                b[end++] = 'e';
            } else if (doubleConsonant(end)) {
                char c = b[end - 1];
                if (c != 'l' && c != 's' && c != 'z') {
                    end--;
                }
            } else if (measure(end) == 1 && cvc(end)) {
                b[end++] = 'e';
            }
        }

        void step1c() {
            if (endsWith("y") && hasVowel(end - 1)) {
                b[end - 1] = 'i';
            }
        }

        private static final String[][] STEP2 = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
            {"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
            {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
            {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
            {"logi", "log"},
        };

        private static final String[][] STEP3 = {
            {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""},
            {"ness", ""},
        };

        private static final String[] STEP4 = {
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
            "ism", "ate", "iti", "ous", "ive", "ize",
        };

        void step2() {
            for (String[] r : STEP2) {
                if (rule(r[0], r[1], 0)) {
                    return;
                }
            }
        }

        void step3() {
            for (String[] r : STEP3) {
                if (rule(r[0], r[1], 0)) {
                    return;
                }
            }
        }

        void step4() {
            for (String suffix : STEP4) {
                if (endsWith(suffix)) {
                    int stemLength = end - suffix.length();
                    if (suffix.equals("ion") && (stemLength == 0 || (b[stemLength - 1] != 's' && b[stemLength - 1] != 't'))) {
                        return;
                    }
                    if (measure(stemLength) > 1) {
                        end = stemLength;
                    }
                    return;
                }
            }
        }

        void step5() {
            if (endsWith("e")) {
                int m = measure(end - 1);
                if (m > 1 || (m == 1 && !cvc(end - 1))) {
                    end--;
                }
            }
            if (end >= 2 && b[end - 1] == 'l' && doubleConsonant(end) && measure(end) > 1) {
                end--;
            }
        }
    }
}
