package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.predict.TestImages;

/**
 * {@code spin compress --from} a pretrained file we do not own, named by {@code --model} and
 * overrides (the file carries no config of ours): the timm fixtures of {@code TimmImportTest} on a
 * three-class image folder, one fine-tuning epoch.
 */
class ImportCliTest {

    @TempDir
    Path tmp;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ImportCliTest.class.getResource("/fixtures/timm/" + name).toURI());
    }

    /** train/ and val/ of three classes, small RGB images the loader resizes to the crop size. */
    private List<String> imageFolder(int crop) throws Exception {
        Path root = tmp.resolve("images");
        for (int k = 0; k < 3; k++) {
            for (String split : List.of("train", "val")) {
                Path dir = Files.createDirectories(root.resolve(split + "/c" + k));
                for (int i = 0; i < (split.equals("train") ? 4 : 1); i++) {
                    TestImages.rgb(dir.resolve(i + ".png"), TestImages.randomRgb(24, 24, 10L * k + i));
                }
            }
        }
        return List.of("TRAIN.DATASET", "image_folder", "DATA.PATH_TO_DATA_DIR", root.toString(), "DATA.TRAIN_CROP_SIZE",
                String.valueOf(crop), "DATA.TEST_CROP_SIZE", String.valueOf(crop), "TRAIN.BATCH_SIZE", "4",
                "TEST.BATCH_SIZE", "4", "DATA_LOADER.NUM_WORKERS", "1", "--threads", "2");
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    @Test
    void aTimmDeitPthIsCompressedEndToEndUnderItsPresetName() throws Exception {
        Path out = tmp.resolve("deit");
        CliTest.Outcome c = CliTest.run(args(List.of("compress", "--from", fixture("deit_tiny_d2.pth").toString(),
                "--model", "deit_tiny_patch16_224", "--share-rate", "2", "--epochs", "1", "--output", out.toString(),
                "VIT.DEPTH", "2", "MODEL.NUM_CLASSES", "10", "SOLVER.WARMUP_EPOCHS", "0", "SOLVER.COSINE_END_LR", "0.0"),
                imageFolder(224)));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("teacher (unshared)").contains("compact export");
        Map<String, HostTensor> compact = SafeTensors.read(out.resolve("compact.safetensors")).tensors();
        // the two layers' block linears became one slot
        assertThat(compact.keySet()).contains("shared.0.attn.qkv.weight").doesNotContain("blocks.1.attn.qkv.weight");
    }

    @Test
    void aTimmConvMixerIsCompressedFromTheOriginalBlock() throws Exception {
        Path out = tmp.resolve("convmixer");
        CliTest.Outcome c = CliTest.run(args(List.of("compress", "--from", fixture("convmixer_32_3.safetensors").toString(),
                "--share-rate", "3", "--epochs", "1", "--output", out.toString(), "CONVMIXER.POINTWISE_RESIDUAL", "False",
                "CONVMIXER.CHANNEL", "32", "CONVMIXER.DEPTH", "3", "CONVMIXER.KERNEL", "5", "CONVMIXER.PATCH_KERNEL", "2",
                "CONVMIXER.PATCH_STRIDE", "2", "CONVMIXER.ACT_FUNC", "GELU", "MODEL.NUM_CLASSES", "10",
                "DATA.INPUT_CHANNEL_NUM", "[3]"), imageFolder(16)));
        assertThat(c.code()).as(c.err()).isZero();
        Map<String, HostTensor> compact = SafeTensors.read(out.resolve("compact.safetensors")).tensors();
        assertThat(compact.keySet()).contains("pwise_w.0").doesNotContain("pwise_w.1", "stem.0.weight");
    }

    @Test
    void aKeyOutsideTheLayoutIsOneLineAndExitTwo() throws Exception {
        Map<String, HostTensor> sd = new LinkedHashMap<>(SafeTensors.read(fixture("convmixer_32_3.safetensors")).tensors());
        sd.put("pooling.weight", HostTensor.ofFloats(new long[] {1}, new float[1]));
        Path bad = tmp.resolve("bad.safetensors");
        SafeTensors.write(bad, sd);
        Path out = tmp.resolve("c");
        CliTest.Outcome c = CliTest.run("compress", "--from", bad.toString(), "--share-rate", "3", "--epochs", "1",
                "--output", out.toString(), "CONVMIXER.CHANNEL", "32", "CONVMIXER.DEPTH", "3", "CONVMIXER.KERNEL", "5",
                "CONVMIXER.PATCH_KERNEL", "2", "CONVMIXER.PATCH_STRIDE", "2", "DATA.INPUT_CHANNEL_NUM", "[3]",
                "TRAIN.DATASET", "synthetic");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).doesNotContain("\n").contains("key 'pooling.weight' is not in the timm ConvMixer layout"
                + " (expected stem.{0,2}.*, blocks.N.0.fn.{0,2}.*, blocks.N.{1,3}.*, head.*)");
    }
}
