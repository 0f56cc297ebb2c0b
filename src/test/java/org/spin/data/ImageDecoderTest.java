package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.predict.TestImages;

class ImageDecoderTest {

    private static final int SIDE = 8;

    @TempDir
    Path tmp;

    @Test
    void aCorruptImageIsAOneLineErrorNamingTheFile() throws Exception {
        Path bad = tmp.resolve("two.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> ImageDecoder.read(bad, 3)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith(bad + ": not a readable image")
                .hasMessageEndingWith("expected a PNG or JPEG file")
                .hasMessageNotContaining("\n");
    }

    // Found by the fuzzer (ReadersFuzzTest): one flipped bit in a PNG's height (9x134217737)
    // kept the decoder allocating for seconds before it failed.
    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeItIsDecoded() throws Exception {
        Path bad = TestImages.rgb(tmp.resolve("one.png"), TestImages.randomRgb(SIDE, SIDE, 1));
        byte[] png = Files.readAllBytes(bad);
        ByteBuffer.wrap(png).putInt(16, 100_000).putInt(20, 100_000); // IHDR width, height
        Files.write(bad, png);
        assertThatThrownBy(() -> ImageDecoder.read(bad, 3)).isInstanceOf(SpinException.class)
                .hasMessage(bad + ": image of 100000x100000 = 10000000000 pixels is larger than the 89478485-pixel"
                        + " limit; expected a smaller image (or a corrupt header)");
    }

    @Test
    void aPngIsReadExactlyAndAJpegToWithinItsCompressionError() throws Exception {
        int[][][] c = TestImages.randomRgb(6, 9, 2);
        Pixels p = ImageDecoder.read(TestImages.rgb(tmp.resolve("c.png"), c), 3);
        assertThat(new int[] {p.channels(), p.height(), p.width()}).containsExactly(3, 6, 9);
        assertThat(p.data()[(2 * 6 + 5) * 9 + 8] & 0xff).isEqualTo(c[5][8][2]);
        int[][][] flat = new int[SIDE][SIDE][];
        for (int[][] row : flat) {
            Arrays.fill(row, new int[] {200, 100, 50});
        }
        byte[] got = ImageDecoder.read(TestImages.rgb(tmp.resolve("flat.jpeg"), flat), 3).data();
        int plane = SIDE * SIDE;
        for (int i = 0; i < plane; i++) {
            assertThat(got[i] & 0xff).isCloseTo(200, Offset.offset(4));
            assertThat(got[plane + i] & 0xff).isCloseTo(100, Offset.offset(4));
            assertThat(got[2 * plane + i] & 0xff).isCloseTo(50, Offset.offset(4));
        }
    }

    @Test
    void aJpegsBytesAreReadAsGetRgbGivesThem() throws Exception {
        Path jpeg = TestImages.rgb(tmp.resolve("photo.jpg"), TestImages.randomRgb(13, 21, 5));
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(jpeg.toFile());
        assertThat(image.getType()).isEqualTo(java.awt.image.BufferedImage.TYPE_3BYTE_BGR); // the fast path's layout
        byte[] rgb = ImageDecoder.read(jpeg, 3).data();
        byte[] luma = ImageDecoder.read(jpeg, 1).data();
        int plane = 13 * 21;
        for (int i = 0; i < plane; i++) {
            int argb = image.getRGB(i % 21, i / 21);
            int r = (argb >> 16) & 0xff;
            int g = (argb >> 8) & 0xff;
            int b = argb & 0xff;
            assertThat(new int[] {rgb[i] & 0xff, rgb[plane + i] & 0xff, rgb[2 * plane + i] & 0xff}).containsExactly(r, g, b);
            assertThat(luma[i] & 0xff).isEqualTo(Math.round(0.299f * r + 0.587f * g + 0.114f * b));
        }
    }

    @Test
    void aGrayModelGetsTheLumaOfColourImagesAndTheLevelsOfSixteenBitGrayOnes() throws Exception {
        int[][][] c = TestImages.randomRgb(SIDE, SIDE, 11);
        byte[] luma = ImageDecoder.read(TestImages.rgb(tmp.resolve("c.png"), c), 1).data();
        int[][] g = TestImages.randomGray(SIDE, SIDE, 12);
        byte[] gray = ImageDecoder.read(TestImages.gray16(tmp.resolve("g16.png"), g), 1).data();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int[] p = c[y][x];
                assertThat(luma[y * SIDE + x] & 0xff).isEqualTo(Math.round(0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]));
                assertThat(gray[y * SIDE + x] & 0xff).isEqualTo(g[y][x]);
            }
        }
    }

    @Test
    void aGrayImageForAColourModelIsReplicated() throws Exception {
        int[][] g = TestImages.randomGray(SIDE, SIDE, 13);
        byte[] s = ImageDecoder.read(TestImages.gray(tmp.resolve("g.png"), g), 3).data();
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < SIDE * SIDE; i++) {
                assertThat(s[k * SIDE * SIDE + i] & 0xff).isEqualTo(g[i / SIDE][i % SIDE]);
            }
        }
    }
}
