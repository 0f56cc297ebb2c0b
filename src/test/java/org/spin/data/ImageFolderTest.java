package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.predict.TestImages;

class ImageFolderTest {

    private static final int SIDE = 8;

    @TempDir
    Path tmp;

    /** A random 8×8 RGB image whose colours depend on {@code seed}. */
    private static int[][][] colours(long seed) {
        return TestImages.randomRgb(SIDE, SIDE, seed);
    }

    private Path dir(String... parts) throws Exception {
        Path p = tmp.resolve(String.join("/", parts));
        Files.createDirectories(p);
        return p;
    }

    /** C×H×W bytes of an RGB picture. */
    private static byte[] planes(int[][][] c) {
        int h = c.length;
        int w = c[0].length;
        byte[] out = new byte[3 * h * w];
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(k * h + y) * w + x] = (byte) c[y][x][k];
                }
            }
        }
        return out;
    }

    /**
     * train/: cat (2 PNG), ant (1 PNG, 1 JPEG in a sub-folder), bee (1 PNG, plus files that are no
     * images); val/: bee and ant only. Class order is ant, bee, cat.
     */
    private Path tree() throws Exception {
        TestImages.rgb(dir("root/train/cat").resolve("b.png"), colours(1));
        TestImages.rgb(dir("root/train/cat").resolve("a.png"), colours(2));
        TestImages.rgb(dir("root/train/ant").resolve("z.png"), colours(3));
        TestImages.rgb(dir("root/train/ant/more").resolve("x.JPG"), colours(4));
        TestImages.rgb(dir("root/train/bee").resolve("one.png"), colours(5));
        Files.writeString(dir("root/train/bee").resolve("notes.txt"), "not an image");
        Files.writeString(dir("root/train/bee").resolve("._one.png"), "macOS resource fork");
        dir("root/train/.ipynb_checkpoints");
        TestImages.rgb(dir("root/val/bee").resolve("v1.png"), colours(6));
        TestImages.rgb(dir("root/val/ant").resolve("v2.png"), colours(7));
        return tmp.resolve("root");
    }

    @Test
    void classesAreTheSortedFoldersAndFilesComeInPathOrderWithTheirLabels() throws Exception {
        Path root = tree();
        ImageSet set = ImageFolder.load(root, true, SIDE, 3, 2);
        assertThat(set.classNames()).containsExactly("ant", "bee", "cat");
        assertThat(ImageFolder.classNames(root)).containsExactly("ant", "bee", "cat");
        assertThat(set.n()).isEqualTo(5);
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(SIDE);
        assertThat(set.width()).isEqualTo(SIDE);
        assertThat(set.labels()).containsExactly(0, 0, 1, 2, 2);
        // ant: more/x.JPG before z.png; cat: a.png before b.png; PNGs at the model's size are exact
        assertThat(set.sample(1)).isEqualTo(planes(colours(3)));
        assertThat(set.sample(2)).isEqualTo(planes(colours(5)));
        assertThat(set.sample(3)).isEqualTo(planes(colours(2)));
        assertThat(set.sample(4)).isEqualTo(planes(colours(1)));
    }

    @Test
    void aJpegIsReadToWithinItsCompressionError() throws Exception {
        int[][][] flat = new int[SIDE][SIDE][];
        for (int[][] row : flat) {
            Arrays.fill(row, new int[] {200, 100, 50});
        }
        TestImages.rgb(dir("j/train/only").resolve("flat.jpeg"), flat);
        byte[] got = ImageFolder.load(tmp.resolve("j"), true, SIDE, 3, 1).sample(0);
        int plane = SIDE * SIDE;
        for (int i = 0; i < plane; i++) {
            assertThat(got[i] & 0xff).isCloseTo(200, org.assertj.core.data.Offset.offset(4));
            assertThat(got[plane + i] & 0xff).isCloseTo(100, org.assertj.core.data.Offset.offset(4));
            assertThat(got[2 * plane + i] & 0xff).isCloseTo(50, org.assertj.core.data.Offset.offset(4));
        }
    }

    @Test
    void theValidationSplitKeepsTheTrainingLabelsEvenWithAClassMissing() throws Exception {
        ImageSet val = ImageFolder.load(tree(), false, SIDE, 3, 2);
        assertThat(val.classNames()).containsExactly("ant", "bee", "cat");
        assertThat(val.labels()).containsExactly(0, 1);
        assertThat(val.sample(0)).isEqualTo(planes(colours(7)));
    }

    @Test
    void aValidationClassThatTrainingLacksIsAnError() throws Exception {
        Path root = tree();
        TestImages.rgb(dir("root/val/wasp").resolve("w.png"), colours(8));
        assertThatThrownBy(() -> ImageFolder.load(root, false, SIDE, 3, 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining(root.resolve("val/wasp").toString())
                .hasMessageContaining("is a class that " + root.resolve("train") + " does not have");
    }

    @Test
    void aNonSquareImageIsCutToItsCentreSquareAndShrunk() throws Exception {
        // a 16×24 picture: a centre 16×16 of 2×2 blocks of an 8×8 image, with 4 columns of noise each side
        int[][][] small = colours(9);
        int[][][] wide = TestImages.randomRgb(16, 24, 10);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                wide[y][x + 4] = small[y / 2][x / 2];
            }
        }
        TestImages.rgb(dir("w/train/c").resolve("wide.png"), wide);
        assertThat(ImageFolder.load(tmp.resolve("w"), true, SIDE, 3, 1).sample(0)).isEqualTo(planes(small));
    }

    @Test
    void aGrayModelGetsTheLumaOfColourImagesAndTheLevelsOfSixteenBitGrayOnes() throws Exception {
        int[][][] c = colours(11);
        TestImages.rgb(dir("g/train/a").resolve("c.png"), c);
        int[][] g = TestImages.randomGray(SIDE, SIDE, 12);
        TestImages.gray16(dir("g/train/b").resolve("g16.png"), g);
        ImageSet set = ImageFolder.load(tmp.resolve("g"), true, SIDE, 1, 2);
        assertThat(set.channels()).isEqualTo(1);
        byte[] luma = set.sample(0);
        byte[] gray = set.sample(1);
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
        TestImages.gray(dir("r/train/a").resolve("g.png"), g);
        byte[] s = ImageFolder.load(tmp.resolve("r"), true, SIDE, 3, 1).sample(0);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < SIDE * SIDE; i++) {
                assertThat(s[k * SIDE * SIDE + i] & 0xff).isEqualTo(g[i / SIDE][i % SIDE]);
            }
        }
    }

    @Test
    void decodingOnSeveralThreadsGivesTheSameSetAsOnOne() throws Exception {
        for (int i = 0; i < 40; i++) {
            Path file = dir("many/train/k" + i % 3).resolve(String.format("img%02d.%s", i, i % 2 == 0 ? "png" : "jpg"));
            TestImages.rgb(file, TestImages.randomRgb(10 + i % 7, 12, i));
        }
        ImageSet one = ImageFolder.load(tmp.resolve("many"), true, SIDE, 3, 1);
        ImageSet four = ImageFolder.load(tmp.resolve("many"), true, SIDE, 3, 4);
        assertThat(four.n()).isEqualTo(40);
        assertThat(four.pixels()).isEqualTo(one.pixels());
        assertThat(four.labels()).isEqualTo(one.labels());
        assertThat(four.labels()).startsWith(0, 0, 0);
    }

    @Test
    void aCorruptImageIsAOneLineErrorNamingTheFile() throws Exception {
        Path root = tree();
        Path bad = root.resolve("train/bee/two.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> ImageFolder.load(root, true, SIDE, 3, 3)).isInstanceOf(SpinException.class)
                .hasMessageStartingWith(bad + ": not a readable image")
                .hasMessageEndingWith("expected a PNG or JPEG file")
                .hasMessageNotContaining("\n");
    }

    // Found by the fuzzer (ReadersFuzzTest): one flipped bit in a PNG's height (9x134217737)
    // kept the decoder allocating for seconds before it failed.
    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeItIsDecoded() throws Exception {
        Path root = tree();
        Path bad = root.resolve("train/bee/one.png");
        byte[] png = Files.readAllBytes(bad);
        ByteBuffer.wrap(png).putInt(16, 100_000).putInt(20, 100_000); // IHDR width, height
        Files.write(bad, png);
        assertThatThrownBy(() -> ImageFolder.load(root, true, SIDE, 3, 1)).isInstanceOf(SpinException.class)
                .hasMessage(bad + ": image of 100000x100000 = 10000000000 pixels is larger than the 89478485-pixel"
                        + " limit; expected a smaller image (or a corrupt header)");
    }

    @Test
    void aMissingSplitFolderIsAnErrorShowingTheLayout() {
        Path root = tmp.resolve("empty");
        assertThatThrownBy(() -> ImageFolder.load(root, true, SIDE, 3, 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining(root.resolve("train") + " not found")
                .hasMessageContaining("train/<class>/*.jpg|png");
    }

    @Test
    void aClassFolderWithoutImagesIsAnError() throws Exception {
        Path root = tree();
        dir("root/train/dog");
        assertThatThrownBy(() -> ImageFolder.load(root, true, SIDE, 3, 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining(root.resolve("train/dog") + " has no images");
    }

    @Test
    void channelsOtherThanGrayOrRgbAreRejected() throws Exception {
        Path root = tree();
        assertThatThrownBy(() -> ImageFolder.load(root, true, SIDE, 2, 1)).isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.INPUT_CHANNEL_NUM 2");
        assertThat(List.of(1, 3)).allSatisfy(c -> assertThat(ImageFolder.load(root, false, 4, c, 1).channels()).isEqualTo(c));
    }
}
