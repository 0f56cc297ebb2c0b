package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.Models;
import org.spin.model.Presets;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.runtime.Autograd;

/**
 * Data parallelism over N replicas, run on the CPU: the same weights as one device on the same
 * global batch for a model without BatchNorm; with BatchNorm, the computation of per-replica
 * statistics (one device cutting the batch into the same shards), with replica 0's running
 * statistics kept, as DDP's {@code broadcast_buffers}. SGD, whose update is linear in the
 * gradient, so the comparison is of the gradients' sums, not of AdamW's signs.
 */
class ReplicasTest {

    private static final int BATCH = 12;
    private static final int STEPS = 3;

    private static SpinConfig vit() {
        return Presets.get("vit_64_6_patch4_28").applyTo(SpinConfig.defaults()).with("VIT.DEPTH", 2)
                .with("VIT.WEIGHT_SHARE.ENABLE", true).with("VIT.WEIGHT_SHARE.SHARE_RATE", 2)
                .with("SOLVER.OPTIMIZING_METHOD", "sgd").with("SOLVER.WEIGHT_DECAY", 1e-3).with("TRAIN.BATCH_SIZE", BATCH);
    }

    private static SpinConfig convMixer() {
        return Presets.get("convmixer_64_8").applyTo(SpinConfig.defaults()).with("CONVMIXER.CHANNEL", 16)
                .with("CONVMIXER.DEPTH", 4).with("CONVMIXER.WEIGHT_SHARE.ENABLE", true)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("SOLVER.OPTIMIZING_METHOD", "sgd")
                .with("TRAIN.BATCH_SIZE", BATCH);
    }

