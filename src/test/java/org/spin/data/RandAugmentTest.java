package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

/** The policy around the ops: timm's parsing, choice, probability, magnitude noise and signs. */
class RandAugmentTest {

    private static final List<Double> MEAN = List.of(0.485, 0.456, 0.406);

    private static Pixels image() {
        byte[] d = new byte[3 * 20 * 24];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 37 % 251);
        }
        return new Pixels(d, 3, 20, 24);
    }

    @Test
    void theReferencesPolicyIsTwoIncreasingOpsAtMagnitudeNineWithNoise() {
        RandAugment ra = RandAugment.parse("rand-m9-mstd0.5-inc1", MEAN, Resample.Filter.BICUBIC);
        for (long seed = 0; seed < 300; seed++) {
            Pixels got = ra.apply(image(), new SplittableRandom(seed));
            // replayed: two ops drawn with replacement, each taken when rand() <= 0.5, level N(9, 0.5²) clipped
            SplittableRandom r = new SplittableRandom(seed);
            RandAugment.Op[] ops = {RandAugment.Op.values()[r.nextInt(15)], RandAugment.Op.values()[r.nextInt(15)]};
            Pixels expected = image();
            for (RandAugment.Op op : ops) {
                if (r.nextDouble() > 0.5) {
                    continue;
                }
                double level = Math.min(10, Math.max(0, 9 + 0.5 * r.nextGaussian()));
                expected = ra.apply(op, expected, level, r);
            }
            assertThat(got.data()).as("seed %d", seed).isEqualTo(expected.data());
        }
    }

    @Test
    void increasingOpsGrowWithTheLevelAndGeometricOnesFillWithTheMeanColour() {
        RandAugment inc = RandAugment.parse("rand-m9-inc1", MEAN, Resample.Filter.BICUBIC);
        Pixels x = image();
        // posterize keeps 4 - int(0.9 * 4) = 1 bit at level 9; solarize from 256 - int(0.9 * 256) = 26
        assertThat(inc.apply(RandAugment.Op.POSTERIZE, x, 9, new SplittableRandom(1)).data())
                .isEqualTo(PilOps.posterize(x, 1).data());
        assertThat(inc.apply(RandAugment.Op.SOLARIZE, x, 9, new SplittableRandom(1)).data())
                .isEqualTo(PilOps.solarize(x, 26).data());
        RandAugment plain = RandAugment.parse("rand-m9", MEAN, Resample.Filter.BICUBIC);
        assertThat(plain.apply(RandAugment.Op.POSTERIZE, x, 9, new SplittableRandom(1)).data())
                .isEqualTo(PilOps.posterize(x, 3).data());
        // a translation by 45% of the width uncovers columns of timm's mean colour (124, 116, 104)
        Pixels moved = inc.apply(RandAugment.Op.TRANSLATE_X_REL, x, 10, new SplittableRandom(2));
        int plane = 20 * 24;
        int column = moved.data()[0] == (byte) 124 ? 0 : 23; // which side depends on the drawn sign
        assertThat(new int[] {moved.data()[column] & 0xff, moved.data()[plane + column] & 0xff,
                moved.data()[2 * plane + column] & 0xff}).containsExactly(124, 116, 104);
    }

    @Test
    void aPolicyThatIsNotRandAugmentIsAOneLineError() {
        assertThatThrownBy(() -> RandAugment.parse("augmix-m5", MEAN, Resample.Filter.BICUBIC))
                .isInstanceOf(SpinException.class).hasMessageStartingWith("AUG.AA_TYPE augmix-m5 is not a RandAugment policy");
        assertThatThrownBy(() -> RandAugment.parse("rand-q3", MEAN, Resample.Filter.BICUBIC))
                .isInstanceOf(SpinException.class).hasMessageContaining("'q3' is not a setting we offer");
        assertThatThrownBy(() -> RandAugment.parse("rand-m", MEAN, Resample.Filter.BICUBIC))
                .isInstanceOf(SpinException.class).hasMessageContaining("'m' is not a setting");
    }

    @Test
    void colourJitterDrawsItsFactorsInRangeAndDoesNothingAtZero() {
        Pixels x = image();
        assertThat(new ColorJitter(0).apply(x, new SplittableRandom(3)).data()).isEqualTo(x.data());
        for (long seed = 0; seed < 50; seed++) {
            Pixels got = new ColorJitter(0.4).apply(x, new SplittableRandom(seed));
            SplittableRandom r = new SplittableRandom(seed);
            int[] order = {0, 1, 2, 3};
            for (int i = 3; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double[] f = {0.6 + 0.8 * r.nextDouble(), 0.6 + 0.8 * r.nextDouble(), 0.6 + 0.8 * r.nextDouble()};
            Pixels expected = x;
            for (int op : order) {
                expected = op == 0 ? PilOps.brightness(expected, f[0]) : op == 1 ? PilOps.contrast(expected, f[1])
                        : op == 2 ? PilOps.color(expected, f[2]) : expected;
            }
            assertThat(got.data()).isEqualTo(expected.data());
        }
        assertThatThrownBy(() -> new ColorJitter(-1)).isInstanceOf(SpinException.class)
                .hasMessage("AUG.COLOR_JITTER -1.0 must be 0 or more");
    }
}
