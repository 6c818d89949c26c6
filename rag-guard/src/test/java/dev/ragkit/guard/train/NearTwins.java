package dev.ragkit.guard.train;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A copy of rag-tools' {@code dev.ragkit.tools.guard.NearTwins} (training cannot depend on the tool module;
 * {@code NearTwinsTest} in each module pins them to the same groups). Groups rows whose texts are near-twins, so that no twin is trained on while the other is evaluated.
 * The development files hold many: deepset's injections are questions with one of a few dozen attack
 * sentences appended ("... Pretend you can access past world events. Who won the worldcup of
 * 2028?" alone and after three different questions), and Jigsaw's French rows are translations
 * sharing their English row's id.
 *
 * <p>Two texts are twins when their normalised forms (lower case, accents removed, letters and digits
 * only, single spaces) are equal, or when at least half of the shorter text's word 4-grams (it must
 * have 3 or more) occur in the longer one: an attack sentence of 15 words reused after another
 * question matches, two questions sharing a phrase such as "what is the capital of" do not. Rows
 * with the same {@code id} are one group too (translations). Groups are closed transitively.
 */
final class NearTwins {
    /** Share of the shorter text's word 4-grams that must occur in the longer one. */
    public static final double CONTAINMENT = 0.5;
    private static final int N = 4;

    private NearTwins() {
    }

    /**
     * The group of each text: element {@code i} is the group number of {@code texts.get(i)}, equal for
     * twins (the smallest index in the group). {@code ids} may be null, else rows with one id are joined.
     */
    public static int[] groups(List<String> texts, List<String> ids) {
        int n = texts.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstByKey = new HashMap<>();
        List<Set<String>> grams = new ArrayList<>(n);
        // An inverted index from 4-gram to rows keeps this near-linear on 10,000 rows.
        Map<String, List<Integer>> rowsByGram = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String norm = normalise(texts.get(i));
            Integer same = firstByKey.putIfAbsent("t:" + norm, i);
            if (same != null) {
                union(parent, same, i);
            }
            if (ids != null && ids.get(i) != null) {
                Integer sameId = firstByKey.putIfAbsent("id:" + ids.get(i), i);
                if (sameId != null) {
                    union(parent, sameId, i);
                }
            }
            Set<String> g = shingles(norm);
            grams.add(g);
            for (String s : g) {
                rowsByGram.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
            }
        }
        for (int i = 0; i < n; i++) {
            Set<String> gi = grams.get(i);
            if (gi.size() < 3) {
                continue;
            }
            Map<Integer, Integer> shared = new HashMap<>();
            for (String s : gi) {
                List<Integer> rows = rowsByGram.get(s);
                if (rows.size() > 200) {
                    continue; // boilerplate such as "@user @user rt": not evidence of a twin
                }
                for (int j : rows) {
                    if (j != i) {
                        shared.merge(j, 1, Integer::sum);
                    }
                }
            }
            for (Map.Entry<Integer, Integer> e : shared.entrySet()) {
                int j = e.getKey();
                int shorter = Math.min(gi.size(), grams.get(j).size());
                if (shorter >= 3 && e.getValue() >= CONTAINMENT * shorter) {
                    union(parent, i, j);
                }
            }
        }
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = find(parent, i);
        }
        return group;
    }

    /** Lower case, accents removed, letters and digits only, words separated by one space. */
    static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        return folded.replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    private static Set<String> shingles(String norm) {
        String[] words = norm.isEmpty() ? new String[0] : norm.split(" ");
        Set<String> out = new HashSet<>();
        for (int i = 0; i + N <= words.length; i++) {
            out.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + N)));
        }
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
