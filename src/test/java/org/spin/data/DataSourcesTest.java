package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.Cifar10;
import org.spin.data.Cifar10Fixtures;
import org.spin.data.ImageSet;
import org.spin.predict.TestImages;

class DataSourcesTest {

    @TempDir
    Path tmp;

    private static SpinConfig dataset(String name) {
        return SpinConfig.defaults().with("TRAIN.DATASET", name);
    }

    @Test
    void theImageSizeIsTheDataSetsOwnOrTheCropSizeForFolders() {
        assertThat(DataSources.imageSize(dataset("fashion_mnist"))).isEqualTo(28);
        assertThat(DataSources.imageSize(dataset("synthetic"))).isEqualTo(28);
        assertThat(DataSources.imageSize(dataset("cifar10").with("DATA.TRAIN_CROP_SIZE", 224))).isEqualTo(32);
        assertThat(DataSources.imageSize(dataset("image_folder").with("DATA.TRAIN_CROP_SIZE", 64))).isEqualTo(64);
        assertThat(DataSources.imageSize(dataset("imagenet").with("DATA.TRAIN_CROP_SIZE", 224))).isEqualTo(224);
    }

    @Test
    void theShippedCifar10ConfigIsA32PixelColourModelOnTheUsersFolder() {
        SpinConfig cfg = SpinConfig.defaults().withYaml(Path.of("configs/cifar10/convmixer_256_8.yaml"));
        assertThat(DataSources.imageSize(cfg)).isEqualTo(32).isEqualTo(cfg.getInt("DATA.TRAIN_CROP_SIZE"));
        assertThat(cfg.getIntList("DATA.INPUT_CHANNEL_NUM")).containsExactly(3);
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.4914, 0.4822, 0.4465);
        assertThat(cfg.getDoubleList("DATA.STD")).containsExactly(0.2470, 0.2435, 0.2616);
        assertThat(cfg.getInt("MODEL.NUM_CLASSES")).isEqualTo(10);
        assertThat(cfg.ignoredKeys()).isEmpty();
        Path data = Cifar10Fixtures.write(tmp.resolve("c"), null);
        ImageSet test = DataSources.load(cfg.with("DATA.PATH_TO_DATA_DIR", data.toString()), false);
        assertThat(test.channels()).isEqualTo(3);
    }

    @Test
    void onlyImageFoldersAreCentreCropped() {
        assertThat(DataSources.centreCrops(dataset("image_folder"))).isTrue();
        assertThat(DataSources.centreCrops(dataset("cifar10"))).isFalse();
        assertThat(DataSources.centreCrops(dataset("fashion_mnist"))).isFalse();
    }

    @Test
    void cifar10LoadsFromTheDataDirWithItsClassNames() {
        Path dir = Cifar10Fixtures.write(tmp.resolve("c"), null);
        SpinConfig cfg = dataset("cifar10").with("DATA.PATH_TO_DATA_DIR", dir.toString());
        ImageSet test = DataSources.load(cfg, false);
        assertThat(test.height()).isEqualTo(DataSources.imageSize(cfg));
        assertThat(DataSources.classNames(cfg)).isEqualTo(Cifar10.CLASS_NAMES);
    }

    @Test
    void anImageFolderLoadsAtTheCropSizeWithItsFolderNamesAsClasses() throws Exception {
        for (String c : List.of("b", "a")) {
            TestImages.gray(Files.createDirectories(tmp.resolve("f/train/" + c)).resolve("x.png"), TestImages.randomGray(9, 12, 1));
        }
        SpinConfig cfg = dataset("image_folder").with("DATA.PATH_TO_DATA_DIR", tmp.resolve("f").toString())
                .with("DATA.TRAIN_CROP_SIZE", 6).with("DATA.INPUT_CHANNEL_NUM", List.of(1))
                .with("DATA_LOADER.NUM_WORKERS", 0);
        ImageSet train = DataSources.load(cfg, true);
        assertThat(train.height()).isEqualTo(6);
        assertThat(train.width()).isEqualTo(6);
        assertThat(train.channels()).isEqualTo(1);
        assertThat(DataSources.classNames(cfg)).containsExactly("a", "b");
        assertThat(DataSources.decodingThreads(cfg)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(DataSources.decodingThreads(cfg.with("DATA_LOADER.NUM_WORKERS", 3))).isEqualTo(3);
    }

    @Test
    void moreFolderClassesThanModelOutputsIsAnError() throws Exception {
        for (String c : List.of("a", "b", "c")) {
            TestImages.gray(Files.createDirectories(tmp.resolve("f/train/" + c)).resolve("x.png"), TestImages.randomGray(4, 4, 1));
        }
        SpinConfig cfg = dataset("image_folder").with("DATA.PATH_TO_DATA_DIR", tmp.resolve("f").toString())
                .with("MODEL.NUM_CLASSES", 2).with("DATA.TRAIN_CROP_SIZE", 4);
        assertThatThrownBy(() -> DataSources.load(cfg, true)).isInstanceOf(SpinException.class)
                .hasMessageContaining("MODEL.NUM_CLASSES 2 is too small for image_folder");
    }

    @Test
    void dataSetsWithoutADefaultLocationNeedTheDataDir() {
        for (String name : List.of("cifar10", "image_folder")) {
            assertThatThrownBy(() -> DataSources.load(dataset(name), true)).isInstanceOf(SpinException.class)
                    .hasMessageContaining("TRAIN.DATASET " + name + " needs DATA.PATH_TO_DATA_DIR");
        }
    }

    @Test
    void theReferencesImagenetPointsToImageFolder() {
        assertThatThrownBy(() -> DataSources.load(dataset("imagenet"), true)).isInstanceOf(SpinException.class)
                .hasMessageContaining("use TRAIN.DATASET image_folder")
                .hasMessageContaining("valid: fashion_mnist, synthetic, cifar10, image_folder");
    }
}
