package org.spin.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.config.SpinConfig;
import org.spin.io.HostTensor;
import org.spin.model.HostArrays;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;
import org.spin.model.convmixer.ConvMixer;
import org.spin.model.shared.Reduction;
import org.spin.sharing.SharingPlan;
import org.spin.train.Optimizer;
import org.spin.train.Recipe;
import org.spin.train.TrainStep;
import org.spin.train.Trainer;

/** Weight fusion: groups from the plan, the reference's formulas, gradients, and the compact export. */
class FusionTest {

    private static final int C = 6;
    private static final int DEPTH = 6;
    private static final int SIZE = 8;

    static SpinConfig config(Reduction r, String mapping) {
        return SpinConfig.defaults().with("CONVMIXER.CHANNEL", C).with("CONVMIXER.DEPTH", DEPTH)
                .with("CONVMIXER.PATCH_KERNEL", 2).with("CONVMIXER.PATCH_STRIDE", 2).with("CONVMIXER.KERNEL", 3)
                .with("CONVMIXER.ACT_FUNC", "GELU").with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                .with("MODEL.NUM_CLASSES", 4).with("CONVMIXER.WEIGHT_SHARE.ENABLE", true)
                .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2).with("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", mapping)
                .with("CONVMIXER.WEIGHT_SHARE.SEED", 3)
                .with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", r == null ? null : r.key());
    }

    /** Source l's weight is the constant l+1 (bias 10·(l+1)); reduction weight of layer l is 0.5·(l+1) per channel o+1. */
    private static void setKnownValues(ConvMixer m) {
        Map<String, Parameter> sd = m.stateDict();
        for (int l = 0; l < DEPTH; l++) {
            int layer = l;
            fill(sd.get("pwise_w." + l), o -> layer + 1f);
            fill(sd.get("pwise_b." + l), o -> 10f * (layer + 1));
            Parameter rw = sd.get("reduction_w." + l);
            if (rw != null) {
                fill(rw, o -> 0.5f * (layer + 1) * (o + 1));
            }
        }
    }

    /** Fills p so that the value depends on the output channel (first axis) only. */
    private static void fill(Parameter p, java.util.function.IntFunction<Float> byOutChannel) {
        long[] shape = p.getArray().getShape().getShape();
        float[] v = new float[(int) HostTensor.numel(shape)];
        int per = v.length / (int) shape[0];
        for (int i = 0; i < v.length; i++) {
            v[i] = byOutChannel.apply(i / per);
        }
        HostArrays.copyInto(p.getArray(), HostTensor.ofFloats(shape, v), p.getName());
    }

    /** The reference's formula on the host, for group {@code layers} and output channel o. */
    private static float expectedWeight(Reduction r, int[] layers, int o) {
        if (r == Reduction.CHOOSE_FIRST) {
            return layers[0] + 1f;
        }
        double sum = 0;
        for (int l : layers) {
            double scale = switch (r) {
                case SCALAR_WEIGHTED_MEAN -> 0.5 * (l + 1);
                case CHANNEL_WEIGHTED_MEAN -> 0.5 * (l + 1) * (o + 1);
                default -> 1;
            };
            sum += scale * (l + 1);
        }
        return (float) (sum / layers.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "strided", "random"})
    void eachSlotFusesExactlyTheLayersThePlanMapsToIt(String mapping) {
        for (Reduction r : Reduction.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                ConvMixer model = (ConvMixer) Models.build(config(r, mapping), m, SIZE);
                setKnownValues(model);
                SharingPlan plan = model.plan();
                NDArray[][] slots = {model.sharedTensors().get(0).slotTensors(m), model.sharedTensors().get(1).slotTensors(m)};
                for (int s = 0; s < plan.numSlots(); s++) {
                    int slot = s;
                    int[] group = java.util.stream.IntStream.range(0, DEPTH).filter(l -> plan.slotOf(l) == slot).toArray();
                    assertThat(plan.layersOf(s)).isEqualTo(group);
                    float[] w = slots[0][s].toFloatArray();
                    for (int o = 0; o < C; o++) {
                        assertThat(w[o * C]).as("%s %s slot %d channel %d", r, mapping, s, o)
                                .isCloseTo(expectedWeight(r, group, o), within(1e-5f));
                    }
                    double meanBias = java.util.Arrays.stream(group).mapToDouble(l -> 10.0 * (l + 1)).average().orElseThrow();
                    float expectedBias = r == Reduction.CHOOSE_FIRST ? 10f * (group[0] + 1) : (float) meanBias;
                    assertThat(slots[1][s].toFloatArray()[0]).isCloseTo(expectedBias, within(1e-4f));
                }
                if (!mapping.equals("sequential")) {
                    // the reference groups consecutive layers; under this mapping that is wrong
                    assertThat(plan.layersOf(0)).isNotEqualTo(new int[] {0, 1});
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reduction.class, names = {"MEAN", "SCALAR_WEIGHTED_MEAN", "CHANNEL_WEIGHTED_MEAN"})
    void gradientsReachEverySourceAndReductionWeight(Reduction r) {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(config(r, "strided"), m, SIZE);
            try (NDManager scope = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                scope.getEngine().setRandomSeed(1);
                NDArray x = scope.randomNormal(new Shape(2, 3, SIZE, SIZE));
                gc.backward(model.forward(x, true).square().sum());
            }
            for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
                if (e.getKey().startsWith("pwise_") || e.getKey().startsWith("reduction_w.")) {
                    assertThat(e.getValue().requiresGradient()).as(e.getKey()).isTrue();
                    float[] g = e.getValue().getArray().getGradient().toFloatArray();
                    double norm = 0;
                    for (float v : g) {
                        norm += v * v;
                    }
                    assertThat(norm).as("gradient of %s", e.getKey()).isGreaterThan(0);
                }
            }
        }
    }

    @Test
    void chooseFirstLeavesTheOtherSourcesOutOfTraining() {
        SpinConfig cfg = config(Reduction.CHOOSE_FIRST, "strided").with("SOLVER.WEIGHT_DECAY", 0.5);
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, m, SIZE);
            Map<String, HostTensor> before = StateDicts.export(model);
            try (Optimizer opt = Trainer.newOptimizer(Recipe.from(cfg), model, m)) {
                TrainStep step = Trainer.newStep(Recipe.from(cfg), model, m, opt);
                float[] x = new float[2 * 3 * SIZE * SIZE];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.sin(i);
                }
                step.run(x, new Shape(2, 3, SIZE, SIZE), new int[] {0, 3}, 0.1);
            }
            Map<String, HostTensor> after = StateDicts.export(model);
            SharingPlan plan = model.plan();
            for (int l = 0; l < DEPTH; l++) {
                boolean first = plan.layersOf(plan.slotOf(l))[0] == l;
                for (String key : new String[] {"pwise_w." + l, "pwise_b." + l}) {
                    assertThat(model.stateDict().get(key).requiresGradient()).as(key).isEqualTo(first);
                    if (first) {
                        assertThat(after.get(key).toFloats()).as(key).isNotEqualTo(before.get(key).toFloats());
                    } else {
                        assertThat(after.get(key).toFloats()).as(key).isEqualTo(before.get(key).toFloats());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "strided", "random"})
    void theCompactExportGivesTheFusionModelsLogits(String mapping) {
        for (Reduction r : Reduction.values()) {
            SpinConfig cfg = config(r, mapping);
            try (NDManager m = NDManager.newBaseManager()) {
                ConvMixer fusion = (ConvMixer) Models.build(cfg, m, SIZE);
                perturbReductionWeights(fusion);
                Map<String, HostTensor> compact = Fuse.compactStateDict(fusion, m);
                SpinConfig compactCfg = Fuse.compactConfig(cfg, fusion);
                SpinModel exported = Models.build(compactCfg, m, SIZE);
                StateDicts.load(exported, compact, "export");

                assertThat(exported.plan()).isEqualTo(fusion.plan());
                assertThat(compact.keySet()).noneMatch(k -> k.startsWith("reduction_w."))
                        .filteredOn(k -> k.startsWith("pwise_w.")).hasSize(DEPTH / 2);
                // as many parameters as the same shared model without fusion
                SpinModel plainShared = Models.build(config(null, mapping), m, SIZE);
                assertThat(ParameterCount.unique(exported)).isEqualTo(ParameterCount.unique(plainShared));
                try (NDManager scope = m.newSubManager()) {
                    scope.getEngine().setRandomSeed(5);
                    NDArray x = scope.randomNormal(new Shape(3, 3, SIZE, SIZE));
                    float diff = fusion.forward(x, false).sub(exported.forward(x, false)).abs().max().getFloat();
                    assertThat(diff).as("%s %s", r, mapping).isLessThanOrEqualTo(1e-4f);
                }
            }
        }
    }

    @Test
    void theFusedForwardLeavesNothingInTheModelsManager() {
        for (Reduction r : Reduction.values()) {
            try (NDManager root = NDManager.newBaseManager()) {
                NDManager params = root.newSubManager();
                SpinModel model = Models.build(config(r, "random"), params, SIZE);
                int before = params.getManagedArrays().size();
                params.cap();
                try (NDManager scope = root.newSubManager()) {
                    model.forward(scope.zeros(new Shape(2, 3, SIZE, SIZE)), false);
                }
                assertThat(params.getManagedArrays()).as(r.key()).hasSize(before);
            }
        }
    }

    /** Reduction weights away from their initial ones, so a weighted mean differs from the plain mean. */
    private static void perturbReductionWeights(ConvMixer m) {
        Map<String, Parameter> sd = new HashMap<>(m.stateDict());
        for (int l = 0; l < DEPTH; l++) {
            Parameter rw = sd.get("reduction_w." + l);
            if (rw != null) {
                int layer = l;
                fill(rw, o -> 0.3f + 0.2f * layer + 0.1f * o);
            }
        }
    }
}
