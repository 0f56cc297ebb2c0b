package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.config.SpinConfig;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.ImageSet;
import org.spin.data.DataConfig;

/**
 * The translator's preprocessing against the training formula {@code (pixel/255 - mean)/std},
 * computed here independently from the pixels written into the files.
 */
class ImageInputTest {

    private static final double GRAY_MEAN = 0.2860;
    private static final double GRAY_STD = 0.3530;
    private static final double[] RGB_MEAN = {0.4, 0.5, 0.6};
    private static final double[] RGB_STD = {0.2, 0.25, 0.3};

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static ImageInput gray() {
        return new ImageInput(1, 28, List.of(GRAY_MEAN), List.of(GRAY_STD));
    }

    private static ImageInput rgb() {
        return new ImageInput(3, 28, List.of(RGB_MEAN[0], RGB_MEAN[1], RGB_MEAN[2]),
                List.of(RGB_STD[0], RGB_STD[1], RGB_STD[2]));
    }

    private float[] tensor(ImageInput input, Path file) throws Exception {
        Image image = ImageFactory.getInstance().fromFile(file);
        var t = input.toTensor(image, manager);
        assertThat(t.getShape().getShape()).containsExactly(input.channels(), 28, 28);
        return t.toFloatArray();
    }

    private static double normalised(int level, double mean, double std) {
        return (level / 255.0 - mean) / std;
    }

