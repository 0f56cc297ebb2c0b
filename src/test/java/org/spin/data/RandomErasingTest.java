package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

/** Random erasing against timm's formulas for the same draws, and its rates against their definitions. */
class RandomErasingTest {

    private static final int C = 3;
    private static final int H = 24;
    private static final int W = 32;

    @Test
    void theBoxAndItsNoiseAreTimmsForTheSameDraws() {
        for (long seed = 0; seed < 200; seed++) {
            float[] x = new float[C * H * W];
            Arrays.fill(x, 7f);
            new RandomErasing(0.5, 1, RandomErasing.Mode.PIXEL).apply(x, 0, C, H, W, new SplittableRandom(seed));
            // timm's _erase, replayed on the same stream
            SplittableRandom r = new SplittableRandom(seed);
            float[] expected = new float[C * H * W];
            Arrays.fill(expected, 7f);
            if (!(r.nextDouble() > 0.5)) {
                for (int attempt = 0; attempt < 10; attempt++) {
                    double targetArea = (0.02 + (1.0 / 3 - 0.02) * r.nextDouble()) * H * W;
                    double aspect = Math.exp(Math.log(0.3) + (Math.log(1 / 0.3) - Math.log(0.3)) * r.nextDouble());
                    int h = (int) Math.rint(Math.sqrt(targetArea * aspect)); // Python's round: half to even
                    int w = (int) Math.rint(Math.sqrt(targetArea / aspect));
                    if (w < W && h < H) {
                        int top = r.nextInt(H - h + 1);
                        int left = r.nextInt(W - w + 1);
                        for (int c = 0; c < C; c++) {
                            for (int y = top; y < top + h; y++) {
                                for (int i = left; i < left + w; i++) {
                                    expected[(c * H + y) * W + i] = (float) r.nextGaussian();
                                }
                            }
                        }
                        break;
                    }
                }
            }
            assertThat(x).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void aQuarterOfTheSamplesLoseOnAverageAFifthOfTheirArea() {
        RandomErasing e = new RandomErasing(0.25, 1, RandomErasing.Mode.CONST);
        SplittableRandom rng = new SplittableRandom(5);
        int n = 20_000;
        int touched = 0;
        double erased = 0;
        for (int k = 0; k < n; k++) {
            float[] x = new float[H * W];
            Arrays.fill(x, 1f);
            e.apply(x, 0, 1, H, W, rng);
            int zeros = 0;
            for (float v : x) {
                zeros += v == 0f ? 1 : 0;
            }
            touched += zeros > 0 ? 1 : 0;
            erased += zeros / (double) (H * W);
        }
        assertThat(Math.abs(touched - 0.25 * n)).isLessThan(4 * Math.sqrt(n * 0.25 * 0.75));
        // an erased sample loses about the mean of U(0.02, 1/3) = 0.177 of its area (boxes that do not fit are retried)
        assertThat(erased / touched).isBetween(0.15, 0.20);
    }

    @Test
    void badSettingsAreNamedByKey() {
        assertThatThrownBy(() -> new RandomErasing(1.5, 1, RandomErasing.Mode.PIXEL)).isInstanceOf(SpinException.class)
                .hasMessage("AUG.RE_PROB 1.5 must be in [0, 1]");
        assertThatThrownBy(() -> RandomErasing.mode("noise")).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("AUG.RE_MODE noise is not");
    }
}
