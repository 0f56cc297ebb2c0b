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
        assertThat(DataConfig.from(dataset("fashion_mnist")).imageSize()).isEqualTo(28);
        assertThat(DataConfig.from(dataset("synthetic")).imageSize()).isEqualTo(28);
        assertThat(DataConfig.from(dataset("cifar10").with("DATA.TRAIN_CROP_SIZE", 224)).imageSize()).isEqualTo(32);
        assertThat(DataConfig.from(dataset("image_folder").with("DATA.TRAIN_CROP_SIZE", 64)).imageSize()).isEqualTo(64);
        assertThat(DataConfig.from(dataset("imagenet").with("DATA.TRAIN_CROP_SIZE", 224)).imageSize()).isEqualTo(224);
    }

    @Test
    void theShippedCifar10ConfigIsA32PixelColourModelOnTheUsersFolder() {
        SpinConfig cfg = SpinConfig.defaults().withYaml(Path.of("configs/cifar10/convmixer_256_8.yaml"));
        assertThat(DataConfig.from(cfg).imageSize()).isEqualTo(32).isEqualTo(cfg.getInt("DATA.TRAIN_CROP_SIZE"));
        assertThat(cfg.getIntList("DATA.INPUT_CHANNEL_NUM")).containsExactly(3);
        assertThat(cfg.getDoubleList("DATA.MEAN")).containsExactly(0.4914, 0.4822, 0.4465);
        assertThat(cfg.getDoubleList("DATA.STD")).containsExactly(0.2470, 0.2435, 0.2616);
        assertThat(cfg.getInt("MODEL.NUM_CLASSES")).isEqualTo(10);
        assertThat(cfg.ignoredKeys()).isEmpty();
        Path data = Cifar10Fixtures.write(tmp.resolve("c"), null);
        ImageSet test = DataConfig.from(cfg.with("DATA.PATH_TO_DATA_DIR", data.toString())).load(false);
        assertThat(test.channels()).isEqualTo(3);
    }

    @Test
    void imageFoldersAndImagenetStreamAndHaveAnEvaluationTransform() {
        for (String name : List.of("image_folder", "imagenet")) {
            DataConfig d = DataConfig.from(dataset(name).with("DATA.TEST_CROP_SIZE", 20));
            assertThat(DataSources.streams(d)).isTrue();
            assertThat(DataSources.evalTransform(d).side()).isEqualTo(20);
        }
        for (String name : List.of("cifar10", "fashion_mnist", "synthetic")) {
            assertThat(DataSources.streams(DataConfig.from(dataset(name)))).isFalse();
            assertThat(DataSources.evalTransform(DataConfig.from(dataset(name)))).isNull();
        }
    }

    @Test
    void videoClipsAreRefused() {
        assertThatThrownBy(() -> DataConfig.from(dataset("image_folder").with("DATA.NUM_FRAMES", 8)))
                .isInstanceOf(SpinException.class).hasMessageStartingWith("DATA.NUM_FRAMES 8 asks for video clips");
    }

    @Test
    void badJitterRangesAndInterpolationsAreNamedByKey() {
        SpinConfig folder = dataset("image_folder");
        assertThatThrownBy(() -> DataSources.trainTransform(DataConfig.from(folder.with("DATA.TRAIN_JITTER_SCALES_RELATIVE",
                List.of(0.5, 0.2))))).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("DATA.TRAIN_JITTER_SCALES_RELATIVE [0.5, 0.2] must be two numbers lo <= hi");
        assertThatThrownBy(() -> DataSources.trainTransform(DataConfig.from(folder.with("DATA.TRAIN_JITTER_ASPECT_RELATIVE",
                List.of(0.0, 1.0))))).isInstanceOf(SpinException.class)
                .hasMessageStartingWith("DATA.TRAIN_JITTER_ASPECT_RELATIVE [0.0, 1.0] must be two numbers");
        assertThatThrownBy(() -> DataSources.evalTransform(DataConfig.from(folder.with("AUG.INTERPOLATION", "lanczos"))))
                .isInstanceOf(SpinException.class).hasMessageStartingWith("AUG.INTERPOLATION lanczos is not");
    }

    @Test
    void cifar10LoadsFromTheDataDirWithItsClassNames() {
        Path dir = Cifar10Fixtures.write(tmp.resolve("c"), null);
        SpinConfig cfg = dataset("cifar10").with("DATA.PATH_TO_DATA_DIR", dir.toString());
        ImageSet test = DataConfig.from(cfg).load(false);
        assertThat(test.height()).isEqualTo(DataConfig.from(cfg).imageSize());
        assertThat(DataSources.classNames(DataConfig.from(cfg))).isEqualTo(Cifar10.CLASS_NAMES);
    }

    @Test
    void anImageFolderStreamsAtTheCropSizesWithItsFolderNamesAsClasses() throws Exception {
        for (String c : List.of("b", "a")) {
            TestImages.gray(Files.createDirectories(tmp.resolve("f/train/" + c)).resolve("x.png"), TestImages.randomGray(9, 12, 1));
            TestImages.gray(Files.createDirectories(tmp.resolve("f/val/" + c)).resolve("y.png"), TestImages.randomGray(7, 5, 2));
        }
        SpinConfig cfg = dataset("image_folder").with("DATA.PATH_TO_DATA_DIR", tmp.resolve("f").toString())
                .with("DATA.TRAIN_CROP_SIZE", 6).with("DATA.TEST_CROP_SIZE", 4).with("DATA.INPUT_CHANNEL_NUM", List.of(1))
                .with("DATA_LOADER.NUM_WORKERS", 0).with("TRAIN.BATCH_SIZE", 2);
        Loader train = DataConfig.from(cfg).loader(true);
        assertThat(train).isInstanceOf(StreamingLoader.class);
        assertThat(new int[] {train.outputChannels(), train.height(), train.width(), train.size()}).containsExactly(1, 6, 6, 2);
        Loader val = DataConfig.from(cfg).loader(false);
        assertThat(new int[] {val.height(), val.width(), val.size()}).containsExactly(4, 4, 2);
        assertThatThrownBy(() -> DataConfig.from(cfg).load(true)).isInstanceOf(SpinException.class)
                .hasMessageContaining("is read from its files as it is needed");
        assertThat(DataSources.classNames(DataConfig.from(cfg))).containsExactly("a", "b");
        assertThat(DataSources.decodingThreads(DataConfig.from(cfg))).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(DataSources.decodingThreads(DataConfig.from(cfg.with("DATA_LOADER.NUM_WORKERS", 3)))).isEqualTo(3);
    }

    @Test
    void moreFolderClassesThanModelOutputsIsAnError() throws Exception {
        for (String c : List.of("a", "b", "c")) {
            TestImages.gray(Files.createDirectories(tmp.resolve("f/train/" + c)).resolve("x.png"), TestImages.randomGray(4, 4, 1));
        }
        SpinConfig cfg = dataset("image_folder").with("DATA.PATH_TO_DATA_DIR", tmp.resolve("f").toString())
                .with("MODEL.NUM_CLASSES", 2).with("DATA.TRAIN_CROP_SIZE", 4);
        assertThatThrownBy(() -> DataConfig.from(cfg).loader(true)).isInstanceOf(SpinException.class)
                .hasMessageContaining("MODEL.NUM_CLASSES 2 is too small for image_folder");
    }

    @Test
    void dataSetsWithoutADefaultLocationNeedTheDataDir() {
        for (String name : List.of("cifar10", "image_folder", "imagenet")) {
            assertThatThrownBy(() -> DataConfig.from(dataset(name)).loader(true)).isInstanceOf(SpinException.class)
                    .hasMessageContaining("TRAIN.DATASET " + name + " needs DATA.PATH_TO_DATA_DIR");
        }
    }


}