    @Test
    void aGrayImageAtTheModelSizeIsNormalisedAsInTrainingWithoutInversion() throws Exception {
        int[][] g = TestImages.randomGray(28, 28, 1);
        g[0][0] = 0;
        g[0][1] = 255;
        float[] t = tensor(gray(), TestImages.gray(tmp.resolve("g.png"), g));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat((double) t[y * 28 + x]).isCloseTo(normalised(g[y][x], GRAY_MEAN, GRAY_STD), within(1e-6));
            }
        }
        // black stays the lowest value and white the highest: no inversion
        assertThat((double) t[0]).isCloseTo(-GRAY_MEAN / GRAY_STD, within(1e-6));
        assertThat((double) t[1]).isCloseTo((1 - GRAY_MEAN) / GRAY_STD, within(1e-6));
    }

    @Test
    void theInputAsTheConfigDescribesItIsTrainingsChannelsSizeAndNormalisation() {
        SpinConfig cfg = SpinConfig.defaults().withOverrides(List.of("DATA.INPUT_CHANNEL_NUM", "[1]",
                "DATA.MEAN", "[0.1]", "DATA.STD", "[0.5]"));
        ImageInput input = ImageInput.of(cfg);
        assertThat(input.channels()).isEqualTo(1);
        assertThat(input.size()).isEqualTo(28);
        float[] t = input.toTensor(ImageFactory.getInstance().fromPixels(new int[] {0xff808080}, 1, 1), manager)
                .toFloatArray();
        assertThat((double) t[0]).isCloseTo(normalised(128, 0.1, 0.5), within(1e-6));
    }

    @ParameterizedTest(name = "{0} input channel(s)")
    @ValueSource(ints = {1, 3})
    void anEvaluationImageSavedAsPngBecomesExactlyTheTensorTheTrainingLoaderFeeds(int channels) throws Exception {
        SpinConfig cfg = SpinConfig.defaults().withOverrides(List.of("TRAIN.DATASET", "synthetic",
                "DATA.INPUT_CHANNEL_NUM", "[" + channels + "]", "TEST.BATCH_SIZE", "4"));
        ImageSet test = DataConfig.from(cfg).load(false);
        HostBatch batch;
        try (EpochIterator it = DataConfig.from(cfg).loader(test, false).epoch(0)) {
            batch = it.next();
        }
        int floats = channels * 28 * 28;
        for (int i = 0; i < batch.size(); i++) {
            byte[] sample = test.sample(i);
            int[][] g = new int[28][28];
            for (int p = 0; p < sample.length; p++) {
                g[p / 28][p % 28] = sample[p] & 0xff;
            }
            float[] t = tensor(ImageInput.of(cfg), TestImages.gray(tmp.resolve(i + ".png"), g));
            assertThat(t).containsExactly(Arrays.copyOfRange(batch.images(), i * floats, (i + 1) * floats));
        }
    }

    @Test
    void anImageMadeOfBlocksShrinksToTheBlocksExactly() throws Exception {
        int[][] small = TestImages.randomGray(28, 28, 2);
        int[][] big = new int[84][84];
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                big[y][x] = small[y / 3][x / 3];
            }
        }
        float[] t = tensor(gray(), TestImages.gray(tmp.resolve("big.png"), big));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat((double) t[y * 28 + x]).isCloseTo(normalised(small[y][x], GRAY_MEAN, GRAY_STD), within(1e-6));
            }
        }
    }

    @Test
    void shrinkingAveragesThePixelsEachOutputPixelCoversToTheNearestLevel() throws Exception {
        int[][] big = TestImages.randomGray(84, 84, 3);
        float[] t = tensor(gray(), TestImages.gray(tmp.resolve("big.png"), big));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double sum = 0;
                for (int i = 0; i < 9; i++) {
                    sum += big[3 * y + i / 3][3 * x + i % 3];
                }
                double level = (t[y * 28 + x] * GRAY_STD + GRAY_MEAN) * 255;
                assertThat(level).isCloseTo(Math.round(level), within(1e-3)); // an 8-bit level
                assertThat(level).isCloseTo(sum / 9, within(0.5 + 1e-3));
            }
        }
    }

    @Test
    void anImageOfOneColourKeepsItAtAnySizeAndShape() throws Exception {
        for (int[] hw : new int[][] {{30, 50}, {10, 10}, {100, 7}}) {
            int[][] g = new int[hw[0]][hw[1]];
            for (int[] row : g) {
                Arrays.fill(row, 77);
            }
            float[] t = tensor(gray(), TestImages.gray(tmp.resolve("c" + hw[0] + "x" + hw[1] + ".png"), g));
            for (float v : t) {
                assertThat((double) v).isCloseTo(normalised(77, GRAY_MEAN, GRAY_STD), within(1e-6));
            }
        }
    }

    @Test
    void aColourImageForAGrayModelBecomesItsLuma() throws Exception {
        int[][][] c = TestImages.randomRgb(28, 28, 4);
        float[] t = tensor(gray(), TestImages.rgb(tmp.resolve("c.png"), c));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int luma = Math.round(0.299f * c[y][x][0] + 0.587f * c[y][x][1] + 0.114f * c[y][x][2]);
                assertThat((double) t[y * 28 + x]).isCloseTo(normalised(luma, GRAY_MEAN, GRAY_STD), within(1e-6));
            }
        }
    }

    @Test
    void aColourImageForAColourModelKeepsItsChannelsEachWithItsOwnNormalisation() throws Exception {
        int[][][] c = TestImages.randomRgb(28, 28, 5);
        float[] t = tensor(rgb(), TestImages.rgb(tmp.resolve("c.png"), c));
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    assertThat((double) t[k * 784 + y * 28 + x])
                            .isCloseTo(normalised(c[y][x][k], RGB_MEAN[k], RGB_STD[k]), within(1e-6));
                }
            }
        }
    }

    @Test
    void aGrayImageForAColourModelIsReplicatedIntoEveryChannel() throws Exception {
        int[][] g = TestImages.randomGray(28, 28, 6);
        float[] t = tensor(rgb(), TestImages.gray(tmp.resolve("g.png"), g));
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    assertThat((double) t[k * 784 + y * 28 + x])
                            .isCloseTo(normalised(g[y][x], RGB_MEAN[k], RGB_STD[k]), within(1e-6));
                }
            }
        }
    }

    @Test
    void aSixteenBitGrayImageReadsAsItsOwnLevelsNotGammaBrightened() throws Exception {
        int[][] g = TestImages.randomGray(28, 28, 7);
        float[] t = tensor(gray(), TestImages.gray16(tmp.resolve("g16.png"), g));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat((double) t[y * 28 + x]).isCloseTo(normalised(g[y][x], GRAY_MEAN, GRAY_STD), within(1e-6));
            }
        }
    }

    @Test
    void aJpegIsReadToWithinItsCompressionError() throws Exception {
        int[][] g = new int[28][28];
        for (int[] row : g) {
            Arrays.fill(row, 100);
        }
        float[] t = tensor(gray(), TestImages.gray(tmp.resolve("g.jpg"), g));
        for (float v : t) {
            assertThat(v * GRAY_STD + GRAY_MEAN).isCloseTo(100 / 255.0, within(2 / 255.0));
        }
    }
}
