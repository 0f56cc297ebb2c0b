package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.Fixtures;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;

/** Weight fusion from the command line: reference parity, export, the compress workflow. */
class FusionCliTest {

    @TempDir
    Path tmp;

    /** The reference fixture wf_mean_sr2: ConvMixer-32/4, P2, K3, GELU, rate 2, mean fusion. */
    private static final List<String> WF_MEAN_SR2 = List.of("--share-rate", "2", "CONVMIXER.CHANNEL", "32",
            "CONVMIXER.DEPTH", "4", "CONVMIXER.PATCH_KERNEL", "2", "CONVMIXER.PATCH_STRIDE", "2",
            "CONVMIXER.ACT_FUNC", "GELU", "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean");

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    /** Cell {@code col} (1-based, after the row label) of the table row starting with {@code label}. */
    private static String column(String out, String label, int col) {
        for (String line : out.split("\n")) {
            if (line.startsWith("| " + label + " ")) {
                return line.split("\\|")[col + 1].strip(); // [0] is empty, [1] the label
            }
        }
        throw new AssertionError("no row " + label + " in\n" + out);
    }

    private static final List<String> TINY = List.of("TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "16",
            "CONVMIXER.DEPTH", "4", "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4",
            "DATA.INPUT_CHANNEL_NUM", "[1]", "--threads", "2");

