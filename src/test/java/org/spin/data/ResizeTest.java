package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void theCentreSquareOfAWideImageCutsBothSidesAndAnOddMarginLeavesItsExtraPixelRight() {
        assertThat(Resize.centreSquare(10, 15)).isEqualTo(new Resize.Window(0, 2, 10));
        assertThat(Resize.centreSquare(16, 10)).isEqualTo(new Resize.Window(3, 0, 10));
        assertThat(Resize.centreSquare(7, 7)).isEqualTo(new Resize.Window(0, 0, 7));
    }

    @Test
    void cropTakesTheSameWindowOfEveryChannel() {
        byte[] img = new byte[2 * 3 * 4]; // 2×3×4, value = index
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) i;
        }
        byte[] out = Resize.crop(img, 2, 3, 4, new Resize.Window(0, 1, 3));
        assertThat(out).containsExactly(1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19, 21, 22, 23);
    }

    @Test
    void anImageMadeOfBlocksShrinksToItsBlocksExactly() {
        byte[] small = random(2 * 5 * 5, 1);
        byte[] big = new byte[2 * 15 * 15];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 15; x++) {
                    big[(c * 15 + y) * 15 + x] = small[(c * 5 + y / 3) * 5 + x / 3];
                }
            }
        }
        assertThat(Resize.resize(big, 2, 15, 15, 5, 5)).isEqualTo(small);
    }

    @Test
    void shrinkingAveragesTheCoveredPixelsRoundedHalfToEven() {
        // 1×4 → 1×2 in width, rows kept: (1+2)/2 = 1.5 → 2, (3+4)/2 = 3.5 → 4; (0+1)/2 = 0.5 → 0
        byte[] img = {1, 2, 3, 4, 0, 1, 0, 1};
        assertThat(Resize.resize(img, 1, 2, 4, 2, 2)).containsExactly(2, 4, 0, 0);
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentresAndClampsAtTheBorder() {
        // 1×2 → 1×4 with align_corners=false: sources -0.25→0, 0.25, 0.75, 1.25→edge
        byte[] img = {0, 100};
        assertThat(Resize.resize(img, 1, 1, 2, 1, 4)).containsExactly(0, 25, 75, 100);
    }

    @Test
    void anImageOfOneLevelKeepsItAtAnySize() {
        byte[] img = new byte[3 * 7 * 7];
        java.util.Arrays.fill(img, (byte) 200);
        for (int side : new int[] {3, 7, 11, 32}) {
            for (byte b : Resize.resize(img, 3, 7, 7, side, side)) {
                assertThat(b & 0xff).isEqualTo(200);
            }
        }
    }
}
