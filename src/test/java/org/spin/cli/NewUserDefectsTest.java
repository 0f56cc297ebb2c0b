package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.Fixtures;
import org.spin.SpinException;

/** What a new user hit on a fresh machine (the reliability issue's first section). */
class NewUserDefectsTest {

    @TempDir
    Path tmp;

    private static void assertOneLineError(CliTest.Outcome o, String fragment) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err().strip()).contains(fragment).doesNotContain("\n").doesNotContain("Exception");
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    private static final List<String> TINY = List.of("CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "2",
            "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4", "DATA.INPUT_CHANNEL_NUM", "[1]");

    // --- a data folder the user names is used or refused, never replaced by the default data ---

    @ParameterizedTest
    @ValueSource(strings = {"fashion_mnist", "cifar10", "image_folder"})
    void aDataFolderThatDoesNotExistIsRefusedForEveryDataSet(String dataset) {
        Path run = tmp.resolve("run");
        Path nowhere = tmp.resolve("no/such/dir");
        CliTest.Outcome o = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString(),
                "TRAIN.DATASET", dataset, "DATA.PATH_TO_DATA_DIR", nowhere.toString()), TINY));
        assertOneLineError(o, nowhere.toString());
        assertThat(o.err()).contains("not").doesNotContain("installing");
        assertThat(run).doesNotExist();
    }

    @Test
    void aFashionMnistFolderWithoutItsFilesIsRefusedNotReplaced() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliTest.Outcome o = CliTest.run(args(List.of("data", "TRAIN.DATASET", "fashion_mnist",
                "DATA.PATH_TO_DATA_DIR", empty.toString()), TINY));
        assertOneLineError(o, "DATA.PATH_TO_DATA_DIR " + empty + " has no Fashion-MNIST train files");
    }

    @Test
    void aFolderGivenToTheGeneratedDataSetIsRefusedNotIgnored() {
        CliTest.Outcome o = CliTest.run(args(List.of("data", "TRAIN.DATASET", "synthetic",
                "DATA.PATH_TO_DATA_DIR", tmp.toString()), TINY));
        assertOneLineError(o, "TRAIN.DATASET synthetic is generated and reads no files");
    }

    // --- counting, converting and listing need no device; running a model does ---

    @ParameterizedTest
    @ValueSource(strings = {"ConvMixer.yaml", "WS-ConvMixer.yaml", "WFWS-ConvMixer.yaml"})
    void theReferenceConfigsCountAsTheyAreThoughTheyAskForFourGpus(String file) {
        CliTest.Outcome o = CliTest.run("stats", "--cfg", Path.of("configs/reference", file).toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("trainable parameters:").contains("per 224x224 image");
    }

    @Test
    void fuseConvertsOnTheCpuWhateverNumGpusSays() {
        Path out = tmp.resolve("compact.safetensors");
        CliTest.Outcome o = CliTest.run("fuse", "--weights", Fixtures.reference("wf_mean_sr2.pth").toString(),
                "--output", out.toString(), "--share-rate", "2", "CONVMIXER.CHANNEL", "32", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.PATCH_KERNEL", "2", "CONVMIXER.PATCH_STRIDE", "2", "CONVMIXER.ACT_FUNC", "GELU",
                "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean", "NUM_GPUS", "4");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(out).exists();
    }

    @Test
    void trainingAskingForGpusOnAMachineWithoutThemRunsOnTheCpuAndSaysSo() {
        Path run = tmp.resolve("run");
        CliTest.Outcome o = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString(),
                "TRAIN.DATASET", "synthetic", "NUM_GPUS", "4"), TINY));
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).containsOnlyOnce("NUM_GPUS 4 but PyTorch sees no CUDA device: running on the CPU");
        assertThat(run.resolve("metrics.jsonl")).exists();
    }

    // --- a missing Debian data set: installed as root, else the exact command ---

    /** A stand-in apt-get that logs its arguments, and "installs" by creating {@code marker}. */
    private Path fakeAptGet(String behaviour, Path marker) throws Exception {
        Path script = tmp.resolve("apt-get");
        Path log = tmp.resolve("apt.log");
        String body = switch (behaviour) {
            case "installs" -> "echo \"$@\" >> " + log + "; [ \"$1\" = install ] && touch " + marker + "; exit 0";
            // a fresh machine: install fails until the package lists are fetched
            case "needs-update" -> "echo \"$@\" >> " + log + "; if [ \"$1\" = update ]; then touch " + tmp.resolve("lists")
                    + "; exit 0; fi; [ -f " + tmp.resolve("lists") + " ] || { echo 'E: Unable to locate package x'; exit 100; };"
                    + " touch " + marker + "; exit 0";
            default -> "echo \"$@\" >> " + log + "; echo 'E: Could not get lock /var/lib/dpkg/lock'; exit 100";
        };
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void asRootTheMissingPackageIsInstalledWithOneLineSaid() throws Exception {
        Path marker = tmp.resolve("installed");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        DataSetSetup setup = new DataSetSetup(true, fakeAptGet("installs", marker),
                new PrintStream(said, true, StandardCharsets.UTF_8));
        setup.install("dataset-fashion-mnist", () -> Files.exists(marker));
        assertThat(said.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("spin: the data set is not installed; installing the Debian package dataset-fashion-mnist"
                        + " (apt-get install dataset-fashion-mnist)");
        assertThat(Files.readString(tmp.resolve("apt.log")).strip()).isEqualTo("install -y -q dataset-fashion-mnist");
    }

    @Test
    void onAFreshMachineThePackageListsAreFetchedFirst() throws Exception {
        Path marker = tmp.resolve("installed");
        DataSetSetup setup = new DataSetSetup(true, fakeAptGet("needs-update", marker), new PrintStream(new ByteArrayOutputStream()));
        setup.install("dataset-fashion-mnist", () -> Files.exists(marker));
        assertThat(Files.readAllLines(tmp.resolve("apt.log")))
                .containsExactly("install -y -q dataset-fashion-mnist", "update -q", "install -y -q dataset-fashion-mnist");
        assertThat(marker).exists();
    }

    @Test
    void aFailedInstallIsOneLineWithApts() throws Exception {
        Path marker = tmp.resolve("installed");
        DataSetSetup setup = new DataSetSetup(true, fakeAptGet("fails", marker), new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> setup.install("dataset-fashion-mnist", () -> Files.exists(marker)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist failed (exit 100: E: Could not get lock")
                .hasMessageNotContaining("\n");
    }

    @Test
    void withoutRootTheExactCommandIsPrintedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("installed");
        DataSetSetup setup = new DataSetSetup(false, fakeAptGet("installs", marker), new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> setup.install("dataset-fashion-mnist", () -> Files.exists(marker)))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("run: sudo apt-get install dataset-fashion-mnist");
        assertThat(tmp.resolve("apt.log")).doesNotExist();
    }
}
