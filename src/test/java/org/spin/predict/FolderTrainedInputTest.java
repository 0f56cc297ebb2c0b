package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.config.SpinConfig;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.DataConfig;

/** {@code predict} prepares an image as training did, whatever the data set's image size. */
class FolderTrainedInputTest {

    private static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    private static final double[] STD = {0.2470, 0.2435, 0.2616};

    @TempDir
    Path tmp;

    private static SpinConfig folderConfig(Path root, int side) {
        return SpinConfig.defaults().with("TRAIN.DATASET", "image_folder").with("DATA.PATH_TO_DATA_DIR", root.toString())
                .with("DATA.TRAIN_CROP_SIZE", side).with("DATA.TEST_CROP_SIZE", side).with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                .with("DATA.MEAN", List.of(MEAN[0], MEAN[1], MEAN[2])).with("DATA.STD", List.of(STD[0], STD[1], STD[2]))
                .with("TEST.BATCH_SIZE", 8);
    }

    @Test
    void theInputSideIsTheDataSetsImageSize() {
        assertThat(ImageInput.of(SpinConfig.defaults()).size()).isEqualTo(28);
        assertThat(ImageInput.of(SpinConfig.defaults().with("TRAIN.DATASET", "cifar10")).size()).isEqualTo(32);
        assertThat(ImageInput.of(folderConfig(tmp, 48)).size()).isEqualTo(48);
    }

    @Test
    void anImageOfAFolderBecomesTheTensorEvaluationFedIt() throws Exception {
        // shrunk by a non-integer factor, cut from a tall image, enlarged, and already square at the side:
        // predict applies the folder's evaluation transform (resize the shorter side, centre crop) as the loader does
        int[][] sizes = {{30, 45}, {50, 21}, {10, 14}, {16, 16}, {16, 23}};
        Path root = tmp.resolve("root");
        Path dir = Files.createDirectories(root.resolve("val/only"));
        Files.createDirectories(root.resolve("train/only"));
        for (int i = 0; i < sizes.length; i++) {
            TestImages.rgb(dir.resolve("img" + i + ".png"), TestImages.randomRgb(sizes[i][0], sizes[i][1], i));
        }
        SpinConfig cfg = folderConfig(root, 16);
        HostBatch batch;
        try (EpochIterator it = DataConfig.from(cfg).loader(false).epoch(0)) {
            batch = it.next();
        }
        int floats = 3 * 16 * 16;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < sizes.length; i++) {
                float[] got = ImageInput.of(cfg).toTensor(ImageFactory.getInstance().fromFile(dir.resolve("img" + i + ".png")),
                        manager).toFloatArray();
                assertThat(got).hasSize(floats);
                for (int p = 0; p < floats; p++) {
                    assertThat((double) got[p]).as("image %d (%dx%d), value %d", i, sizes[i][0], sizes[i][1], p)
                            .isCloseTo(batch.images()[i * floats + p], within(1e-5));
                }
            }
        }
    }
}
