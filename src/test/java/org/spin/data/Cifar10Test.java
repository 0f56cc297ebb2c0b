package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

class Cifar10Test {

    private static final List<String> META = List.of("plane", "car", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck", "", "");

    @TempDir
    Path tmp;

    private Path folder() {
        return Cifar10Fixtures.write(tmp.resolve("cifar"), META);
    }

    private static void assertRecords(ImageSet set, int first) {
        for (int i = 0; i < set.n(); i++) {
            assertThat(set.labels()[i]).as("label %d", i).isEqualTo(Cifar10Fixtures.label(first + i));
            byte[] want = new byte[3072];
            for (int p = 0; p < want.length; p++) {
                want[p] = Cifar10Fixtures.pixel(first + i, p);
            }
            assertThat(set.sample(i)).as("pixels of record %d", i).isEqualTo(want);
        }
    }

    @Test
    void theTrainingSplitIsTheFiveDataBatchesInOrderReadBackExactly() {
        ImageSet set = Cifar10.load(folder(), true);
        assertThat(set.n()).isEqualTo(Arrays.stream(Cifar10Fixtures.RECORDS).limit(5).sum());
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(32);
        assertThat(set.width()).isEqualTo(32);
        assertRecords(set, 0);
    }

    @Test
    void theTestSplitIsTheTestBatch() {
        ImageSet set = Cifar10.load(folder(), false);
        assertThat(set.n()).isEqualTo(Cifar10Fixtures.RECORDS[5]);
        assertRecords(set, 0);
    }

    @Test
    void classNamesComeFromTheMetaFileWithoutItsBlankLines() {
        assertThat(Cifar10.load(folder(), false).classNames()).isEqualTo(META.subList(0, 10));
        assertThat(Cifar10.classNames(folder())).isEqualTo(META.subList(0, 10));
    }

    @Test
    void withoutAMetaFileTheClassNamesAreTheStandardTen() {
        Path dir = Cifar10Fixtures.write(tmp.resolve("plain"), null);
        assertThat(Cifar10.load(dir, true).classNames()).isEqualTo(Cifar10.CLASS_NAMES).hasSize(10);
    }

    @Test
    void theFolderTheArchiveUnpacksToIsFoundInsideTheGivenOne() {
        Cifar10Fixtures.write(tmp.resolve("data").resolve(Cifar10.ARCHIVE_DIR), META);
        assertRecords(Cifar10.load(tmp.resolve("data"), true), 0);
    }

    @Test
    void aMissingFolderIsAnErrorNamingIt() {
        Path missing = tmp.resolve("nowhere");
        assertThatThrownBy(() -> Cifar10.load(missing, true)).isInstanceOf(SpinException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void aMissingBatchFileIsAnErrorNamingItAndTheExpectedFiles() throws Exception {
        Path dir = folder();
        Files.delete(dir.resolve("data_batch_3.bin"));
        assertThatThrownBy(() -> Cifar10.load(dir, true)).isInstanceOf(SpinException.class)
                .hasMessageContaining(dir.resolve("data_batch_3.bin") + " not found")
                .hasMessageContaining("data_batch_1.bin, data_batch_2.bin");
        // the test split does not need the training files
        assertThat(Cifar10.load(dir, false).n()).isEqualTo(Cifar10Fixtures.RECORDS[5]);
    }

    @Test
    void aFileThatIsNotWholeRecordsIsAnErrorNamingItsSizeAndTheRecordSize() throws Exception {
        Path dir = folder();
        Path test = dir.resolve(Cifar10.TEST_FILE);
        Files.write(test, Arrays.copyOf(Files.readAllBytes(test), 2 * Cifar10.RECORD + 100));
        assertThatThrownBy(() -> Cifar10.load(dir, false)).isInstanceOf(SpinException.class)
                .hasMessageContaining(test.toString())
                .hasMessageContaining("has " + (2 * Cifar10.RECORD + 100) + " bytes, not a whole number of 3073-byte records")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aTruncatedFileIsAnErrorThatSaysSo() throws Exception {
        Path dir = folder();
        Path batch = dir.resolve("data_batch_2.bin");
        Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 3 * Cifar10.RECORD - 1)); // last record cut
        assertThatThrownBy(() -> Cifar10.load(dir, true)).isInstanceOf(SpinException.class)
                .hasMessageContaining(batch.toString()).hasMessageContaining("truncated");
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        Path dir = folder();
        Files.write(dir.resolve(Cifar10.TEST_FILE), new byte[0]);
        assertThatThrownBy(() -> Cifar10.load(dir, false)).isInstanceOf(SpinException.class)
                .hasMessageContaining(Cifar10.TEST_FILE).hasMessageContaining("has 0 bytes");
    }

    @Test
    void aLabelBeyondTheClassNamesIsAnErrorNamingFileAndRecord() throws Exception {
        Path dir = folder();
        Path test = dir.resolve(Cifar10.TEST_FILE);
        byte[] bytes = Files.readAllBytes(test);
        bytes[Cifar10.RECORD] = 10; // record 1's label
        Files.write(test, bytes);
        assertThatThrownBy(() -> Cifar10.load(dir, false)).isInstanceOf(SpinException.class)
                .hasMessageContaining(test.toString()).hasMessageContaining("label 10 in record 1")
                .hasMessageContaining("expected 0..9");
    }
}
