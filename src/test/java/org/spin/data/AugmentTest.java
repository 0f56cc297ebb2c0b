package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentTest {

    /** 1×3×3: 1..9 row by row. */
    private static final byte[] THREE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static byte[] random(int length, long seed) {
        byte[] out = new byte[length];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    /** The H×W window at (top, left) of a C×PH×PW image. */
    private static byte[] window(byte[] padded, int c, int ph, int pw, int top, int left, int h, int w) {
        byte[] out = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(ch * h + y) * w + x] = padded[(ch * ph + top + y) * pw + left + x];
                }
            }
        }
        return out;
    }

    /**
     * Plain seeded loops rather than jqwik properties: jqwik writes a .jqwik-database file into
     * the working directory, outside this package.
     */
    private static void forRandomShapes(ShapeCheck check) {
        SplittableRandom rng = new SplittableRandom(2024);
        for (int trial = 0; trial < 300; trial++) {
            check.run(rng.nextInt(1, 4), rng.nextInt(1, 7), rng.nextInt(1, 7), rng.nextInt(0, 4), rng.nextLong());
        }
    }

    private interface ShapeCheck {
        void run(int c, int h, int w, int p, long seed);
    }

    @Test
    void flipTwiceIsIdentity() {
        forRandomShapes((c, h, w, p, seed) -> {
            byte[] sample = random(c * h * w, seed);

            byte[] twice = Augment.flipHorizontal(Augment.flipHorizontal(sample, c, h, w), c, h, w);

            assertThat(twice).isEqualTo(sample);
        });
    }

    @Test
    void cropAtZeroOffsetEqualsPaddingThenCroppingBackTheCentre() {
        forRandomShapes((c, h, w, p, seed) -> {
            byte[] sample = random(c * h * w, seed);
            byte[] centre = window(Augment.pad(sample, c, h, w, p), c, h + 2 * p, w + 2 * p, p, p, h, w);

            assertThat(Augment.crop(sample, c, h, w, p, 0, 0)).isEqualTo(centre).isEqualTo(sample);
        });
    }

    @Test
    void cropAtAnyOffsetEqualsTheShiftedWindowOfThePaddedImage() {
        forRandomShapes((c, h, w, p, seed) -> {
            byte[] sample = random(c * h * w, seed);
            byte[] padded = Augment.pad(sample, c, h, w, p);
            for (int top = 0; top <= 2 * p; top++) {
                for (int left = 0; left <= 2 * p; left++) {
                    byte[] expected = window(padded, c, h + 2 * p, w + 2 * p, top, left, h, w);

                    assertThat(Augment.crop(sample, c, h, w, p, top - p, left - p))
                            .as("c=%d h=%d w=%d p=%d top=%d left=%d", c, h, w, p, top, left)
                            .isEqualTo(expected);
                }
            }
        });
    }

    @Test
    void flipMirrorsEachRow() {
        assertThat(Augment.flipHorizontal(THREE, 1, 3, 3)).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
    }

    @Test
    void padSurroundsWithZeros() {
        assertThat(Augment.pad(new byte[] {1, 2}, 1, 1, 2, 1)).containsExactly(
                0, 0, 0, 0,
                0, 1, 2, 0,
                0, 0, 0, 0);
    }

    @Test
    void cropShiftedDownRightBringsInZerosBottomRight() {
        assertThat(Augment.crop(THREE, 1, 3, 3, 1, 1, 1)).containsExactly(
                5, 6, 0,
                8, 9, 0,
                0, 0, 0);
    }

    @Test
    void cropShiftedUpBringsInZerosOnTop() {
        assertThat(Augment.crop(THREE, 1, 3, 3, 1, -1, 0)).containsExactly(
                0, 0, 0,
                1, 2, 3,
                4, 5, 6);
    }

    @Test
    void cropShiftedLeftByFullPaddingKeepsOnlyFirstColumn() {
        assertThat(Augment.crop(THREE, 1, 3, 3, 2, 0, -2)).containsExactly(
                0, 0, 1,
                0, 0, 4,
                0, 0, 7);
    }

    @Test
    void cropMovesEveryChannelTheSameWay() {
        byte[] two = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};

        assertThat(Augment.crop(two, 2, 3, 3, 1, 1, -1)).containsExactly(
                0, 4, 5, 0, 7, 8, 0, 0, 0,
                0, 14, 15, 0, 17, 18, 0, 0, 0);
    }

    @Test
    void cropBeyondPaddingIsRejected() {
        assertThatThrownBy(() -> Augment.crop(THREE, 1, 3, 3, 1, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomCropDrawsRowThenColumnOffsetFromTheGenerator() {
        SplittableRandom reference = new SplittableRandom(7);
        int dy = reference.nextInt(5) - 2;
        int dx = reference.nextInt(5) - 2;

        byte[] out = Augment.randomCrop(THREE, 1, 3, 3, 2, new SplittableRandom(7));

        assertThat(out).isEqualTo(Augment.crop(THREE, 1, 3, 3, 2, dy, dx));
    }

    @Test
    void randomFlipFlipsAboutHalfTheTime() {
        SplittableRandom rng = new SplittableRandom(1);
        int flipped = 0;
        for (int i = 0; i < 2000; i++) {
            if (Augment.randomFlip(THREE, 1, 3, 3, rng)[0] == 3) {
                flipped++;
            }
        }
        assertThat(flipped).isBetween(900, 1100);
    }

    @Test
    void augmentationsNeverModifyTheirInput() {
        byte[] copy = THREE.clone();
        SplittableRandom rng = new SplittableRandom(3);

        Augment.randomCrop(THREE, 1, 3, 3, 2, rng);
        Augment.randomFlip(THREE, 1, 3, 3, rng);
        Augment.flipHorizontal(THREE, 1, 3, 3);

        assertThat(THREE).isEqualTo(copy);
    }

    @Test
    void thePaddingIsTwoBelow32PixelsAndAnEighthOfTheSideFromThere() {
        assertThat(Augment.padding(28)).isEqualTo(2);
        assertThat(Augment.padding(8)).isEqualTo(2);
        assertThat(Augment.padding(32)).isEqualTo(4);
        assertThat(Augment.padding(224)).isEqualTo(28);
    }

    @Test
    void cropAndFlipWorkAtCifarAndImageNetSizes() {
        for (int side : new int[] {32, 224}) {
            int p = Augment.padding(side);
            byte[] sample = random(3 * side * side, side);
            byte[] padded = Augment.pad(sample, 3, side, side, p);
            int ps = side + 2 * p;
            for (int[] d : new int[][] {{-p, p}, {p, -p}, {1, 0}}) {
                assertThat(Augment.crop(sample, 3, side, side, p, d[0], d[1]))
                        .isEqualTo(window(padded, 3, ps, ps, p + d[0], p + d[1], side, side));
            }
            byte[] flipped = Augment.flipHorizontal(sample, 3, side, side);
            assertThat(flipped[side - 1]).isEqualTo(sample[0]);
            assertThat(flipped[2 * side * side + side * side - 1]).isEqualTo(sample[2 * side * side + side * (side - 1)]);
        }
    }
}
