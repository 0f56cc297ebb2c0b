package org.spin.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.config.SpinConfig;
import org.spin.testing.ReadmeExamples;
import org.spin.train.EvalResult;
import org.spin.train.TrainingResult;

/**
 * The README's library example runs as printed: the method below is the README's code block,
 * character for character (a test checks), and another test runs it.
 */
class ReadmeApiExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/org/spin/workflow/ReadmeApiExampleTest.java");

    @TempDir
    Path tmp;

    // README example begins
    static Compression.Result trainThenCompress(Path dir) {
        SpinConfig unshared = Spin.config(Map.of("TRAIN.DATASET", "synthetic", "DATA.INPUT_CHANNEL_NUM", List.of(1),
                "CONVMIXER.CHANNEL", 16, "CONVMIXER.DEPTH", 4, "CONVMIXER.PATCH_KERNEL", 4, "CONVMIXER.PATCH_STRIDE", 4,
                "SOLVER.MAX_EPOCH", 1, "OUTPUT_DIR", dir.resolve("unshared").toString()));
        TrainingResult trained = Spin.train(unshared); // checkpoints and metrics.jsonl in OUTPUT_DIR
        var request = new Compression.Request(trained.lastCheckpoint(), dir.resolve("rate2"),
                "sequential", "mean", 1, false, false); // mapping, reduction, epochs, distil, resume
        return Spin.compress(request, 2); // fuse pairs of layers, fine-tune, export compact
    }
    // README example ends

    @Test
    void theExampleTrainsCompressesAndExportsAModelThatEvaluatesAsReported() {
        Compression.Result r = trainThenCompress(tmp);
        Path compact = tmp.resolve("rate2").resolve("compact.safetensors");
        assertThat(compact).isRegularFile();
        assertThat(r.stopped()).isFalse();
        assertThat(r.tuned().epochsDone()).isEqualTo(1);
        assertThat(r.export().paramsAfter()).isLessThan(r.export().paramsBefore());
        assertThat(r.export().bytesAfter()).isLessThan(r.teacherBytes());
        // the compact file, evaluated on its own, scores what the workflow reported for it
        EvalResult again = Spin.evaluate(compact);
        assertThat(again.top1()).isEqualTo(r.exported().top1());
        assertThat(again.samples()).isEqualTo(r.exported().samples()).isPositive();
        assertThat(Spin.evaluate(tmp.resolve("unshared").resolve("last.safetensors")).top1())
                .isEqualTo(r.teacher().top1());
    }

    @Test
    void theReadmeShowsExactlyTheCodeThisTestRuns() throws Exception {
        assertThat(ReadmeExamples.inReadme("Spin.compress")).isEqualTo(ReadmeExamples.inTest(SOURCE));
    }
}