    /** Trains from {@code init} on fixed batches over {@code replicas} CPU replicas; the master's state dict. */
    private static Map<String, HostTensor> train(SpinConfig cfg, Map<String, HostTensor> init, int replicas,
                                                 List<Map<String, HostTensor>> replicaStates) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, 28);
            StateDicts.load(model, init, "initial weights");
            List<NDManager> managers = new ArrayList<>();
            List<SpinModel> others = new ArrayList<>();
            for (int r = 1; r < replicas; r++) {
                NDManager rm = NDManager.newBaseManager();
                managers.add(rm);
                others.add(Models.build(cfg.with("RNG_SEED", 100 + r), rm, 28)); // drawn otherwise: the broadcast sets them
            }
            Recipe recipe = Recipe.from(cfg);
            try (Optimizer opt = Trainer.newOptimizer(recipe, model, m);
                 Replicas reps = replicas == 1 ? null : new Replicas(model, others, managers)) {
                TrainStep step = new TrainStep(model, m, opt, 0.1, 1.0, null, recipe.accumSteps(), reps);
                for (int s = 0; s < STEPS; s++) {
                    step.run(images(s), new Shape(BATCH, 1, 28, 28), labels(s), null, 0.05);
                }
                for (SpinModel o : others) {
                    replicaStates.add(StateDicts.export(o));
                }
                return StateDicts.export(model);
            } finally {
                managers.forEach(NDManager::close);
            }
        }
    }

    private static float[] images(int step) {
        float[] x = new float[BATCH * 28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.013 * i + 0.7 * step) + (i / 784 % 3) * 0.2f;
        }
        return x;
    }

    private static int[] labels(int step) {
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = (3 * i + step) % 10;
        }
        return y;
    }

    private static Map<String, HostTensor> initial(SpinConfig cfg) {
        try (NDManager m = NDManager.newBaseManager()) {
            return StateDicts.export(Models.build(cfg, m, 28));
        }
    }

    private static void assertClose(Map<String, HostTensor> got, Map<String, HostTensor> want, double tol, String what) {
        assertThat(got.keySet()).isEqualTo(want.keySet());
        for (String k : want.keySet()) {
            float[] a = want.get(k).toFloats();
            float[] b = got.get(k).toFloats();
            for (int i = 0; i < a.length; i++) {
                assertThat((double) b[i]).as("%s: %s[%d]", what, k, i).isCloseTo(a[i], within(tol));
            }
        }
    }

    @Test
    void replicasOfAModelWithoutBatchNormTrainAsOneDeviceOnTheSameGlobalBatch() {
        SpinConfig cfg = vit();
        Map<String, HostTensor> init = initial(cfg);
        Map<String, HostTensor> one = train(cfg, init, 1, new ArrayList<>());
        for (int n : new int[] {2, 3}) {
            List<Map<String, HostTensor>> others = new ArrayList<>();
            Map<String, HostTensor> master = train(cfg, init, n, others);
            assertClose(master, one, 1e-5, n + " replicas");
            for (Map<String, HostTensor> o : others) {
                assertClose(o, master, 0, "a replica after the broadcast");
            }
        }
    }

    @Test
    void withBatchNormEachReplicaNormalisesItsShardAndReplicaZerosStatisticsAreKept() {
        SpinConfig cfg = convMixer();
        Map<String, HostTensor> init = initial(cfg);
        List<Map<String, HostTensor>> others = new ArrayList<>();
        Map<String, HostTensor> replicated = train(cfg, init, 2, others);
        // one device, the batch in the same two shards: the same gradients, so the same weights
        Map<String, HostTensor> shards = train(cfg.with("TRAIN.ACCUM_STEPS", 2), init, 1, new ArrayList<>());
        Map<String, HostTensor> plain = train(cfg, init, 1, new ArrayList<>());
        int weights = 0;
        for (String k : replicated.keySet()) {
            if (k.contains("running_") || k.contains("num_batches")) {
                continue;
            }
            assertClose(Map.of(k, replicated.get(k)), Map.of(k, shards.get(k)), 1e-5, "per-replica BatchNorm");
            weights++;
        }
        assertThat(weights).isGreaterThan(10);
        // after each step every replica holds replica 0's tensors, running statistics included
        assertClose(others.get(0), replicated, 0, "replica 1 after the broadcast");
        // and not the whole batch's statistics: the shards' statistics change the gradient
        double differs = 0;
        for (String k : replicated.keySet()) {
            float[] a = replicated.get(k).toFloats();
            float[] b = plain.get(k).toFloats();
            for (int i = 0; i < a.length; i++) {
                differs = Math.max(differs, Math.abs(a[i] - b[i]));
            }
        }
        assertThat(differs).isGreaterThan(1e-4);
        // the running statistics are replica 0's: those its shard alone moved, step after step
        Map<String, HostTensor> expected = runningStatsOfShardZero(cfg, replicated);
        for (Map.Entry<String, HostTensor> e : expected.entrySet()) {
            assertClose(Map.of(e.getKey(), replicated.get(e.getKey())), Map.of(e.getKey(), e.getValue()), 1e-5,
                    "replica 0's running statistics");
        }
        assertThat(expected).isNotEmpty();
    }

    /**
     * The running statistics a model ends with when, before each step's update, it sees only
     * shard 0 in training mode: replayed with the weights each step started from, which are the
     * replicated run's own (its weights are checked above), so this needs the trajectory of
     * weights, not just the end; it is rebuilt by training the replicated run again step by step.
     */
    private static Map<String, HostTensor> runningStatsOfShardZero(SpinConfig cfg, Map<String, HostTensor> end) {
        Map<String, HostTensor> init = initial(cfg);
        try (NDManager m = NDManager.newBaseManager(); NDManager rm = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, 28);
            StateDicts.load(model, init, "initial weights");
            SpinModel probe = Models.build(cfg, m, 28);
            StateDicts.load(probe, init, "initial weights");
            SpinModel other = Models.build(cfg, rm, 28);
            Recipe recipe = Recipe.from(cfg);
            try (Optimizer opt = Trainer.newOptimizer(recipe, model, m);
                 Replicas reps = new Replicas(model, List.of(other), List.of(rm))) {
                TrainStep step = new TrainStep(model, m, opt, 0.1, 1.0, null, 1, reps);
                for (int s = 0; s < STEPS; s++) {
                    // the probe takes the master's weights (its statistics are its own), then sees shard 0
                    Map<String, HostTensor> now = StateDicts.export(model);
                    Map<String, HostTensor> weightsOnly = new java.util.LinkedHashMap<>(StateDicts.export(probe));
                    now.forEach((k, v) -> {
                        if (!k.contains("running_") && !k.contains("num_batches")) {
                            weightsOnly.put(k, v);
                        }
                    });
                    StateDicts.load(probe, weightsOnly, "probe");
                    try (NDManager scope = m.newSubManager(); Autograd.Scope off = Autograd.paused()) {
                        float[] all = images(s);
                        float[] half = java.util.Arrays.copyOf(all, BATCH / 2 * 784);
                        probe.forward(scope.create(half, new Shape(BATCH / 2, 1, 28, 28)), true);
                    }
                    step.run(images(s), new Shape(BATCH, 1, 28, 28), labels(s), null, 0.05);
                }
            }
            Map<String, HostTensor> out = new java.util.LinkedHashMap<>();
            StateDicts.export(probe).forEach((k, v) -> {
                if (k.contains("running_")) {
                    out.put(k, v);
                }
            });
            return out;
        }
    }
}
