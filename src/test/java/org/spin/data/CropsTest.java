package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The random-resized crop's draws against their definitions, and torchvision's roundings. */
class CropsTest {

    private static final int N = 20_000;

    /** Kolmogorov–Smirnov distance of {@code xs} from the distribution function {@code cdf}. */
    private static double ks(double[] xs, DoubleUnaryOperator cdf) {
        double[] s = xs.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max(Math.abs(f - (double) i / s.length), Math.abs((double) (i + 1) / s.length - f)));
        }
        return d;
    }

    @Test
    void areaIsUniformInScaleAspectLogUniformInRatioAndThePlaceUniform() {
        // every draw fits a 1000x1000 image with these ranges, so the first try is always taken
        double lo = 0.08;
        double hi = 0.5;
        double rLo = 3.0 / 4;
        double rHi = 4.0 / 3;
        SplittableRandom rng = new SplittableRandom(42);
        double[] area = new double[N];
        double[] logAspect = new double[N];
        double[] top = new double[N];
        for (int i = 0; i < N; i++) {
            Crops.Box b = Crops.randomResized(1000, 1000, new double[] {lo, hi}, new double[] {rLo, rHi}, rng);
            area[i] = (double) b.height() * b.width() / 1e6;
            logAspect[i] = Math.log((double) b.width() / b.height());
            top[i] = (b.top() + 0.5) / (1000 - b.height() + 1); // uniform on the allowed offsets
        }
        // 1.36/sqrt(N) = 0.0096 is the 5% critical value; rounding w and h to pixels adds a little
        assertThat(ks(area, x -> (x - lo) / (hi - lo))).isLessThan(0.012);
        double a = Math.log(rLo);
        double b = Math.log(rHi);
        assertThat(ks(logAspect, x -> Math.min(1, Math.max(0, (x - a) / (b - a))))).isLessThan(0.012);
        assertThat(ks(top, x -> Math.min(1, Math.max(0, x)))).isLessThan(0.012);
    }

    @Test
    void aDrawThatCannotFitFallsBackToTheCentreWithTheAspectClamped() {
        SplittableRandom rng = new SplittableRandom(1);
        // a 100x1000 strip: 90% of its area is never under 260 px high, so all ten tries fail
        Crops.Box b = Crops.randomResized(100, 1000, new double[] {0.9, 1.0}, new double[] {3.0 / 4, 4.0 / 3}, rng);
        assertThat(b).isEqualTo(new Crops.Box(0, 433, 100, 133));
        // a tall one: width kept, height round(w / (3/4))
        Crops.Box t = Crops.randomResized(1000, 90, new double[] {0.9, 1.0}, new double[] {3.0 / 4, 4.0 / 3}, rng);
        assertThat(t).isEqualTo(new Crops.Box(440, 0, 120, 90));
    }

    @Test
    void theEvaluationResizeAndCentreCropRoundAsTorchvision() {
        assertThat(Crops.evalResize(224)).isEqualTo(256);
        assertThat(Crops.evalResize(64)).isEqualTo(73);
        assertThat(Crops.shorterSideTo(375, 500, 256)).containsExactly(256, 341); // int(256 * 500 / 375)
        assertThat(Crops.shorterSideTo(500, 375, 256)).containsExactly(341, 256);
        // (257 - 224) / 2 = 16.5 rounds half to even: 16; (259 - 224) / 2 = 17.5: 18
        assertThat(Crops.centre(257, 259, 224)).isEqualTo(new Crops.Box(16, 18, 224, 224));
    }

    @Test
    void theTrainingTransformFlipsHalfTheTime() {
        byte[] ramp = new byte[4 * 4];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (i % 4 * 60);
        }
        Pixels image = new Pixels(ramp, 1, 4, 4);
        ImageTransform t = ImageTransform.train(4, new double[] {1, 1}, new double[] {1, 1}, Resample.Filter.BICUBIC);
        SplittableRandom rng = new SplittableRandom(3);
        int flipped = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            byte[] out = t.apply(image, rng).data(); // the whole image, so only the flip varies
            assertThat(out).satisfiesAnyOf(o -> assertThat(o).isEqualTo(ramp),
                    o -> assertThat(o).isEqualTo(image.flipped().data()));
            flipped += Arrays.equals(out, ramp) ? 0 : 1;
        }
        assertThat(Math.abs(flipped - n / 2.0)).isLessThan(4 * Math.sqrt(n / 4.0)); // within 4 sigma
    }
}
