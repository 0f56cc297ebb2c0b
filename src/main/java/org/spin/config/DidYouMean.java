package org.spin.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests known key names for a misspelt one. Two kinds of mistake are common with yacs-style
 * keys: a typo in the full dotted name ({@code SOLVER.BASE_RL}) and a right leaf in the wrong
 * or missing section ({@code BASE_LR}, {@code CONVMIXER.SHARE_RATE}). So candidates are scored
 * by the edit distance of the whole name and of the last component, whichever is smaller.
 */
public final class DidYouMean {

    private static final int MAX_SHOWN = 3;

    private DidYouMean() {}

    private record Candidate(String name, int score, int fullDistance, int order) {}

    /** "A", "A or B" or "A, B or C"; empty when nothing is close. */
    public static Optional<String> suggest(String unknown, List<String> known) {
        String u = unknown.toUpperCase(Locale.ROOT);
        String uLeaf = leaf(u);
        String uSection = section(u);
        int maxFull = Math.max(2, u.length() / 4);
        int maxLeaf = uLeaf.length() < 4 ? 0 : Math.max(1, uLeaf.length() / 4);
        List<Candidate> hits = new ArrayList<>();
        for (int i = 0; i < known.size(); i++) {
            String name = known.get(i);
            String n = name.toUpperCase(Locale.ROOT);
            int full = distance(u, n);
            int leaf = leafDistance(uLeaf, leaf(n));
            String nSection = section(n);
            if (!uSection.isEmpty() && !nSection.equals(uSection) && !nSection.startsWith(uSection + ".")) {
                leaf++; // prefer a key in the section the user named or below it (CONVMIXER.WEIGHT_SHARE, not CONVNEXT's)
            }
            if (full <= maxFull || leaf <= maxLeaf) {
                hits.add(new Candidate(name, Math.min(full, leaf), full, i));
            }
        }
        if (hits.isEmpty()) {
            return Optional.empty();
        }
        hits.sort(Comparator.comparingInt(Candidate::score)
                .thenComparingInt(Candidate::fullDistance)
                .thenComparingInt(Candidate::order));
        int best = hits.get(0).score();
        List<String> shown = hits.stream()
                .filter(c -> c.score() == best)
                .limit(MAX_SHOWN)
                .map(Candidate::name)
                .toList();
        if (shown.size() == 1) {
            return Optional.of(shown.get(0));
        }
        return Optional.of(String.join(", ", shown.subList(0, shown.size() - 1))
                + " or " + shown.get(shown.size() - 1));
    }

    /** Edit distance, but a leaf that contains the other ({@code RATE}, {@code SHARE_RATE}) counts as one edit. */
    private static int leafDistance(String a, String b) {
        int d = distance(a, b);
        String shorter = a.length() <= b.length() ? a : b;
        String longer = a.length() <= b.length() ? b : a;
        return shorter.length() >= 3 && longer.contains(shorter) ? Math.min(d, 1) : d;
    }

    private static String section(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    private static String leaf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions (RL/LR). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
