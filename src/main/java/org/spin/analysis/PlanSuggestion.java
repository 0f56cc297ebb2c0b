package org.spin.analysis;

import java.util.Arrays;
import org.spin.SpinException;
import org.spin.sharing.SharingMapping;
import org.spin.sharing.SharingPlan;

/**
 * A sharing plan suggested by the layers' representations: adjacent layers grouped so that each
 * group's layers compute similar things (high CKA between their outputs), so one shared weight
 * has the best chance to serve them all.
 *
 * <p>The score of a grouping is Σ_g (1/|g|) Σ_{i,j∈g} CKA_ij (diagonal included): kernel k-means'
 * objective with CKA as the kernel, restricted to contiguous groups. A singleton scores 1 and a
 * group whose pairs all have CKA s scores 1 + (|g|−1)·s, so the score is S plus a (|g|−1)-weighted
 * sum of within-group similarity. A plain sum of pairwise CKA would instead favour one huge group
 * and singletons, since its pair count grows quadratically with group size.
 *
 * @param groupSizes layers per slot, in layer order, summing to the depth
 * @param score the objective above; higher is better
 */
public record PlanSuggestion(int[] groupSizes, double score) {

    public PlanSuggestion {
        groupSizes = groupSizes.clone();
    }

    @Override
    public int[] groupSizes() {
        return groupSizes.clone();
    }

    /** The layer-to-slot table: consecutive layers per slot. */
    public SharingPlan plan() {
        return SharingPlan.create(Arrays.stream(groupSizes).sum(), groupSizes, SharingMapping.SEQUENTIAL, 0);
    }

    /**
     * The best partition of the D layers into {@code slots} contiguous groups of any sizes, by
     * dynamic programming over where each group ends: O(S·D²) with O(1) group scores from 2-D
     * prefix sums.
     */
    public static PlanSuggestion contiguous(double[][] cka, int slots) {
        int d = cka.length;
        if (slots < 1 || slots > d) {
            throw new SpinException(slots + " slots cannot group " + d + " layers; need 1 to " + d);
        }
        double[][] prefix = prefixSums(cka);
        // best[s][j]: best score of the first j layers in s groups; from[s][j]: where the last group starts
        double[][] best = new double[slots + 1][d + 1];
        int[][] from = new int[slots + 1][d + 1];
        for (double[] row : best) {
            Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        best[0][0] = 0;
        for (int s = 1; s <= slots; s++) {
            for (int j = s; j <= d - (slots - s); j++) {
                for (int i = s - 1; i < j; i++) {
                    double v = best[s - 1][i] + groupScore(prefix, i, j);
                    if (v > best[s][j]) {
                        best[s][j] = v;
                        from[s][j] = i;
                    }
                }
            }
        }
        int[] sizes = new int[slots];
        for (int s = slots, j = d; s > 0; s--) {
            int i = from[s][j];
            sizes[s - 1] = j - i;
            j = i;
        }
        return new PlanSuggestion(sizes, best[slots][d]);
    }

    /** The same objective for given group sizes (e.g. the uniform plan, to compare against). */
    public static PlanSuggestion of(double[][] cka, int[] groupSizes) {
        double[][] prefix = prefixSums(cka);
        double score = 0;
        int start = 0;
        for (int size : groupSizes) {
            score += groupScore(prefix, start, start + size);
            start += size;
        }
        if (start != cka.length) {
            throw new SpinException("group sizes " + Arrays.toString(groupSizes) + " sum to " + start
                    + " but there are " + cka.length + " layers");
        }
        return new PlanSuggestion(groupSizes, score);
    }

    /** Layers [i, j): (1/(j−i)) Σ CKA over the square block. */
    private static double groupScore(double[][] prefix, int i, int j) {
        double sum = prefix[j][j] - prefix[i][j] - prefix[j][i] + prefix[i][i];
        return sum / (j - i);
    }

    /** p[a][b] = Σ_{x<a, y<b} m[x][y]. NaN CKA (a constant layer) counts as 0: no evidence of similarity. */
    private static double[][] prefixSums(double[][] m) {
        int d = m.length;
        double[][] p = new double[d + 1][d + 1];
        for (int a = 0; a < d; a++) {
            if (m[a].length != d) {
                throw new IllegalArgumentException("CKA matrix is not square: row " + a + " has " + m[a].length);
            }
            for (int b = 0; b < d; b++) {
                double v = Double.isNaN(m[a][b]) ? 0 : m[a][b];
                p[a + 1][b + 1] = v + p[a][b + 1] + p[a + 1][b] - p[a][b];
            }
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanSuggestion p && Arrays.equals(groupSizes, p.groupSizes) && score == p.score;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(groupSizes) * 31 + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "PlanSuggestion" + Arrays.toString(groupSizes) + " score " + score;
    }
}
