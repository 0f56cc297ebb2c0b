package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;

/**
 * A whole run over replicas (on the CPU: {@code NUM_CPU_REPLICAS}): the weights one device gets for
 * a model without BatchNorm, and a run saved on two replicas resumes on one. SGD, whose update is
 * linear in the gradient, at a constant rate (a shorter first run has the same schedule).
 */
class DataParallelTrainingTest {

    @TempDir
    Path tmp;

    private CliTest.Outcome train(Path out, int epochs, int replicas) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "vit_64_6_patch4_28", "--epochs",
                String.valueOf(epochs), "--output", out.toString(), "TRAIN.DATASET", "synthetic", "VIT.DEPTH", "2",
                "VIT.EMBED_DIM", "32", "TRAIN.BATCH_SIZE", "32", "SOLVER.OPTIMIZING_METHOD", "sgd", "SOLVER.BASE_LR", "0.05", "SOLVER.LR_POLICY", "constant",
                "NUM_CPU_REPLICAS", String.valueOf(replicas)));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static void assertSameWeights(Path a, Path b) {
        Map<String, HostTensor> x = SafeTensors.read(a.resolve("last.safetensors")).tensors();
        Map<String, HostTensor> y = SafeTensors.read(b.resolve("last.safetensors")).tensors();
        assertThat(y.keySet()).isEqualTo(x.keySet());
        for (String k : x.keySet()) {
            float[] p = x.get(k).toFloats();
            float[] q = y.get(k).toFloats();
            for (int i = 0; i < p.length; i++) {
                assertThat((double) q[i]).as("%s[%d]", k, i).isCloseTo(p[i], within(1e-4));
            }
        }
    }

    @Test
    void twoReplicasTrainAsOneDeviceAndARunSavedOnTwoResumesOnOne() {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        CliTest.Outcome o1 = train(one, 2, 1);
        assertThat(o1.code()).as(o1.err()).isZero();
        CliTest.Outcome o2 = train(two, 2, 2);
        assertThat(o2.code()).as(o2.err()).isZero();
        assertThat(o2.err()).contains("data parallel: 2 replicas on [cpu(), cpu()], 16 images each per step");
        assertSameWeights(one, two);

        Path moved = tmp.resolve("moved");
        assertThat(train(moved, 1, 2).code()).isZero();
        CliTest.Outcome resumed = train(moved, 2, 1);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming").doesNotContain("data parallel");
        assertSameWeights(one, moved);
    }
}
