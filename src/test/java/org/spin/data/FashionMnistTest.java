package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.spin.data.IdxFixtures.images;
import static org.spin.data.IdxFixtures.labels;
import static org.spin.data.IdxFixtures.pixels;
import static org.spin.data.IdxFixtures.write;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

class FashionMnistTest {

    @TempDir
    Path tmp;

    private Path given() {
        return tmp.resolve("given");
    }

    private Path fallback() {
        return tmp.resolve("fallback");
    }

    @Test
    void loadsGzipSplitFromGivenDirectory() {
        IdxFixtures.writeSplit(given(), "train", true);

        ImageSet set = FashionMnist.load(given(), true, fallback());

        assertThat(set.n()).isEqualTo(3);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(set.height()).isEqualTo(2);
        assertThat(set.width()).isEqualTo(2);
        assertThat(set.labels()).containsExactly(9, 0, 4);
        assertThat(set.pixels()).isEqualTo(pixels(3, 2, 2));
        assertThat(set.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }

    @Test
    void loadsPlainTestSplit() {
        IdxFixtures.writeSplit(given(), "t10k", false);

        assertThat(FashionMnist.load(given(), false, fallback()).labels()).containsExactly(9, 0, 4);
    }

    @Test
    void aGivenFolderWithoutTheFilesIsRefusedEvenWhenTheDefaultHasThem() throws Exception {
        IdxFixtures.writeSplit(fallback(), "train", true);
        Files.createDirectories(given());

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.PATH_TO_DATA_DIR " + given() + " has no Fashion-MNIST train files")
                .hasMessageContaining("train-images-idx3-ubyte");
    }

    @Test
    void aGivenFolderThatDoesNotExistIsRefusedEvenWhenTheDefaultHasTheFiles() {
        IdxFixtures.writeSplit(fallback(), "train", true);

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA.PATH_TO_DATA_DIR " + given() + " does not exist")
                .hasMessageNotContaining("\n");
    }

    @Test
    void nullOrEmptyDirectoryMeansDefault() {
        IdxFixtures.writeSplit(fallback(), "t10k", true);

        assertThat(FashionMnist.load(null, false, fallback()).n()).isEqualTo(3);
        assertThat(FashionMnist.load(Path.of(""), false, fallback()).n()).isEqualTo(3);
    }

    @Test
    void missingDatasetWithoutConfiguredDirNamesConfigKeyAndDefault() {
        assertThatThrownBy(() -> FashionMnist.load(null, false, fallback()))
                .isInstanceOf(SpinException.class)
                .isInstanceOf(MissingDataSet.class)
                .hasMessageContaining("DATA.PATH_TO_DATA_DIR is empty")
                .hasMessageContaining(fallback().toString())
                .hasMessageContaining("dataset-fashion-mnist")
                .hasMessageContaining("t10k-images-idx3-ubyte");
    }

    @Test
    void onlyOneOfTheTwoFilesIsAnError() {
        write(given().resolve("train-images-idx3-ubyte"), images(1, 1, 1, new byte[1]));
        IdxFixtures.writeSplit(fallback(), "train", true);

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(given().toString())
                .hasMessageContaining("train-labels-idx1-ubyte");
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFiles() {
        Path imagesFile = write(given().resolve("train-images-idx3-ubyte"), images(3, 2, 2, pixels(3, 2, 2)));
        Path labelsFile = write(given().resolve("train-labels-idx1-ubyte"), labels(new byte[] {1, 2}));

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(imagesFile.toString())
                .hasMessageContaining(labelsFile.toString())
                .hasMessageContaining("3 images")
                .hasMessageContaining("2 labels");
    }

    @Test
    void labelOutOfRangeNamesFileAndIndex() {
        write(given().resolve("train-images-idx3-ubyte"), images(3, 2, 2, pixels(3, 2, 2)));
        Path labelsFile = write(given().resolve("train-labels-idx1-ubyte"), labels(new byte[] {1, 10, 2}));

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(labelsFile.toString())
                .hasMessageContaining("label 10 at index 1")
                .hasMessageContaining("0..9");
    }

    @Test
    void wrongMagicInSplitNamesFile() {
        Path imagesFile = write(given().resolve("train-images-idx3-ubyte"), labels(new byte[] {1}));
        write(given().resolve("train-labels-idx1-ubyte"), labels(new byte[] {1}));

        assertThatThrownBy(() -> FashionMnist.load(given(), true, fallback()))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(imagesFile.toString())
                .hasMessageContaining("magic");
    }

    /** Runs only where the Debian package is installed; the other tests never need it. */
    @Test
    void realTestSplitHasTenBalancedClassesOf28x28() {
        assumeTrue(Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("t10k-images-idx3-ubyte.gz"))
                || Files.isRegularFile(FashionMnist.DEFAULT_DIR.resolve("t10k-images-idx3-ubyte")),
                "dataset-fashion-mnist not installed");

        ImageSet set = FashionMnist.load((Path) null, false);

        assertThat(set.n()).isEqualTo(10_000);
        assertThat(set.height()).isEqualTo(28);
        assertThat(set.width()).isEqualTo(28);
        int[] counts = new int[10];
        for (int label : set.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(1000);
    }

    // Images of 1x0 pixels passed IdxReader (0 bytes of data) and then failed ImageSet's own check
    // with an IllegalArgumentException instead of an error naming the file.
    @Test
    void imagesWithoutPixelsAreAnErrorNamingTheFile() {
        Path imagesFile = write(tmp.resolve("img"), images(1, 0, 28, new byte[0]));
        Path labelsFile = write(tmp.resolve("lab"), labels(new byte[] {3}));
        assertThatThrownBy(() -> FashionMnist.read(imagesFile, labelsFile)).isInstanceOf(SpinException.class)
                .hasMessage("Fashion-MNIST images file " + imagesFile + " declares images of 0x28 pixels; expected at"
                        + " least 1x1 (28x28 for Fashion-MNIST)");
    }
}
