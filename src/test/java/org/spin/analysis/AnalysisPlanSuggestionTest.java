package org.spin.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.sharing.SharingPlan;

/** The suggested plan: the best contiguous grouping of layers by within-group CKA. */
class AnalysisPlanSuggestionTest {

    /** CKA high (0.9) inside the given blocks of layers, low elsewhere, 1 on the diagonal. */
    private static double[][] blocks(double low, int... sizes) {
        int d = java.util.Arrays.stream(sizes).sum();
        int[] group = new int[d];
        for (int g = 0, l = 0; g < sizes.length; g++) {
            for (int k = 0; k < sizes[g]; k++) {
                group[l++] = g;
            }
        }
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = i == j ? 1 : group[i] == group[j] ? 0.9 : low;
            }
        }
        return m;
    }

    @Test
    void findsTheBlockStructureOfAHandMadeMatrix() {
        PlanSuggestion s = PlanSuggestion.contiguous(blocks(0.1, 3, 2, 2, 1), 4);
        assertThat(s.groupSizes()).containsExactly(3, 2, 2, 1);
        assertThat(s.plan()).isEqualTo(SharingPlan.of(0, 0, 0, 1, 1, 2, 2, 3));
    }

    @Test
    void prefersTheBlocksOverOneLargeGroupEvenWhenCrossBlockSimilarityIsModerate() {
        // a plain sum of pairwise CKA would merge the first five layers here
        PlanSuggestion s = PlanSuggestion.contiguous(blocks(0.3, 3, 2, 2, 1), 4);
        assertThat(s.groupSizes()).containsExactly(3, 2, 2, 1);
    }

    @Test
    void withAsManySlotsAsLayersEveryLayerIsItsOwnGroup() {
        assertThat(PlanSuggestion.contiguous(blocks(0.2, 2, 2), 4).groupSizes()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void oneSlotIsOneGroupOfEveryLayer() {
        assertThat(PlanSuggestion.contiguous(blocks(0.2, 2, 3), 1).groupSizes()).containsExactly(5);
    }

    @Test
    void matchesBruteForceOverEveryContiguousPartitionOfRandomMatrices() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            int d = 2 + rng.nextInt(8);
            double[][] m = randomSymmetric(d, rng);
            for (int slots = 1; slots <= d; slots++) {
                PlanSuggestion dp = PlanSuggestion.contiguous(m, slots);
                double best = Double.NEGATIVE_INFINITY;
                for (int[] sizes : compositions(d, slots)) {
                    best = Math.max(best, PlanSuggestion.of(m, sizes).score());
                }
                assertThat(dp.score()).as("d=%d slots=%d", d, slots).isCloseTo(best, within(1e-9));
                assertThat(PlanSuggestion.of(m, dp.groupSizes()).score()).isCloseTo(dp.score(), within(1e-9));
                assertThat(dp.groupSizes()).hasSize(slots);
            }
        }
    }

    @Test
    void scoresASingletonOneAndAUniformGroupOnePlusItsSimilarityPerExtraLayer() {
        double[][] m = blocks(0.1, 3, 1);
        assertThat(PlanSuggestion.of(m, new int[] {3, 1}).score()).isCloseTo(1 + 2 * 0.9 + 1, within(1e-12));
    }

    @Test
    void tooManySlotsIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlanSuggestion.contiguous(blocks(0.1, 2), 3))
                .isInstanceOf(SpinException.class).hasMessageContaining("3 slots cannot group 2 layers");
    }

    private static double[][] randomSymmetric(int d, SplittableRandom rng) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 1;
            for (int j = i + 1; j < d; j++) {
                m[i][j] = rng.nextDouble();
                m[j][i] = m[i][j];
            }
        }
        return m;
    }

    /** Every way to write d as an ordered sum of k positive sizes. */
    private static List<int[]> compositions(int d, int k) {
        List<int[]> out = new ArrayList<>();
        compose(d, k, new int[k], 0, out);
        return out;
    }

    private static void compose(int left, int k, int[] sizes, int at, List<int[]> out) {
        if (at == k - 1) {
            sizes[at] = left;
            out.add(sizes.clone());
            return;
        }
        for (int s = 1; s <= left - (k - 1 - at); s++) {
            sizes[at] = s;
            compose(left - s, k, sizes, at + 1, out);
        }
    }
}
