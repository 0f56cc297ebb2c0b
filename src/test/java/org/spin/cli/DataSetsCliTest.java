package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.data.Cifar10Fixtures;
import org.spin.io.CheckpointFormat;
import org.spin.io.SafeTensors;
import org.spin.predict.TestImages;

/** {@code spin train} on the data sets the user brings: an image folder and CIFAR-10's binary files. */
class DataSetsCliTest {

    @TempDir
    Path tmp;

    /** A ConvMixer-16/2 with patch 4: one epoch on a handful of images takes seconds. */
    private static List<String> tinyModel(int classes) {
        return List.of("CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "2", "CONVMIXER.PATCH_KERNEL", "4",
                "CONVMIXER.PATCH_STRIDE", "4", "MODEL.NUM_CLASSES", String.valueOf(classes), "TRAIN.BATCH_SIZE", "4",
                "TEST.BATCH_SIZE", "4", "DATA.INPUT_CHANNEL_NUM", "[3]", "DATA.MEAN", "[0.5]", "DATA.STD", "[0.25]");
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    /** train/ and val/ with classes ant, bee, cat of non-square PNG and JPEG images of different sizes. */
    private Path folder() throws Exception {
        Path root = tmp.resolve("images");
        String[] classes = {"cat", "ant", "bee"};
        for (int k = 0; k < classes.length; k++) {
            for (int i = 0; i < 4; i++) {
                Path dir = Files.createDirectories(root.resolve("train/" + classes[k]));
                TestImages.rgb(dir.resolve(i + (i % 2 == 0 ? ".png" : ".jpg")), TestImages.randomRgb(20 + i, 24, 10 * k + i));
            }
            Path val = Files.createDirectories(root.resolve("val/" + classes[k]));
            TestImages.rgb(val.resolve("v.png"), TestImages.randomRgb(30, 18, 100 + k));
        }
        return root;
    }

    @Test
    void trainOnAnImageFolderWritesACheckpointWithTheFolderClassesThatPredictUses() throws Exception {
        Path root = folder();
        Path run = tmp.resolve("run");
        List<String> data = new ArrayList<>(tinyModel(3));
        data.addAll(List.of("TRAIN.DATASET", "image_folder", "DATA.PATH_TO_DATA_DIR", root.toString(),
                "DATA.TRAIN_CROP_SIZE", "16", "DATA_LOADER.NUM_WORKERS", "2"));
        CliTest.Outcome t = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString()), data));
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out()).contains("1 epoch(s)");
        Path last = CheckpointFormat.modelFile(run, "last");
        assertThat(last).exists();
        assertThat(run.resolve("manifest.json")).exists();
        var meta = SafeTensors.read(last).metadata();
        assertThat(CheckpointFormat.classNames(meta, last)).containsExactly("ant", "bee", "cat");
        assertThat(meta.get("epoch")).isEqualTo("1");

        CliTest.Outcome e = CliTest.run("eval", "--weights", last.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("image_folder test (3 images)");

        Path photo = TestImages.rgb(tmp.resolve("photo.jpg"), TestImages.randomRgb(40, 60, 7));
        CliTest.Outcome p = CliTest.run("predict", "--top", "3", "--weights", last.toString(), photo.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("  ant").contains("  bee").contains("  cat");
    }

    @Test
    void trainOnCifar10BinaryFilesThenEvaluate() {
        Path data = Cifar10Fixtures.write(tmp.resolve("cifar"), null);
        Path run = tmp.resolve("run");
        List<String> cfg = new ArrayList<>(tinyModel(10));
        cfg.addAll(List.of("TRAIN.DATASET", "cifar10", "DATA.PATH_TO_DATA_DIR", data.toString()));
        CliTest.Outcome t = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString()), cfg));
        assertThat(t.code()).as(t.err()).isZero();
        Path best = CheckpointFormat.modelFile(run, "best");
        assertThat(best).exists();
        assertThat(CheckpointFormat.classNames(SafeTensors.read(best).metadata(), best)).startsWith("airplane");
        CliTest.Outcome e = CliTest.run("eval", "--weights", best.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("cifar10 test (3 images)");
    }

    @Test
    void aMissingCifar10FolderIsAOneLineErrorAndNothingIsWritten() {
        Path run = tmp.resolve("run");
        List<String> cfg = new ArrayList<>(tinyModel(10));
        cfg.addAll(List.of("TRAIN.DATASET", "cifar10", "DATA.PATH_TO_DATA_DIR", tmp.resolve("nowhere").toString()));
        CliTest.Outcome t = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString()), cfg));
        assertThat(t.code()).isNotZero();
        assertThat(t.err().strip()).contains("CIFAR-10 folder").doesNotContain("\n").doesNotContain("Exception");
        assertThat(run).doesNotExist();
    }
}
