package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.Fixtures;
import org.spin.io.SafeTensors;

/** The command line as a user meets it: exit codes, one-line errors, no partial output. */
class CliTest {

    @TempDir
    Path tmp;

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The reference fixture ws_seq_sr2 as our options: ConvMixer-32/4, P2, K3, GELU, rate 2. */
    private static List<String> fixtureModel() {
        return List.of("--share-rate", "2", "CONVMIXER.CHANNEL", "32", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.PATCH_KERNEL", "2", "CONVMIXER.PATCH_STRIDE", "2", "CONVMIXER.ACT_FUNC", "GELU");
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    private static void assertOneLineError(Outcome o, String fragment) {
        assertThat(o.code()).isNotZero();
        assertThat(o.err().strip()).contains(fragment).doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void inferReproducesTheReferenceLogitsWithOverridesMixedAmongOptions() {
        Path out = tmp.resolve("logits.safetensors");
        Outcome o = run(args(List.of("infer", "--weights", Fixtures.reference("ws_seq_sr2.ckpt.pth").toString(),
                "--input", Fixtures.reference("ws_seq_sr2.input.safetensors").toString(), "--output", out.toString()),
                fixtureModel()));
        assertThat(o.code()).as(o.err()).isZero();
        float[] got = SafeTensors.read(out).tensors().get("logits").toFloats();
        float[] want = SafeTensors.read(Fixtures.reference("ws_seq_sr2.logits.safetensors")).tensors().get("logits").toFloats();
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void weightsThatDoNotFitTheConfigAreAOneLineErrorAndWriteNothing() {
        Path out = tmp.resolve("logits.safetensors");
        Outcome o = run("infer", "--weights", Fixtures.reference("ws_seq_sr2.pth").toString(),
                "--input", Fixtures.reference("ws_seq_sr2.input.safetensors").toString(), "--output", out.toString(),
                "CONVMIXER.CHANNEL", "32", "CONVMIXER.DEPTH", "4", "CONVMIXER.PATCH_KERNEL", "2",
                "CONVMIXER.PATCH_STRIDE", "2", "--share-rate", "2", "CONVMIXER.KERNEL", "5");
        assertOneLineError(o, "blocks.0.dwise_blk.0.weight has shape [32, 1, 3, 3] but the model expects [32, 1, 5, 5]");
        assertThat(out).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void anUnknownOverrideKeySuggestsTheRightOne() {
        assertOneLineError(run("stats", "SOLVER.BASE_RL", "0.1"), "did you mean SOLVER.BASE_LR?");
    }

    @Test
    void anEvenDepthwiseKernelIsRejected() {
        assertOneLineError(run("stats", "CONVMIXER.KERNEL", "4"), "CONVMIXER.KERNEL 4 is even");
    }

    @Test
    void aShareRateThatDoesNotDivideTheDepthNamesTheValidRates() {
        assertOneLineError(run("stats", "--share-rate", "3", "CONVMIXER.DEPTH", "8"),
                "share rate 3 does not divide depth 8 for a uniform distribution; valid: 1, 2, 4, 8");
    }

    @Test
    void aTruncatedWeightsFileIsNamedInTheError() throws Exception {
        Path bad = tmp.resolve("bad.safetensors");
        byte[] whole = Files.readAllBytes(Fixtures.reference("ws_seq_sr2.safetensors"));
        Files.write(bad, java.util.Arrays.copyOf(whole, whole.length / 2));
        Outcome o = run(args(List.of("eval", "--weights", bad.toString(), "TRAIN.DATASET", "synthetic"), fixtureModel()));
        assertOneLineError(o, bad.toString());
    }

    @Test
    void aMissingWeightsFileIsAOneLineError() {
        Path missing = tmp.resolve("nope.pth");
        assertOneLineError(run("eval", "--weights", missing.toString()), missing.toString());
    }

    @Test
    void statsCountsUniqueAndUnsharedParameters() {
        Outcome o = run(args(List.of("stats", "DATA.INPUT_CHANNEL_NUM", "[3]", "MODEL.NUM_CLASSES", "10"), fixtureModel()));
        assertThat(o.code()).as(o.err()).isZero();
        // the reference's counts for ws_seq_sr2 (shared) and convmixer_plain (its unshared twin)
        assertThat(o.out()).contains("4,714 unique").contains("6,826 in the unshared model");
    }

    @Test
    void trainThenEvalOnTheSyntheticSet() {
        Path run = tmp.resolve("run");
        List<String> model = List.of("TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "2",
                "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4", "DATA.INPUT_CHANNEL_NUM", "[1]");
        Outcome t = run(args(List.of("train", "--epochs", "1", "--output", run.toString(), "--threads", "2"), model));
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(run.resolve("manifest.json")).exists();
        assertThat(run.resolve("config.yaml")).exists();
        Outcome e = run("eval", "--weights", run.resolve("best.safetensors").toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("top-1").contains("synthetic");
    }

    private static List<String> tinySynthetic() {
        return List.of("TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "2",
                "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4", "DATA.INPUT_CHANNEL_NUM", "[1]");
    }

    @Test
    void resumingWithAnotherSharingPlanIsRefused() {
        Path run = tmp.resolve("run");
        List<String> depth4 = new ArrayList<>(tinySynthetic());
        depth4.addAll(List.of("CONVMIXER.DEPTH", "4"));
        Outcome first = run(args(List.of("train", "--epochs", "1", "--output", run.toString(), "--share-rate", "2"),
                depth4));
        assertThat(first.code()).as(first.err()).isZero();
        Outcome again = run(args(List.of("train", "--epochs", "2", "--output", run.toString(), "--share-rate", "2",
                "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "strided"), depth4));
        assertOneLineError(again, "saved with sharing plan 0,0,1,1 but the config gives 0,1,0,1");
    }

    @Test
    void tooFewClassesForTheDataSetIsAnErrorBeforeAnythingIsWritten() {
        Path run = tmp.resolve("run");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs Debian's dataset-fashion-mnist");
        Outcome o = run("train", "--epochs", "1", "--output", run.toString(), "TRAIN.DATASET", "fashion_mnist",
                "MODEL.NUM_CLASSES", "5");
        assertOneLineError(o, "MODEL.NUM_CLASSES 5 is too small");
        assertThat(run).doesNotExist();
    }

    @Test
    void zeroEpochsIsAnErrorBeforeAnythingIsWritten() {
        Path run = tmp.resolve("run");
        assertOneLineError(run(args(List.of("train", "--epochs", "0", "--output", run.toString()), tinySynthetic())),
                "SOLVER.MAX_EPOCH 0 must be at least 1");
        assertThat(run).doesNotExist();
    }
}