    /** A one-epoch unshared teacher on the synthetic set; returns its last checkpoint. */
    private Path teacher() {
        Path run = tmp.resolve("teacher");
        CliTest.Outcome t = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString()), TINY));
        assertThat(t.code()).as(t.err()).isZero();
        return run.resolve("last.safetensors");
    }

    @Test
    void compressRefusesBadInputBeforeDoingAnyWork() {
        Path teacher = teacher();
        Path out = tmp.resolve("c");
        CliTest.Outcome none = CliTest.run(args(List.of("compress", "--from", teacher.toString(), "--share-rate", "2",
                "--reduction", "None", "--epochs", "1", "--output", out.toString()), TINY));
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().strip()).contains("--reduction None is not a reduction").doesNotContain("\n");
        CliTest.Outcome alpha = CliTest.run(args(List.of("compress", "--from", teacher.toString(), "--share-rate", "2",
                "--epochs", "1", "--distill", "--output", out.toString(), "DISTILL.ALPHA", "1.5"), TINY));
        assertThat(alpha.code()).isEqualTo(2);
        assertThat(alpha.err().strip()).contains("DISTILL.ALPHA 1.5 must be in [0, 1]");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFusionRunResumesFromItsOwnCheckpointNotTheInitialisationFile() throws Exception {
        Path teacher = teacher();
        Path init = tmp.resolve("init.safetensors");
        Files.copy(teacher, init);
        Path run = tmp.resolve("wf");
        List<String> fusion = List.of("--share-rate", "2", "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean",
                "TRAIN.CHECKPOINT_FILE_PATH", init.toString(), "TRAIN.CHECKPOINT_EPOCH_RESET", "True");
        List<String> all = new ArrayList<>(TINY);
        all.addAll(fusion);
        CliTest.Outcome first = CliTest.run(args(List.of("train", "--epochs", "1", "--output", run.toString()), all));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("initialised from " + init);
        Files.delete(init); // a resume must not need it
        CliTest.Outcome again = CliTest.run(args(List.of("train", "--epochs", "2", "--output", run.toString()), all));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).doesNotContain("initialised from");
        assertThat(again.out()).contains("2 epoch(s)");

        List<String> otherReduction = new ArrayList<>(all);
        otherReduction.set(otherReduction.indexOf("mean"), "choose_first");
        CliTest.Outcome switched = CliTest.run(args(List.of("train", "--epochs", "3", "--output", run.toString()),
                otherReduction));
        assertThat(switched.code()).isEqualTo(2);
        assertThat(switched.err().strip()).contains("saved with CONVMIXER.WEIGHT_SHARE.REDUCTION_FN mean but the config"
                + " gives choose_first").doesNotContain("\n");
    }

    private static void assertFixtureLogits(Path logitsFile) {
        float[] got = SafeTensors.read(logitsFile).tensors().get("logits").toFloats();
        float[] want = SafeTensors.read(Fixtures.reference("wf_mean_sr2.logits.safetensors")).tensors().get("logits")
                .toFloats();
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("logit %d", i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void inferAppliesTheConfigsReductionToTheReferenceSources() {
        Path out = tmp.resolve("logits.safetensors");
        CliTest.Outcome o = CliTest.run(args(List.of("infer", "--weights",
                Fixtures.reference("wf_mean_sr2.ckpt.pth").toString(), "--input",
                Fixtures.reference("wf_mean_sr2.input.safetensors").toString(), "--output", out.toString()), WF_MEAN_SR2));
        assertThat(o.code()).as(o.err()).isZero();
        assertFixtureLogits(out);
    }

    @Test
    void theFusedExportLoadsAsASharedModelAndGivesTheReferenceLogits() {
        Path compact = tmp.resolve("compact.safetensors");
        CliTest.Outcome f = CliTest.run(args(List.of("fuse", "--weights", Fixtures.reference("wf_mean_sr2.pth").toString(),
                "--output", compact.toString()), WF_MEAN_SR2));
        assertThat(f.code()).as(f.err()).isZero();
        // 4 sources of 32·32 + 32 become 2 slots
        assertThat(f.out()).contains("6,826 -> 4,714 trainable params");
        SafeTensorsFile file = SafeTensors.read(compact);
        assertThat(file.tensors().keySet()).contains("pwise_w.0", "pwise_w.1", "pwise_b.1")
                .doesNotContain("pwise_w.2", "pwise_b.2").noneMatch(k -> k.startsWith("reduction_w."));
        assertThat(file.metadata()).containsEntry("plan", "0,0,1,1");
        // the export carries its own config (shared, no reduction): no options needed to use it
        Path out = tmp.resolve("logits.safetensors");
        CliTest.Outcome i = CliTest.run("infer", "--weights", compact.toString(), "--input",
                Fixtures.reference("wf_mean_sr2.input.safetensors").toString(), "--output", out.toString());
        assertThat(i.code()).as(i.err()).isZero();
        assertFixtureLogits(out);
    }

    @Test
    void fusingAModelWithoutReductionIsAOneLineErrorAndWritesNothing() {
        Path compact = tmp.resolve("compact.safetensors");
        List<String> noReduction = new ArrayList<>(WF_MEAN_SR2.subList(0, WF_MEAN_SR2.size() - 2));
        CliTest.Outcome f = CliTest.run(args(List.of("fuse", "--weights",
                Fixtures.reference("ws_seq_sr2.pth").toString(), "--output", compact.toString()), noReduction));
        assertThat(f.code()).isEqualTo(2);
        assertThat(f.err().strip()).contains("not a fusion model").doesNotContain("\n");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aCheckpointWhoseShapesDoNotFitIsNamedWithBothShapes() {
        Path run = tmp.resolve("run");
        // the unshared fixture has 32 channels; this config asks for 16
        CliTest.Outcome o = CliTest.run("train", "--epochs", "1", "--output", run.toString(), "--share-rate", "2",
                "TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.PATCH_KERNEL", "2", "CONVMIXER.PATCH_STRIDE", "2", "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", "mean",
                "TRAIN.CHECKPOINT_FILE_PATH", Fixtures.reference("convmixer_plain.pth").toString(),
                "TRAIN.CHECKPOINT_EPOCH_RESET", "True");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).contains("patch_embed.conv.weight has shape [32, 3, 2, 2] but the model expects [16, 3, 2, 2]")
                .doesNotContain("\n");
        assertThat(run).doesNotExist();
    }

    @Test
    void compressRunsFusionFineTuningExportAndEvaluationEndToEnd() {
        Path teacher = teacher();
        Path out = tmp.resolve("compressed");
        List<String> compress = List.of("compress", "--from", teacher.toString(), "--share-rate", "2", "--mapping",
                "strided", "--reduction", "channel_weighted_mean", "--epochs", "1", "--distill", "--output", out.toString());
        CliTest.Outcome c = CliTest.run(args(compress, TINY));
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("teacher (unshared)").contains("fused at initialisation");
        // the export is the fine-tuned fusion model: same accuracy, fewer parameters
        assertThat(column(c.out(), "compact export", 1)).isEqualTo(column(c.out(), "after fine-tuning (fusion model)", 1));

        SafeTensorsFile compact = SafeTensors.read(out.resolve("compact.safetensors"));
        long unique = compact.tensors().entrySet().stream()
                .filter(e -> !e.getKey().contains("running_") && !e.getKey().endsWith("num_batches_tracked"))
                .mapToLong(e -> e.getValue().numel()).sum();
        // unshared ConvMixer-16/4 P4 1→10 classes, less 2 of its 4 pointwise layers (16·16 + 16 each)
        long unshared = (16 * 1 * 4 * 4 + 16) + 2 * 16 + 4 * ((16 * 9 + 16) + 2 * 16 + 2 * 16 + (16 * 16 + 16))
                + (10 * 16 + 10);
        assertThat(unique).isEqualTo(unshared - 2 * (16 * 16 + 16));
        assertThat(column(c.out(), "compact export", 2)).isEqualTo(String.format("%,d", unique));
        assertThat(compact.metadata()).containsEntry("plan", "0,1,0,1");
        Map<String, HostTensor> tensors = compact.tensors();
        assertThat(tensors.keySet()).noneMatch(k -> k.startsWith("reduction_w."));
        assertThat(Files.exists(out.resolve("finetune/last.safetensors"))).isTrue();

        CliTest.Outcome again = CliTest.run(args(compress, TINY));
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).contains("already holds a fine-tuning run; give --resume");
    }
}
