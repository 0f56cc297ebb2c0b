package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.bench.PhotoSet;

/**
 * The reference config trains on an ImageNet-layout folder of real photographs as it is, with
 * the reference's data pipeline, only made small by overrides: no data key is left unread.
 */
class ReferencePipelineTest {

    @TempDir
    Path tmp;

    @Test
    void theReferenceConvMixerConfigTrainsOnAPhotoFolderWithNoWarningAboutDataKeys() throws Exception {
        assumeTrue(Files.isRegularFile(PhotoSet.SOURCE.resolve(PhotoSet.PHOTOS.get(0))),
                "the photographs of Debian's " + PhotoSet.PACKAGE + " are not installed");
        Path photos = tmp.resolve("photos");
        PhotoSet.Summary s = PhotoSet.build(photos, 3, 10);
        assertThat(s).isEqualTo(new PhotoSet.Summary(3, 24, 6));
        Path run = tmp.resolve("run");
        CliTest.Outcome o = CliTest.run("train", "--cfg", "configs/reference/ConvMixer.yaml",
                "DATA.PATH_TO_DATA_DIR", photos.toString(), "OUTPUT_DIR", run.toString(),
                // small: width, depth, image size, classes, one epoch
                "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "2", "CONVMIXER.PATCH_KERNEL", "8",
                "CONVMIXER.PATCH_STRIDE", "8", "DATA.TRAIN_CROP_SIZE", "64", "DATA.TEST_CROP_SIZE", "64",
                "MODEL.NUM_CLASSES", "3", "SOLVER.MAX_EPOCH", "1", "TRAIN.EVAL_PERIOD", "1", "TRAIN.BATCH_SIZE", "8",
                "TEST.BATCH_SIZE", "6", "DATA_LOADER.NUM_WORKERS", "2");
        assertThat(o.code()).as(o.err()).isZero();
        // the config's NUM_GPUS 4 runs where it can, and says so when that is the CPU
        assertThat(o.err().contains("NUM_GPUS 4 but PyTorch sees no CUDA device: running on the CPU"))
                .isEqualTo(Engine.getInstance().getGpuCount() == 0);
        // the reference's MIXED_PRECISION True is answered in one line: fp32, and why
        assertThat(o.err()).containsOnlyOnce("TRAIN.MIXED_PRECISION True: training in fp32");
        String warning = o.err().lines().filter(l -> l.contains("not acted on yet")).findFirst().orElse("");
        // every data and augmentation key of the reference config is acted on
        assertThat(warning).isNotEmpty().doesNotContain("DATA.").doesNotContain("AUG.").doesNotContain("MIXUP.")
                .doesNotContain("SOLVER.").doesNotContain("MIXED_PRECISION");
        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(rows).hasSize(1);
        JsonObject row = JsonParser.parseString(rows.get(0)).getAsJsonObject();
        assertThat(row.get("unreadable_images").getAsInt()).isZero();
        assertThat(row.get("test_top1").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(Files.readString(run.resolve("config.yaml"))).contains("DATASET: imagenet");
    }
}
